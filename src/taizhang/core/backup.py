"""Backups of a live installation and their restore (issue 13 §2).

One ``.tar.gz`` archive holds:

- ``db.sqlite3``: a consistent copy of the SQLite database taken with SQLite's online backup
  API (``sqlite3.Connection.backup``: readers and the writer go on meanwhile), or
  ``db.pgdump``: ``pg_dump --format=custom`` of a PostgreSQL database, run on a snapshot
  exported from the transaction that counted the rows;
- ``media/``: the uploads (``MEDIA_ROOT``: attachments, imported files);
- ``secret_key``: ``TAIZHANG_VAR_DIR/secret_key`` when present (sessions, signed links);
- ``manifest.json``: format, Taizhang version, time, database engine, the row count of every
  table in the copy, the number and bytes of media files.

Own code rather than django-dbbackup: dbbackup writes the database and the media into two
separate archives with no manifest, carries no secret key and restores over a non-empty
database without asking; the online backup and ``pg_dump`` it would wrap are a few lines here.
Errors are :class:`BackupError` with a Chinese message naming the file and the reason.
"""

from __future__ import annotations

import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
import zlib
from dataclasses import dataclass
from importlib.metadata import PackageNotFoundError, version
from pathlib import Path

from django.conf import settings
from django.db import connections
from django.utils import timezone
from django.utils.translation import gettext as _

FORMAT = 1
MANIFEST = "manifest.json"
# Rows here make an installation non-empty (``migrate`` and its data migrations write other
# tables too: content types, permissions, problem sources, ...).
DATA_TABLES = ("auth_user", "orgs_organization", "core_attachment")


class BackupError(Exception):
    """A backup or restore that cannot go on; the message names the file and the reason."""


@dataclass
class Restored:
    """What :func:`restore_backup` did: the manifest read and the row counts found after."""

    manifest: dict
    counts: dict[str, int]
    media_files: int


def _engine(alias: str = "default") -> str:
    engine = connections[alias].settings_dict["ENGINE"]
    if "sqlite3" in engine:
        return "sqlite"
    if "postgresql" in engine:
        return "postgresql"
    raise BackupError(_("不支持的数据库类型：%(engine)s") % {"engine": engine})


def _sqlite_path(alias: str = "default") -> str:
    return str(connections[alias].settings_dict["NAME"])


def _sqlite_counts(conn: sqlite3.Connection) -> dict[str, int]:
    names = [row[0] for row in conn.execute(
        "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%' ORDER BY name")]
    return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}


def _pg_env(alias: str = "default") -> tuple[list[str], dict]:
    """Connection arguments and environment for pg_dump / pg_restore (password via PGPASSWORD)."""
    s = connections[alias].settings_dict
    args = ["--dbname", s["NAME"]]
    if s.get("HOST"):
        args += ["--host", str(s["HOST"])]
    if s.get("PORT"):
        args += ["--port", str(s["PORT"])]
    if s.get("USER"):
        args += ["--username", s["USER"]]
    env = {**os.environ, **({"PGPASSWORD": s["PASSWORD"]} if s.get("PASSWORD") else {})}
    return args, env


def _pg_counts(cursor) -> dict[str, int]:
    cursor.execute("SELECT tablename FROM pg_tables WHERE schemaname = current_schema() ORDER BY tablename")
    names = [row[0] for row in cursor.fetchall()]
    counts = {}
    for name in names:
        cursor.execute(f'SELECT COUNT(*) FROM "{name}"')
        counts[name] = cursor.fetchone()[0]
    return counts


def _run(command: list[str], env: dict, what: str) -> None:
    try:
        result = subprocess.run(command, env=env, capture_output=True, text=True)
    except FileNotFoundError as exc:
        raise BackupError(_("找不到 %(tool)s，请安装 PostgreSQL 客户端工具。") % {"tool": command[0]}) from exc
    if result.returncode != 0:
        raise BackupError(_("%(what)s失败：%(reason)s") % {"what": what, "reason": result.stderr.strip()[:500]})


def _dump_database(workdir: Path, alias: str) -> tuple[str, dict[str, int]]:
    """Write the database copy into ``workdir``; returns (member name, row counts of the copy)."""
    if _engine(alias) == "sqlite":
        target = workdir / "db.sqlite3"
        path = _sqlite_path(alias)  # "file:…" for the test suite's in-memory database
        source = sqlite3.connect(path, uri=path.startswith("file:"), timeout=30)
        copy = sqlite3.connect(target)
        try:
            source.backup(copy)  # the online backup API: one consistent snapshot
            counts = _sqlite_counts(copy)
        finally:
            copy.close()
            source.close()
        return "db.sqlite3", counts
    # PostgreSQL: count inside a repeatable-read transaction and dump its exported snapshot,
    # so the counts describe exactly the rows in the dump even while writes go on.
    target = workdir / "db.pgdump"
    args, env = _pg_env(alias)
    conn = connections[alias]
    conn.ensure_connection()
    if not conn.get_autocommit():
        raise BackupError(_("备份不能在事务中进行"))
    with conn.connection.cursor() as cursor:  # autocommit: BEGIN/COMMIT are sent as written
        cursor.execute("BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY")
        try:
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            counts = _pg_counts(cursor)
            _run(["pg_dump", *args, "--format=custom", "--no-owner", f"--snapshot={snapshot}",
                  "--file", str(target)], env, _("导出数据库"))
        finally:
            cursor.execute("COMMIT")
    return "db.pgdump", counts


def _media_files(root: Path):
    if root.is_dir():
        for path in sorted(root.rglob("*")):
            if path.is_file():
                yield path


ARCHIVE_SUFFIXES = (".tar.gz", ".tgz")


def check_archive_name(output) -> None:
    """Refuse (``BackupError`` naming the file) an archive name that does not end in
    ``.tar.gz`` or ``.tgz``: the archive is always a gzip-compressed tar, and a name such as
    ``x.zip`` would promise a format it is not."""
    if not str(output).lower().endswith(ARCHIVE_SUFFIXES):
        raise BackupError(_("%(file)s：备份文件是 .tar.gz 压缩包，文件名须以 .tar.gz 或 .tgz 结尾"
                            "（不支持 %(suffix)s）") % {"file": output, "suffix": Path(output).suffix or _("无后缀")})


def create_backup(output: Path | None = None, *, alias: str = "default") -> tuple[Path, dict]:
    """Back up the database, ``MEDIA_ROOT`` and the secret key into one ``.tar.gz``.

    ``output``: the archive to write (default ``TAIZHANG_VAR_DIR/backups/
    taizhang-YYYYmmdd-HHMMSS.tar.gz``); written to a temporary name and renamed, so a
    half-written archive never carries the final name. Returns ``(path, manifest)``.
    Raises :class:`BackupError` (a name not ending in .tar.gz/.tgz, unwritable target,
    pg_dump missing or failing)."""
    now = timezone.localtime()
    if output is None:
        output = Path(settings.VAR_DIR) / "backups" / f"taizhang-{now:%Y%m%d-%H%M%S}.tar.gz"
    check_archive_name(output)
    output = Path(output)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise BackupError(_("无法写入 %(file)s：%(reason)s") % {"file": output, "reason": exc.strerror}) from exc
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="taizhang-backup-") as tmp:
        workdir = Path(tmp)
        db_member, counts = _dump_database(workdir, alias)
        media = list(_media_files(media_root))
        try:
            taizhang_version = version("taizhang")
        except PackageNotFoundError:
            taizhang_version = "unknown"
        manifest = {
            "format": FORMAT, "taizhang_version": taizhang_version, "created_at": now.isoformat(),
            "engine": _engine(alias), "database": db_member, "tables": counts,
            "media_files": len(media), "media_bytes": sum(p.stat().st_size for p in media),
        }
        partial = output.with_name(output.name + ".part")
        try:
            with tarfile.open(partial, "w:gz") as archive:
                data = json.dumps(manifest, ensure_ascii=False, indent=1).encode()
                info = tarfile.TarInfo(MANIFEST)
                info.size, info.mtime = len(data), int(now.timestamp())
                archive.addfile(info, io.BytesIO(data))
                archive.add(workdir / db_member, arcname=db_member)
                for path in media:
                    archive.add(path, arcname=f"media/{path.relative_to(media_root).as_posix()}")
                key = Path(settings.VAR_DIR) / "secret_key"
                if key.is_file():
                    archive.add(key, arcname="secret_key")
            partial.replace(output)
        except OSError as exc:
            partial.unlink(missing_ok=True)
            raise BackupError(_("无法写入 %(file)s：%(reason)s") % {"file": output, "reason": exc.strerror}) from exc
    return output, manifest


def prune_backups(folder: Path, keep: int) -> list[Path]:
    """Delete all but the newest ``keep`` ``taizhang-*.tar.gz`` in ``folder``; returns the
    deleted paths (names sort by time: ``taizhang-YYYYmmdd-HHMMSS``)."""
    archives = sorted(Path(folder).glob("taizhang-*.tar.gz"))
    doomed = archives[:-keep] if keep > 0 else archives
    for path in doomed:
        path.unlink(missing_ok=True)
    return doomed


def database_counts(alias: str = "default") -> dict[str, int]:
    """Row count of every table of the configured database (empty dict: no database yet)."""
    if _engine(alias) == "sqlite":
        path = _sqlite_path(alias)
        if not path.startswith("file:") and not Path(path).exists():
            return {}
        conn = sqlite3.connect(path, uri=path.startswith("file:"))
        try:
            return _sqlite_counts(conn)
        finally:
            conn.close()
    with connections[alias].cursor() as cursor:
        return _pg_counts(cursor)


def why_not_empty(alias: str = "default") -> str:
    """Empty string for an empty installation, else the reason in Chinese (the tables that
    hold data, or the files under MEDIA_ROOT). Rows ``migrate`` writes itself do not count:
    only users, organizations and attachments (:data:`DATA_TABLES`) do."""
    full = {name: n for name, n in database_counts(alias).items() if n and name in DATA_TABLES}
    if full:
        listed = "、".join(f"{name}（{n} 行）" for name, n in sorted(full.items())[:5])
        return _("数据库已有数据：%(tables)s") % {"tables": listed}
    files = next(_media_files(Path(settings.MEDIA_ROOT)), None)
    if files is not None:
        return _("上传文件目录 %(folder)s 不为空") % {"folder": settings.MEDIA_ROOT}
    return ""


def read_manifest(archive_path: Path) -> dict:
    """The manifest of a backup archive; raises :class:`BackupError` naming the file when it
    is missing, unreadable, not a Taizhang backup or of a newer format."""
    archive_path = Path(archive_path)
    if not archive_path.is_file():
        raise BackupError(_("找不到备份文件 %(file)s") % {"file": archive_path})
    try:
        with tarfile.open(archive_path, "r:gz") as archive:
            member = archive.extractfile(MANIFEST)
            manifest = json.loads(member.read())
    except (tarfile.TarError, KeyError, OSError, ValueError, AttributeError, EOFError, zlib.error) as exc:
        raise BackupError(_("%(file)s 不是台账备份文件：%(reason)s") % {"file": archive_path, "reason": exc}) from exc
    if manifest.get("format") != FORMAT:
        raise BackupError(_("%(file)s 的备份格式 %(format)s 不受支持") % {
            "file": archive_path, "format": manifest.get("format")})
    return manifest


def restore_backup(archive_path: Path, *, force: bool = False, alias: str = "default") -> Restored:
    """Restore an archive of :func:`create_backup` into this installation.

    Refuses (``BackupError`` with the reason) a non-empty installation unless ``force``, an
    archive of another database engine, and a restore whose row counts then differ from the
    manifest. With ``force`` the database is replaced and ``MEDIA_ROOT`` emptied first."""
    archive_path = Path(archive_path)
    manifest = read_manifest(archive_path)
    engine = _engine(alias)
    if manifest["engine"] != engine:
        raise BackupError(_("%(file)s 是 %(theirs)s 数据库的备份，本系统使用 %(ours)s") % {
            "file": archive_path, "theirs": manifest["engine"], "ours": engine})
    reason = why_not_empty(alias)
    if reason and not force:
        raise BackupError(_("拒绝恢复到非空的系统（%(reason)s）；确需覆盖请加 --force") % {"reason": reason})
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(prefix="taizhang-restore-") as tmp:
        workdir = Path(tmp)
        try:
            with tarfile.open(archive_path, "r:gz") as archive:
                archive.extractall(workdir, filter="data")
        except (tarfile.TarError, OSError, EOFError, zlib.error) as exc:  # EOFError: cut short
            raise BackupError(_("无法读取 %(file)s：%(reason)s") % {"file": archive_path, "reason": exc}) from exc
        connections[alias].close()
        db_file = workdir / manifest["database"]
        if engine == "sqlite":
            source = sqlite3.connect(db_file)
            target_path = _sqlite_path(alias)
            Path(target_path).parent.mkdir(parents=True, exist_ok=True)
            target = sqlite3.connect(target_path, timeout=30)
            try:
                source.backup(target)  # replaces the target's pages, WAL included
            finally:
                target.close()
                source.close()
        else:
            args, env = _pg_env(alias)
            _run(["pg_restore", *args, "--clean", "--if-exists", "--no-owner", "--single-transaction",
                  str(db_file)], env, _("恢复数据库"))
        if media_root.exists():
            shutil.rmtree(media_root)
        media_root.mkdir(parents=True, exist_ok=True)
        restored_media = 0
        if (workdir / "media").is_dir():
            shutil.copytree(workdir / "media", media_root, dirs_exist_ok=True)
            restored_media = sum(1 for _p in _media_files(media_root))
        if (workdir / "secret_key").is_file():
            key = Path(settings.VAR_DIR) / "secret_key"
            shutil.copyfile(workdir / "secret_key", key)
            key.chmod(0o600)
    counts = database_counts(alias)
    differ = {name: (n, counts.get(name)) for name, n in manifest["tables"].items() if counts.get(name) != n}
    if differ or restored_media != manifest["media_files"]:
        raise BackupError(_("恢复后的数据与 %(file)s 的清单不符：%(tables)s") % {
            "file": archive_path, "tables": differ or _("上传文件数")})
    return Restored(manifest=manifest, counts=counts, media_files=restored_media)

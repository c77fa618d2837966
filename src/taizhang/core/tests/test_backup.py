"""``taizhang backup`` / ``restore`` (issue 13 §2): a backup taken while another connection
writes restores into a fresh folder with every table's row count and the attachment's bytes;
a non-empty installation is refused without --force; errors name the file; exit code 1."""

import json
import os
import sqlite3
import subprocess
import sys
import tarfile
import threading
import time
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]
PAYLOAD = bytes(range(256)) * 40

SET_UP = f"""
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from taizhang.core.models import Attachment
from taizhang.orgs.tests.factories import build_tree, UserFactory
tree = build_tree(branches=2, groups=1)
UserFactory(username="zhibu1")
a = tree["branches"][0]
att = Attachment.objects.create(org=a, content_type=ContentType.objects.get_for_model(a), object_id=a.pk,
    file=ContentFile({PAYLOAD!r}, name="会议记录.bin"), name="会议记录.bin", size={len(PAYLOAD)})
print(att.file.name)
"""


def taizhang(var_dir, *args, check=True):
    env = {key: value for key, value in os.environ.items()
           if key not in {"PYTEST_VERSION", "DATABASE_URL", "SECRET_KEY", "DJANGO_SETTINGS_MODULE"}}
    env.update(PYTHONPATH=str(SRC), TAIZHANG_VAR_DIR=str(var_dir), HUEY_IMMEDIATE="1")
    result = subprocess.run([sys.executable, "-m", "taizhang.cli", *args], env=env,
                            capture_output=True, text=True, timeout=300)
    if check:
        assert result.returncode == 0, result.stderr + result.stdout
    return result


def counts(db_path):
    conn = sqlite3.connect(db_path)
    try:
        names = [r[0] for r in conn.execute(
            "SELECT name FROM sqlite_master WHERE type='table' AND name NOT LIKE 'sqlite_%'")]
        return {name: conn.execute(f'SELECT COUNT(*) FROM "{name}"').fetchone()[0] for name in names}
    finally:
        conn.close()


class Writer(threading.Thread):
    """Commits one row after another into the live database (WAL, its own connection)."""

    def __init__(self, db_path):
        super().__init__(daemon=True)
        self.db_path, self.stop, self.written, self.errors = db_path, threading.Event(), 0, []

    def run(self):
        conn = sqlite3.connect(self.db_path, timeout=20, isolation_level=None)
        while not self.stop.is_set():
            try:
                conn.execute("BEGIN IMMEDIATE")
                conn.execute("INSERT INTO django_session (session_key, session_data, expire_date) "
                             "VALUES (?, 'x', '2099-01-01 00:00:00')", (f"w{self.written:08d}",))
                conn.execute("COMMIT")
                self.written += 1
            except sqlite3.Error as exc:  # pragma: no cover - reported by the test
                self.errors.append(str(exc))
            time.sleep(0.001)
        conn.close()


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    var = tmp_path_factory.mktemp("live")
    taizhang(var, "migrate", "-v0")
    attachment = taizhang(var, "shell", "-c", SET_UP).stdout.strip().splitlines()[-1]
    return var, attachment


def test_backup_during_writes_restores_every_table_and_the_attachment(live, tmp_path):
    var, attachment = live
    writer = Writer(var / "taizhang.sqlite3")
    writer.start()
    time.sleep(0.3)
    before = writer.written
    archive = tmp_path / "备份.tar.gz"
    result = taizhang(var, "backup", "-o", str(archive))
    during = writer.written
    time.sleep(0.2)
    writer.stop.set()
    writer.join()
    assert writer.errors == [] and before > 0 and writer.written > during
    assert "已备份到" in result.stdout
    with tarfile.open(archive) as tar:
        manifest = json.load(tar.extractfile("manifest.json"))
        assert {"db.sqlite3", "secret_key", f"media/{attachment}"} <= set(tar.getnames())
    assert manifest["engine"] == "sqlite" and manifest["media_files"] == 1
    # The copy is one snapshot: the writer's rows up to some moment during the backup.
    assert before <= manifest["tables"]["django_session"] <= during
    assert manifest["tables"]["auth_user"] == 1 and manifest["tables"]["orgs_organization"] == 5

    fresh = tmp_path / "fresh"
    restored = taizhang(fresh, "restore", str(archive))
    assert "行数与备份清单一致" in restored.stdout
    assert counts(fresh / "taizhang.sqlite3") == manifest["tables"]
    assert len(manifest["tables"]) > 40
    assert (fresh / "media" / attachment).read_bytes() == PAYLOAD
    assert (fresh / "secret_key").read_text() == (var / "secret_key").read_text()
    # The restored installation works: Django reads it (user and attachment).
    check = taizhang(fresh, "shell", "-c",
                     "from taizhang.core.models import Attachment as A; print(A.objects.get().file.read() == "
                     f"{PAYLOAD!r})")
    assert check.stdout.strip().endswith("True")

    # Again into the now non-empty installation: refused with the reason, exit code 1.
    refused = taizhang(fresh, "restore", str(archive), check=False)
    assert refused.returncode == 1
    assert "拒绝恢复到非空的系统" in refused.stderr and "auth_user（1 行）" in refused.stderr
    assert "--force" in refused.stderr
    forced = taizhang(fresh, "restore", str(archive), "--force")
    assert forced.returncode == 0
    assert counts(fresh / "taizhang.sqlite3") == manifest["tables"]


def test_restore_errors_name_the_file(tmp_path):
    missing = taizhang(tmp_path, "restore", str(tmp_path / "无.tar.gz"), check=False)
    assert missing.returncode == 1 and "找不到备份文件" in missing.stderr and "无.tar.gz" in missing.stderr
    junk = tmp_path / "junk.tar.gz"
    junk.write_bytes(b"not an archive")
    bad = taizhang(tmp_path, "restore", str(junk), check=False)
    assert bad.returncode == 1 and "junk.tar.gz 不是台账备份文件" in bad.stderr


def test_a_backup_cut_short_is_refused_with_a_message_not_a_traceback(live, tmp_path):
    var, _attachment = live
    archive = tmp_path / "full.tar.gz"
    taizhang(var, "backup", "-o", str(archive))
    cut = tmp_path / "cut.tar.gz"
    cut.write_bytes(archive.read_bytes()[: archive.stat().st_size // 2])
    fresh = tmp_path / "fresh"
    fresh.mkdir()
    result = taizhang(fresh, "restore", str(cut), check=False)
    assert result.returncode == 1, result.stderr
    assert "Traceback" not in result.stderr
    assert "cut.tar.gz" in result.stderr and ("无法读取" in result.stderr or "不是台账备份文件" in result.stderr)

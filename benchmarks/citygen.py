"""The city-scale data set of issue 3 §5, reused by the benchmarks (bench_scale, issue 5's
compliance benchmark): one committee, 500 branches (2 Party groups each, a secretary and a
branch committee per domain-rules §1: ≥ 7 full members → 书记, 副书记, 组织/宣传/纪检委员),
20,000 members, the real seed task list imported and published (assignments and monthly
occurrences), 200,000 records from 2023-09 to 2024-01 with attendance rows, and the evidence
evaluated once so that assignment and occurrence statuses are real.

``--scale`` multiplies branches, members and records (0.1 → 50 branches, 2,000 members,
20,000 records); a small scale takes seconds. The generated SQLite file is cached between
runs, keyed by scale, generator version and the seed's content::

    python benchmarks/citygen.py [--scale 1] [--force] [--cache-dir DIR]
    python benchmarks/citygen.py --database-url postgres://…/city   # into PostgreSQL (no cache)

From Python (before ``django.setup()``, which this module never calls at import)::

    from citygen import ensure, working_copy, use_database
    path = ensure(0.1)                 # cached file, generated in a subprocess when missing
    work = working_copy(0.1, tmpdir)   # a private copy to write into (WAL checkpointed)
    use_database(f"sqlite:///{work}", tmpdir); django.setup()
    info = read_meta()                 # {"scale", "branches", "members", "records", …}

How it is built (speed over realism of the write path, documented on purpose):
- organizations are written with ``bulk_create`` and their treebeard ``path``/``depth``/
  ``numchild`` computed directly (``Organization._get_path``), not through ``add_child``;
- members, positions, the leadership team and every record are written with ``bulk_create``
  in batches of 5,000 — no service functions, so no validation, no audit-trail entries and no
  ``evidence_changed`` signals for the generated records;
- attendance rows (≈ 1.25 M meeting rows + 0.8 M study rows at full scale) are written by
  one ``INSERT … SELECT`` per attendee rule joining records to members: a branch meeting
  expects every active member of the branch, a 党小组会 the group's members, a 支委会 the
  branch committee (current posts); the status (≈ 7 % on leave with a reason, 2 % absent) is
  a deterministic function of the ids; ``voting`` follows the member's status;
- only the plan goes through the app: ``plans.importer.parse_file`` →
  ``services.save_draft`` → ``services.publish_plan`` (before any record exists), then
  ``plans.evidence.evaluate_campaign`` once after the records (its time is kept in the
  metadata table ``citygen_meta``).

Records per branch and month (80 at full scale): 20 meetings (4 支委会, 4 党小组会 per group,
3 主题党日, 2 党员大会, 3 党课 each with its Lecture), 8 study sessions, 9 micro-lectures,
10 self-studies, and talks for the rest. A deterministic few branch-months skip a kind
(≈ 10 % study sessions, 15 % self-study, 5 % 支委会 / 主题党日 / one group's 党小组会) — the
skipped records become talks — so the board and issue 5's checks have real gaps. No
``ANALYZE`` is run on SQLite (a deployed SQLite file is not analysed either); PostgreSQL is
analysed at the end, as its autovacuum would have done in a deployment.

Modules: this one (sizes, cache, database set-up, metadata, command line);
``citygen_build.py`` (the generator: organizations, members, plan, records, attendance);
``citygen_content.py`` (the deterministic names, topics and readings).
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from citygen_content import DEPARTMENTS  # noqa: F401  (read as citygen.DEPARTMENTS by bench_publish)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
SEED = ROOT.parent / "shared" / "seed" / "000_2284f9ce5468ae96.txt"
GENERATOR_VERSION = 1
FULL = {"branches": 500, "members": 20_000, "records": 200_000}
MONTHS = [(2023, 9), (2023, 10), (2023, 11), (2023, 12), (2024, 1)]
COMMITTEE_CODE = "CITY"
STAFF_USERNAME = "city_staff"
BATCH = 5000
META_TABLE = "citygen_meta"


# --- where the database lives -------------------------------------------------------------

def default_cache_dir() -> Path:
    """``$TAIZHANG_BENCH_CACHE`` or ``<tmp>/taizhang-citygen``."""
    return Path(os.environ.get("TAIZHANG_BENCH_CACHE") or Path(tempfile.gettempdir()) / "taizhang-citygen")


def cache_key(scale: float) -> str:
    """The cache file name for ``scale``: scale, generator version, the seed's hash and a
    hash of the migration file names (a file generated before a new migration lacks its
    tables or columns: the benchmarks then failed with "no such table")."""
    digest = hashlib.sha256(SEED.read_bytes())
    for name in sorted(str(p.relative_to(ROOT)) for p in (ROOT / "src").glob("taizhang/*/migrations/0*.py")):
        digest.update(name.encode())
    return f"city-s{scale:g}-v{GENERATOR_VERSION}-{digest.hexdigest()[:8]}.sqlite3"


def cached_path(scale: float, cache_dir: Path | None = None) -> Path:
    return (cache_dir or default_cache_dir()) / cache_key(scale)


def use_database(database_url: str, var_dir: str | Path) -> None:
    """Point the settings at ``database_url`` with ``var_dir`` as TAIZHANG_VAR_DIR (call
    before ``django.setup()``)."""
    sys.path.insert(0, str(ROOT / "src"))
    os.environ["DATABASE_URL"] = database_url
    os.environ["TAIZHANG_VAR_DIR"] = str(var_dir)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")


def ensure(scale: float, cache_dir: Path | None = None, force: bool = False, quiet: bool = False) -> Path:
    """The cached SQLite file of ``scale``, generated first (in a subprocess, so that the
    caller's Django is not tied to it) when missing or when ``force``. Raises
    ``RuntimeError`` when generation fails."""
    path = cached_path(scale, cache_dir)
    if path.exists() and not force:
        return path
    cmd = [sys.executable, str(Path(__file__).resolve()), "--scale", f"{scale:g}", "--force",
           "--cache-dir", str(path.parent)]
    if quiet:
        cmd.append("--quiet")
    if subprocess.call(cmd) != 0 or not path.exists():
        raise RuntimeError(f"generating the scale-{scale:g} data set failed")
    return path


def working_copy(scale: float, directory: str | Path, cache_dir: Path | None = None) -> Path:
    """A private copy of the cached file of ``scale`` in ``directory`` (generated first when
    missing), for a benchmark that writes."""
    source = ensure(scale, cache_dir)
    target = Path(directory) / f"work-{source.name}"
    shutil.copyfile(source, target)
    return target


# --- size of the data set -----------------------------------------------------------------

def sizes(scale: float) -> dict[str, int]:
    """Branch, member and record counts of ``scale`` (at least 1 branch, 7 members each)."""
    branches = max(1, round(FULL["branches"] * scale))
    return {"branches": branches,
            "members": max(branches * 7, round(FULL["members"] * scale)),
            "records": max(branches * 80, round(FULL["records"] * scale))}


def read_meta() -> dict:
    """The metadata of the data set in the configured database ({} when absent)."""
    from django.db import connection

    try:
        with connection.cursor() as cur:
            cur.execute(f"SELECT value FROM {META_TABLE} WHERE key = %s", ["meta"])
            row = cur.fetchone()
    except Exception:  # noqa: BLE001 — no table: not a generated database
        return {}
    return json.loads(row[0]) if row else {}


# --- command line -------------------------------------------------------------------------

def _build_sqlite(scale: float, target: Path, quiet: bool) -> dict:
    """Generate into ``target.building`` then move it to ``target`` (never a half file)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    building = target.with_suffix(".building")
    for suffix in ("", "-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    var_dir = tempfile.mkdtemp(prefix="tz-citygen-")
    use_database(f"sqlite:///{building}", var_dir)
    meta = _generate_here(scale, quiet)
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    connection.close()
    os.replace(building, target)
    for suffix in ("-wal", "-shm"):
        Path(f"{building}{suffix}").unlink(missing_ok=True)
    shutil.rmtree(var_dir, ignore_errors=True)
    return meta


def _generate_here(scale: float, quiet: bool) -> dict:
    import django

    django.setup()
    from django.core.management import call_command

    log = (lambda *a: None) if quiet else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    log(f"generating the city data set at scale {scale:g} {sizes(scale)} (migrated in "
        f"{time.perf_counter() - t0:.1f} s)")
    existing = read_meta()
    if existing:
        raise SystemExit(f"the database already holds a generated data set (scale {existing.get('scale')})")
    from citygen_build import generate

    return generate(scale, log)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--cache-dir", type=Path, default=None, help="where cached SQLite files live")
    parser.add_argument("--force", action="store_true", help="regenerate even when cached")
    parser.add_argument("--database-url", default=None,
                        help="generate into this (empty) database instead, e.g. PostgreSQL; not cached")
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if args.scale <= 0:
        parser.error("--scale must be positive")
    if args.database_url:
        var_dir = tempfile.mkdtemp(prefix="tz-citygen-")
        use_database(args.database_url, var_dir)
        meta = _generate_here(args.scale, args.quiet)
    else:
        target = cached_path(args.scale, args.cache_dir)
        if target.exists() and not args.force:
            print(f"cached: {target}")
            return 0
        meta = _build_sqlite(args.scale, target, args.quiet)
        print(f"written: {target} ({target.stat().st_size / 2**20:.0f} MiB)")
    if not args.quiet:
        print(json.dumps({k: meta[k] for k in ("branches", "members", "records", "meeting_attendance",
                                               "study_attendance", "assignments", "occurrences",
                                               "statuses", "timings", "seconds")}, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

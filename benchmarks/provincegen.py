"""The province data set of issue 14, on PostgreSQL only: one province committee, 15 city
committees, 30 unit committees (机关党委) per city, 10,000 branches under the units (2 Party
groups each), 300,000 members, the real seed task list published to every branch, about
10 million rows of records (attendance included) from 2023-09 to 2024-01, 2,000,000
rectification measures (the city set's 200 per branch), and the campaign evaluated once.

    nice -n 5 python benchmarks/provincegen.py --database-url postgres://postgres@127.0.0.1/taizhang_province
    python benchmarks/provincegen.py --database-url … --branches 500   # a smaller province

The database must be empty (it is migrated first). How it is written, for speed:
- ``session_replication_role = replica`` while loading (foreign-key triggers off: the rows
  are generated consistent), ``synchronous_commit = off``; the plain indexes and the unique
  constraints of the loaded tables are dropped first and rebuilt at the end (their build time
  is printed), then ``ANALYZE`` (a deployed PostgreSQL has autovacuum statistics);
- organizations, members, posts and records are generated in Python with explicit ids and
  written with ``COPY … FROM STDIN`` (psycopg 3 ``cursor.copy``), month by month;
- attendance rows come from ``citygen_build._insert_attendance`` (one ``INSERT … SELECT`` per
  attendee rule), the stored meeting counts from one aggregate ``UPDATE … FROM``;
- rectification problems and measures are one ``INSERT … SELECT`` over ``generate_series``
  each (deadlines moved off weekends only, not off public holidays);
- only the plan goes through the app (``plans.services.publish_plan``), and
  ``plans.evidence.evaluate_campaign`` once at the end, as in ``citygen.py``.

Records per branch and month (a branch of about 30 members, 2 groups): 1 支委会, 1 党小组会
per group, 1 主题党日, 1 党员大会, 1 党课 with its Lecture, 3 study sessions, 2 micro-lectures,
3 self-studies, 3 talks; the same deterministic gaps as the city set (≈ 5 % 支委会 / 主题党日
/ one group's 党小组会, 10 % study sessions, 15 % self-study). The metadata is stored in the
city set's table (``citygen_meta``), so ``scale_common.setup`` and ``bench_pages`` read it.

Modules: this one (sizes, loading helpers, command line); ``provincegen_build.py`` (the rows).
Names, topics and readings come from ``citygen_content.py``.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402

FULL = {"branches": 10_000, "members": 300_000, "cities": 15, "units_per_city": 30,
        "measures_per_branch": 200}
COMMITTEE_CODE = "PROV"
STAFF_USERNAME = "province_staff"
DATASET = "province"
# Tables written in bulk: their plain indexes and unique constraints are dropped while loading.
BULK_TABLES = ("orgs_member", "orgs_position", "records_meeting", "records_attendance",
               "records_lecture", "records_studysession", "records_studyattendance",
               "records_selfstudy", "records_talk", "rectification_problem",
               "rectification_rectification")
COUNTED_TABLES = ("orgs_organization",) + BULK_TABLES + (
    "orgs_leadershipmember_contact_branches", "plans_assignment", "plans_occurrence")


def sizes(branches: int) -> dict[str, int]:
    """Counts of a province of ``branches`` branches (members and measures proportional)."""
    ratio = branches / FULL["branches"]
    return {"branches": branches, "members": max(branches * 7, round(FULL["members"] * ratio)),
            "cities": max(1, min(FULL["cities"], round(FULL["cities"] * ratio ** 0.5))),
            "units_per_city": FULL["units_per_city"],
            "measures_per_branch": FULL["measures_per_branch"]}


class Clock:
    """Named wall times (seconds), printed as they are taken."""

    def __init__(self, log):
        self.log, self.times = log, {}

    def __call__(self, name: str, start: float, note: str = "") -> None:
        self.times[name] = round(time.perf_counter() - start, 2)
        self.log(f"  {name}: {self.times[name]:.1f} s{(' ' + note) if note else ''}")


def raw_cursor():
    """The psycopg 3 cursor of Django's default connection (for ``copy`` and statements
    without parameter interpolation, so ``%`` needs no escaping)."""
    from django.db import connection

    connection.ensure_connection()
    return connection.connection.cursor()


def copy_rows(table: str, columns: tuple[str, ...], rows) -> int:
    """``COPY table (columns) FROM STDIN`` of ``rows`` (tuples of Python values); returns the
    number of rows written."""
    n = 0
    with raw_cursor() as cur, cur.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as cp:
        for row in rows:
            cp.write_row(row)
            n += 1
    return n


def drop_indexes(tables=BULK_TABLES) -> list[str]:
    """Drop the plain indexes and unique constraints of ``tables`` (primary keys stay);
    returns the statements that rebuild them."""
    names = ", ".join(f"'{t}'" for t in tables)
    with raw_cursor() as cur:
        cur.execute(f"""SELECT c.conrelid::regclass::text, c.conname, pg_get_constraintdef(c.oid)
                        FROM pg_constraint c WHERE c.contype = 'u'
                        AND c.conrelid::regclass::text IN ({names})""")
        constraints = cur.fetchall()
        cur.execute(f"""SELECT i.indexrelid::regclass::text, pg_get_indexdef(i.indexrelid)
                        FROM pg_index i WHERE NOT i.indisprimary
                        AND i.indrelid::regclass::text IN ({names})
                        AND NOT EXISTS (SELECT 1 FROM pg_constraint c WHERE c.conindid = i.indexrelid)""")
        indexes = cur.fetchall()
        rebuild = []
        for table, name, definition in constraints:
            cur.execute(f'ALTER TABLE {table} DROP CONSTRAINT "{name}"')
            rebuild.append(f'ALTER TABLE {table} ADD CONSTRAINT "{name}" {definition}')
        for name, definition in indexes:
            cur.execute(f"DROP INDEX {name}")
            rebuild.append(definition)
    return rebuild


def loading_session(on: bool) -> None:
    """Session settings while loading (``on``) and back to normal after."""
    with raw_cursor() as cur:
        if on:
            for setting in ("session_replication_role = replica", "synchronous_commit = off",
                            "maintenance_work_mem = '512MB'", "work_mem = '256MB'"):
                cur.execute(f"SET {setting}")
        else:
            cur.execute("RESET session_replication_role")
            cur.execute("RESET synchronous_commit")


def table_counts(tables=COUNTED_TABLES) -> dict[str, int]:
    with raw_cursor() as cur:
        counts = {}
        for table in tables:
            cur.execute(f"SELECT COUNT(*) FROM {table}")
            counts[table] = cur.fetchone()[0]
        return counts


def database_size() -> int:
    with raw_cursor() as cur:
        cur.execute("SELECT pg_database_size(current_database())")
        return cur.fetchone()[0]


def load_average() -> str:
    try:
        return " ".join(Path("/proc/loadavg").read_text().split()[:3])
    except OSError:
        return "?"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--database-url", required=True, help="an empty PostgreSQL database")
    parser.add_argument("--branches", type=int, default=FULL["branches"])
    parser.add_argument("--quiet", action="store_true")
    args = parser.parse_args(argv)
    if not args.database_url.startswith(("postgres://", "postgresql://")):
        parser.error("the province set is generated on PostgreSQL only")
    citygen.use_database(args.database_url, tempfile.mkdtemp(prefix="tz-provincegen-"))
    import django

    django.setup()
    from django.core.management import call_command

    log = (lambda *a: None) if args.quiet else (lambda *a: print(*a, flush=True))
    t0 = time.perf_counter()
    call_command("migrate", verbosity=0)
    if citygen.read_meta():
        raise SystemExit("the database already holds a generated data set")
    log(f"generating the province set {sizes(args.branches)} (migrated in {time.perf_counter() - t0:.1f} s, "
        f"load average {load_average()})")
    from provincegen_build import generate

    meta = generate(sizes(args.branches), log)
    print(json.dumps({k: meta[k] for k in ("branches", "members", "records", "rows_total", "timings",
                                           "seconds", "load_average", "db_bytes", "counts")},
                     ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())

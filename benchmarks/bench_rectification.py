"""Rectification ledger speed and limits (issue 4 §4), each figure beside a raw baseline
measured in the same run:

- export of 10k and 100k measures: rows/s of ``write_ledger_xlsx`` (styled, problem cells
  merged, formula-neutralised) ÷ rows/s of a bare openpyxl write-only workbook of the same
  rows (values read with ``values_list``); peak Python memory (tracemalloc) of both;
- import of a 10,000-row ledger: time, ÷ the time of only reading the workbook; then the same
  file with a bad row at sheet row 9,999: the database must be unchanged;
- the ledger page with 100,000 measures: median time and query count, ÷ the raw SQL of one
  page of rows.

    python benchmarks/bench_rectification.py [--measures 100000] [--repeat 5]

Uses a scratch SQLite database in a temporary folder (``TAIZHANG_VAR_DIR``).
"""

from __future__ import annotations

import argparse
import datetime as dt
import statistics
import sys
import time
import tracemalloc
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from scale_common import standalone_django  # noqa: E402

SCRATCH = standalone_django("tz-bench-rect-")

from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.test import Client  # noqa: E402
from django.test.utils import CaptureQueriesContext  # noqa: E402
from openpyxl import Workbook  # noqa: E402

from taizhang.orgs.models import Organization  # noqa: E402
from taizhang.orgs.tests.factories import UserFactory, build_tree, grant  # noqa: E402
from taizhang.plans.importer.readers.xlsx import read_xlsx  # noqa: E402
from taizhang.rectification.exports import HEADERS, write_ledger_xlsx  # noqa: E402
from taizhang.rectification.importer import import_ledger  # noqa: E402
from taizhang.rectification.ledger import export_queryset  # noqa: E402
from taizhang.rectification.models import (  # noqa: E402
    Problem,
    ProblemSource,
    ProgressUpdate,
    Rectification,
)

TODAY = dt.date.today()
STATUSES = ["open", "in_progress", "completed", "verified", "closed"]


def populate(org, n_measures: int, per_problem: int = 3) -> None:
    """Bulk-create ``n_measures`` measures (``per_problem`` each) for ``org`` (set-up only)."""
    source = ProblemSource.objects.get(name="巡视巡察")
    n_problems = -(-n_measures // per_problem)
    problems = Problem.objects.bulk_create(
        [Problem(org=org, number=i + 1, source=source,
                 description=f"问题表现第{i}号：窗口服务午间无人值守，群众反映等候时间长",
                 found_on=TODAY) for i in range(n_problems)], batch_size=2000)
    rows, made = [], 0
    for p in problems:
        for k in range(per_problem):
            if made == n_measures:
                break
            due = TODAY + dt.timedelta(days=(made % 90) - 45)
            rows.append(Rectification(
                problem=p, org=org, position=k + 1, measure=f"整改措施{made}：推行轮岗值班并公布电话",
                kind="deadline", leader_name="周宁", department="办公室", deadline=due, effective_due=due,
                status=STATUSES[made % 5], progress="已制定方案，正在推进", progress_on=TODAY))
            made += 1
    Rectification.objects.bulk_create(rows, batch_size=2000)


def bare_workbook(path: Path, queryset) -> int:
    """The baseline: the same rows' values into a write-only workbook, nothing else."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(HEADERS)
    count = 0
    for row in queryset.values_list("problem_id", "problem__source__name", "problem__description", "measure",
                                    "leader_name", "department", "deadline", "progress", "completion_note",
                                    "status").iterator(chunk_size=2000):
        sheet.append(list(row))
        count += 1
    workbook.save(path)
    return count


def timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


def peak_mib(func, *args) -> float:
    tracemalloc.start()
    func(*args)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def bench_export(orgs, sizes) -> None:
    print("-- export (.xlsx, one row per measure, problem cells merged) --")
    out = Path(SCRATCH)
    for size, org in zip(sizes, orgs, strict=True):
        qs = export_queryset(Rectification.objects.filter(org__path__startswith=org.path))
        # Interleaved, best of three each: other work on the machine slows one run, not the figure.
        runs = [(timed(bare_workbook, out / "bare.xlsx", qs), timed(write_ledger_xlsx, out / "ledger.xlsx", qs))
                for _ in range(3)]
        t_base, n = min(base for base, _ours in runs)
        t_ours, m = min(ours for _base, ours in runs)
        assert n == m == size, (n, m, size)
        mem_base = peak_mib(bare_workbook, out / "bare.xlsx", qs)
        mem_ours = peak_mib(write_ledger_xlsx, out / "ledger.xlsx", qs)
        print(f"{size:>7} rows  ledger {m / t_ours:8.0f} rows/s  bare write-only {n / t_base:8.0f} rows/s  "
              f"ratio {t_base / t_ours:5.2f} (target >= 0.7)   peak memory ledger {mem_ours:6.1f} MiB, "
              f"bare {mem_base:6.1f} MiB")


def ledger_file(path: Path, rows: int, bad_row: int | None = None) -> Path:
    """A 10,000-row ledger in the practitioners' columns (title row, header, 2 measures a
    problem), optionally with an unreadable deadline at sheet row ``bad_row``."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["2023年问题整改台账"])
    sheet.append(HEADERS)
    for i in range(rows):
        sheet_row = i + 3
        problem = i // 2
        deadline = "下个月吧" if sheet_row == bad_row else ["2023.12.31", "2024年1月15日", "12月底前", "长期坚持", "立行立改"][i % 5]
        sheet.append([problem + 1, "巡视巡察", f"导入问题第{problem}号：公文流转环节多", f"导入措施{i}：压缩流转环节",
                      "周宁", "办公室", deadline, "已推进" if i % 3 else "", "", "是" if i % 7 == 0 else "否"])
    workbook.save(path)
    return path


def db_state() -> tuple:
    from auditlog.models import LogEntry

    from taizhang.core.models import Event

    return (Problem.objects.count(), Rectification.objects.count(), ProgressUpdate.objects.count(),
            ProblemSource.objects.count(), LogEntry.objects.count(), Event.objects.count())


def bench_import(org) -> None:
    print("-- import of a 10,000-row ledger --")
    path = ledger_file(Path(SCRATCH) / "import.xlsx", 10_000)
    t_read, _doc = timed(read_xlsx, path)
    t_import, result = timed(import_ledger, path, org)
    assert result.ok and result.measures_created == 10_000, result.errors[:3]
    print(f"import {t_import:6.2f} s ({10_000 / t_import:6.0f} rows/s)   reading the workbook only "
          f"{t_read:5.2f} s   ratio {t_import / t_read:5.1f}x   ({result.summary()})")
    bad = ledger_file(Path(SCRATCH) / "bad.xlsx", 10_000, bad_row=9_999)
    before = db_state()
    t_bad, result = timed(import_ledger, bad, Organization.objects.get_parent(org))
    after = db_state()
    print(f"bad row at 9,999: {len(result.errors)} error(s) {[str(e) for e in result.errors]} in {t_bad:5.2f} s; "
          f"database unchanged: {before == after} (problems, measures, updates, sources, audit, events = {after})")
    assert before == after and [e.row for e in result.errors] == [9_999]


def bench_page(size: int, repeat: int) -> None:
    print(f"-- ledger page with {size} measures --")
    user = UserFactory(username="bench")
    grant(user, Organization.objects.get(code="BDW"), "committee_staff")
    client = Client()
    client.force_login(user)
    client.get("/rectification/")
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        response = client.get("/rectification/")
        times.append(time.perf_counter() - start)
        assert response.status_code == 200
    with CaptureQueriesContext(connection) as ctx:
        client.get("/rectification/?page=3")
    with CaptureQueriesContext(connection) as ctx2:
        client.get("/rectification/?due=overdue")
    raw = []
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cursor:
            cursor.execute("SELECT * FROM rectification_rectification ORDER BY id LIMIT 50")
            cursor.fetchall()
        raw.append(time.perf_counter() - start)
    page, base = statistics.median(times), statistics.median(raw)
    print(f"median {page * 1000:7.1f} ms  raw SQL of one page {base * 1000:6.2f} ms  ratio {page / base:7.0f}x  "
          f"queries {len(ctx)} (page 3) / {len(ctx2)} (overdue filter) — constant")


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--measures", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    tree = build_tree(branches=3, groups=0, code="BDW")
    small, rest, importer_org = tree["branches"]
    small_n = args.measures // 10
    t0 = time.perf_counter()
    populate(small, small_n)
    populate(rest, args.measures - small_n)
    print(f"(set-up: {args.measures} measures in {time.perf_counter() - t0:.1f} s, database {SCRATCH})")
    bench_export([small, tree["committee"]], [small_n, args.measures])
    bench_page(args.measures, args.repeat)
    bench_import(importer_org)
    return 0


if __name__ == "__main__":
    sys.exit(main())

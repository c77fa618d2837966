"""Writes beside a large import (issue 13 §1, issue 14 "a 10,000-row ledger import ≤ 3×
reading the workbook"), each figure beside a raw baseline measured in the same run:

- ``ledger_import_10k``: seconds to import a 10,000-row ledger (``import_ledger``, one
  process, SQLite file database), ratio to reading the same workbook with openpyxl
  (read-only, every cell value); goal ≤ 3;
- then the same import into another branch while writers run:
- ``ledger_import_10k_concurrent_write_errors``: writers in other processes (failed logins
  through the login page, so django-axes writes, and problems saved through the
  rectification service) running during that import: how many failed (500, "database is
  locked"); goal 0;
- ``ledger_import_10k_write_wait``: the longest a concurrent write waited (≈ how long the
  import held SQLite's write lock), ratio to the median write; goal ≤ 2 s;
- ``ledger_import_10k_lock``: how long the import's transaction lasted (BEGIN IMMEDIATE to
  the end of the commit and its on-commit handlers: SQLite's write lock), measured in the
  import alone, ratio to the whole import; goal ≤ 1.5 s ("about a second", issue 13 §1).

    python benchmarks/bench_writes.py [--rows 10000] [--writers 4]

``--writers 0``: only ``ledger_import_10k`` and ``ledger_import_10k_lock`` (the import alone,
no second import beside writers).

Prints ``figure: NAME VALUE UNIT ratio R goal G met`` (or ``not met``) lines.
Uses a scratch SQLite database in a temporary folder (``TAIZHANG_VAR_DIR``).
"""

from __future__ import annotations

import argparse
import logging
import multiprocessing
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from figures import figure  # noqa: E402
from scale_common import standalone_django  # noqa: E402

SCRATCH = standalone_django("tz-bench-writes-")

from django.core.management import call_command  # noqa: E402
from django.db import connections  # noqa: E402
from django.test import Client  # noqa: E402
from openpyxl import Workbook, load_workbook  # noqa: E402

from taizhang.orgs.tests.factories import build_tree  # noqa: E402
from taizhang.rectification.exports import HEADERS  # noqa: E402
from taizhang.rectification import importer  # noqa: E402
from taizhang.rectification.importer import import_ledger  # noqa: E402
from taizhang.rectification.services import create_problem, source_named  # noqa: E402


def ledger_file(path: Path, rows: int) -> Path:
    """A ledger in the practitioners' columns (title row, header, 2 measures a problem)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(["2023年问题整改台账"])
    sheet.append(HEADERS)
    for i in range(rows):
        problem = i // 2
        deadline = ["2023.12.31", "2024年1月15日", "12月底前", "长期坚持", "立行立改"][i % 5]
        sheet.append([problem + 1, "巡视巡察", f"导入问题第{problem}号：公文流转环节多", f"导入措施{i}：压缩流转环节",
                      "周宁", "办公室", deadline, "已推进" if i % 3 else "", "", "是" if i % 7 == 0 else "否"])
    workbook.save(path)
    return path


class TimedAtomic:
    """Stands in for ``django.db.transaction`` in the importer module: every outermost
    ``atomic()`` block's duration is appended to ``spans``."""

    def __init__(self):
        from django.db import transaction

        self.transaction, self.spans = transaction, []

    def __getattr__(self, name):
        return getattr(self.transaction, name)

    def atomic(self, *args, **kwargs):
        inner, spans = self.transaction.atomic(*args, **kwargs), self.spans

        class Block:
            def __enter__(self):
                self.start = time.perf_counter()
                return inner.__enter__()

            def __exit__(self, *exc):
                outcome = inner.__exit__(*exc)
                spans.append(time.perf_counter() - self.start)
                return outcome
        return Block()


def read_workbook(path: Path) -> int:
    """The baseline: every cell value of the workbook read with openpyxl (read-only)."""
    workbook = load_workbook(path, read_only=True, data_only=True)
    cells = 0
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows(values_only=True):
            cells += len(row)
    workbook.close()
    return cells


def write_loop(kind: int, org_id: int, stop, out) -> None:
    """One writer process: until ``stop`` is set, write every 50 ms — even ``kind``: post a
    wrong password to the login page (django-axes records the failure; a new user name each
    time, so no lockout cuts the writes short), odd: create a problem through the service.
    Puts (latencies, errors) on ``out`` at the end."""
    from taizhang.orgs.models import Organization

    logging.disable(logging.CRITICAL)  # the failures are counted, not printed one by one
    client = Client(raise_request_exception=True)
    org = Organization.objects.get(pk=org_id)
    latencies, errors, i = [], [], 0
    while not stop.is_set():
        start = time.perf_counter()
        try:
            if kind % 2 == 0:
                response = client.post("/login/", {"username": f"nobody{kind}-{i}", "password": "wrong"})
                if response.status_code >= 500:
                    raise RuntimeError(f"login answered {response.status_code}")
            else:
                create_problem(org=org, source=source_named("基层调研"),
                               description=f"并发写入的问题 {kind}-{i}：窗口午间无人值守")
        except Exception as error:  # noqa: BLE001 — every failure is the figure
            errors.append(f"{type(error).__name__}: {error}")
        latencies.append(time.perf_counter() - start)
        i += 1
        time.sleep(0.05)
    out.put((latencies, errors))


class Writers:
    """``n`` writer processes (as gunicorn's workers are) running while :meth:`run` lasts,
    each :func:`write_loop`; their latencies and failures are gathered."""

    def __init__(self, n: int, org):
        self.n, self.org = n, org
        self.latencies: list[float] = []
        self.errors: list[str] = []

    def run(self, func, *args):
        context = multiprocessing.get_context("fork")
        stop, out = context.Event(), context.Queue()
        connections.close_all()  # each process opens its own connection
        processes = [context.Process(target=write_loop, args=(k, self.org.pk, stop, out))
                     for k in range(self.n)]
        for process in processes:
            process.start()
        try:
            time.sleep(1.0)  # writers under way before the import starts
            return func(*args)
        finally:
            time.sleep(0.3)
            stop.set()
            for _ in processes:
                latencies, errors = out.get()
                self.latencies += latencies
                self.errors += errors
            for process in processes:
                process.join()


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--writers", type=int, default=4)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    alone, beside, others = build_tree(branches=3, groups=0, code="BWR")["branches"]
    path = ledger_file(Path(SCRATCH) / "ledger.xlsx", args.rows)
    n = f"{args.rows // 1000}k"

    reads = [_clocked(read_workbook, path) for _ in range(2)]
    t_read, c_read = min(r[0] for r in reads), min(r[1] for r in reads)
    timed_atomic = TimedAtomic()
    importer.transaction = timed_atomic
    t_import, c_import, result = _clocked(import_ledger, path, alone)
    # The processor time of this process beside the wall time: on a loaded machine the wall
    # times of the two swing by 2-3x from run to run, the processor times much less.
    print(f"(processor time: reading the workbook {c_read:.2f} s, the import {c_import:.2f} s, "
          f"ratio {c_import / c_read:.2f}; load average {' '.join(_loadavg())})")
    importer.transaction = timed_atomic.transaction
    assert result.ok and result.measures_created == args.rows, result.errors[:3]
    if args.writers <= 0:
        print(f"({result.summary()}; reading the workbook {t_read:.2f} s; database {SCRATCH})")
        figure(f"ledger_import_{n}", round(t_import, 2), "s", t_import / t_read, 3, t_import / t_read <= 3)
        lock = max(timed_atomic.spans)
        figure(f"ledger_import_{n}_lock", round(lock, 2), "s", lock / t_import, 1.5, lock <= 1.5)
        return 0
    writers = Writers(args.writers, others)
    t_beside, result = _timed(writers.run, import_ledger, path, beside)
    assert result.ok and result.measures_created == args.rows, result.errors[:3]
    print(f"({result.summary()}; reading the workbook {t_read:.2f} s; the import beside {args.writers} "
          f"writer processes {t_beside:.2f} s, {len(writers.latencies)} writes; database {SCRATCH})")
    figure(f"ledger_import_{n}", round(t_import, 2), "s", t_import / t_read, "<=3x")
    errors = len(writers.errors)
    figure(f"ledger_import_{n}_concurrent_write_errors", errors, "errors",
           errors / max(len(writers.latencies), 1), "<=0")
    for error in sorted(set(writers.errors))[:3]:
        print(f"  e.g. {error}")
    wait, median = max(writers.latencies), statistics.median(writers.latencies)
    figure(f"ledger_import_{n}_write_wait", round(wait, 2), "s", wait / median, "<=2")
    lock = max(timed_atomic.spans)
    figure(f"ledger_import_{n}_lock", round(lock, 2), "s", lock / t_import, "<=1.5")
    return 0


def _clocked(func, *args):
    """(wall seconds, processor seconds of this process, result) of ``func(*args)``."""
    start, cpu = time.perf_counter(), time.process_time()
    result = func(*args)
    return time.perf_counter() - start, time.process_time() - cpu, result


def _loadavg() -> list[str]:
    try:
        return Path("/proc/loadavg").read_text().split()[:3]
    except OSError:
        return ["?"]


def _timed(func, *args):
    start = time.perf_counter()
    result = func(*args)
    return time.perf_counter() - start, result


if __name__ == "__main__":
    sys.exit(main())

"""Compliance checks at city scale (issue 5 §3), beside a raw baseline from the same run:

- evaluate every active rule for one year (2023; the data set covers 2023-09 … 2024-01) for
  the whole committee: wall time (median of ``--repeat``) and number of queries;
- the raw baseline: one SQL ``GROUP BY`` counting meetings per branch × month × kind over the
  same year (time, 1 query) — the figure the frequency rules rest on;
- the same evaluation on the data set of a tenth of the branches, in a subprocess: the query
  count must be equal (it does not depend on the number of branches), else exit status 1.

    python benchmarks/bench_compliance.py [--scale 1] [--repeat 3]    # 500 branches, 200k records
    python benchmarks/bench_compliance.py --scale 0.02                 # smoke test

The data set is ``benchmarks/citygen.py``'s (cached SQLite file per scale, generated on first
use; see its docstring). Nothing is written to it.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402
from figures import figure  # noqa: E402

YEAR = "2023"


def measure(scale: float, repeat: int) -> dict:
    """Evaluate the year ``repeat`` times on the data set of ``scale``; the raw baseline."""
    scratch = tempfile.mkdtemp(prefix="tz-bench-compliance-")
    source = citygen.ensure(scale, quiet=True)
    citygen.use_database(f"sqlite:///{source}", scratch)
    import django

    django.setup()
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taizhang.compliance import periods as P
    from taizhang.compliance.engine import evaluate
    from taizhang.orgs.models import Organization

    meta = citygen.read_meta()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    period = P.parse(YEAR)
    times, queries, report = [], None, None
    # one untimed run first: the first evaluation imports the check modules, loads the
    # translations and reverses the URLs (~0.4 s here); with ``--repeat 2`` the median was
    # the mean of that cold run and a warm one
    evaluate(root, period)
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            start = time.perf_counter()
            report = evaluate(root, period)
            times.append(time.perf_counter() - start)
        queries = len(ctx.captured_queries)
    raw_times, cells = [], 0
    sql = ("SELECT m.org_id, m.kind, strftime('%Y-%m', m.date), COUNT(*) FROM records_meeting m "
           "JOIN orgs_organization o ON o.id = m.org_id WHERE o.path LIKE %s AND m.date BETWEEN %s AND %s "
           "GROUP BY 1, 2, 3")
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, [root.path + "%", period.start.isoformat(), period.end.isoformat()])
            cells = len(cur.fetchall())
        raw_times.append(time.perf_counter() - start)
    by_rule: dict[str, int] = {}
    for v in report.counted():
        by_rule[v.rule.id] = by_rule.get(v.rule.id, 0) + 1
    return {"scale": scale, "branches": meta.get("branches"), "members": meta.get("members"),
            "records": meta.get("records"), "time": statistics.median(times), "queries": queries,
            "raw_time": statistics.median(raw_times), "raw_cells": cells,
            "violations": len(report.counted()), "reminders": len(report.violations) - len(report.counted()),
            "by_rule": by_rule}


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--one", action="store_true", help="measure one scale, print JSON (internal)")
    args = parser.parse_args(argv)
    if args.one:
        print(json.dumps(measure(args.scale, args.repeat)))
        return 0
    results = []
    for scale in (args.scale / 10, args.scale):
        out = subprocess.run([sys.executable, __file__, "--one", "--scale", f"{scale:g}", "--repeat",
                              str(args.repeat)], capture_output=True, text=True, env={**os.environ})
        if out.returncode != 0:
            print(out.stderr[-2000:], file=sys.stderr)
            return 1
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    for r in results:
        print(f"scale {r['scale']:g}: {r['branches']} branches, {r['members']} members, {r['records']} records")
        print(f"  all rules for {YEAR}: {r['time']:.3f} s, {r['queries']} queries; "
              f"{r['violations']} violations (+{r['reminders']} reminders)")
        print(f"  raw SQL count per branch × month × kind: {r['raw_time'] * 1000:.1f} ms, 1 query, "
              f"{r['raw_cells']} cells  → ratio {r['time'] / r['raw_time']:.0f}×")
        print(f"  violations per rule: {json.dumps(r['by_rule'], ensure_ascii=False, sort_keys=True)}")
    small, large = results
    figure(f"regulations_year_{large['branches']}_branches", large["time"], "s",
           large["time"] / large["raw_time"], "<=5x")
    same = small["queries"] == large["queries"]
    print(f"queries at {small['branches']} vs {large['branches']} branches: {small['queries']} vs "
          f"{large['queries']} → {'independent of the number of branches' if same else 'DEPENDS ON BRANCHES'}")
    return 0 if same else 1


if __name__ == "__main__":
    sys.exit(main())

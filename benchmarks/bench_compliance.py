"""Compliance checks at city scale (issue 5 §3, issue 14), beside a raw baseline from the same run:

- **cold**: evaluate every active rule for one year (2023; the data set covers 2023-09 …
  2024-01) for the whole committee with nothing kept (``compliance.store.evaluate_stored``
  on empty tables: the full evaluation plus keeping its findings per row) — wall time
  (median of ``--repeat``) and number of queries; the plain ``engine.evaluate`` alone is
  printed too;
- **warm after a change** — the goal figure (``regulations_year_N_branches_warm``): record a
  meeting in about 1 % of the branches (at least one) through the records services, then
  evaluate the year again: only the changed rows are recomputed, the others read back. The
  result is checked equal to a fresh evaluation (exit status 1 otherwise);
- the raw baseline: one SQL ``GROUP BY`` counting meetings per branch × month × kind over the
  same year (time, 1 query) — the figure the frequency rules rest on;
- the same on the data set of a tenth of the branches, in a subprocess: the query counts
  must be equal (they do not depend on the number of branches), else exit status 1.

    python benchmarks/bench_compliance.py [--scale 1] [--repeat 3]    # 500 branches, 200k records
    python benchmarks/bench_compliance.py --scale 0.02                 # smoke test

The data set is ``benchmarks/citygen.py``'s (cached SQLite file per scale, generated on first
use; see its docstring), copied first: the warm measurement writes meetings.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402
import scale_common  # noqa: E402
from figures import figure  # noqa: E402

YEAR = "2023"
RATIO_GOAL, RATIO_GOAL_BRANCHES = "<=5x", 500  # issue 14: "at city scale ≤ 5× the raw count"


def measure(scale: float, repeat: int) -> dict:
    """Cold and warm-after-change evaluations of the year on a copy of the data set of
    ``scale`` (``repeat`` times each), the raw baseline, and whether warm equals fresh."""
    scratch = tempfile.mkdtemp(prefix="tz-bench-compliance-")
    work = Path(scratch) / "city.sqlite3"
    shutil.copyfile(citygen.ensure(scale, quiet=True), work)
    citygen.use_database(f"sqlite:///{work}", scratch)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection

    call_command("migrate", verbosity=0)  # migrations added since the data set was cached
    from taizhang.compliance import periods as P
    from taizhang.compliance import store
    from taizhang.compliance.engine import evaluate
    from taizhang.compliance.models import FindingsChange, StoredEvaluation
    from taizhang.orgs.models import Organization, OrgKind
    from taizhang.records import services as records

    meta = citygen.read_meta()
    root = Organization.objects.filter(depth=1).order_by("path").first()
    period = P.parse(YEAR)
    branches = list(Organization.objects.filter(path__startswith=root.path, kind=OrgKind.BRANCH).order_by("path"))
    per_change = max(1, round(len(branches) / 100))

    def timed(func):
        with scale_common.QueryCounter() as counter:
            start = time.perf_counter()
            result = func()
            return time.perf_counter() - start, len(counter), result

    # one untimed run first: the first evaluation imports the check modules, loads the
    # translations and reverses the URLs (~0.4 s here)
    evaluate(root, period)
    plain_runs = [timed(lambda: evaluate(root, period)) for _ in range(repeat)]
    plain, plain_queries = [t for t, _q, _r in plain_runs], plain_runs[-1][1]
    cold, cold_queries = [], 0
    for _ in range(repeat):
        StoredEvaluation.objects.all().delete()
        FindingsChange.objects.all().delete()
        seconds, cold_queries, report = timed(lambda: store.evaluate_stored(root, period))
        cold.append(seconds)
    warm, warm_queries, writes, changed = [], 0, [], []
    for i in range(repeat):
        chosen = branches[(i * per_change) % len(branches):][:per_change]
        start = time.perf_counter()
        for branch in chosen:
            people = list(branch.members.filter(is_active=True).order_by("pk")[:5])
            records.create_meeting(branch, "branch_committee_meeting", dt.date(2023, 12, 20 + i % 8),
                                   attendance=[{"member": p} for p in people], title="基准测试补录",
                                   start_time=dt.time(15, 0), place="会议室")
        writes.append(time.perf_counter() - start)
        changed.append(len(chosen))
        seconds, warm_queries, report = timed(lambda: store.evaluate_stored(root, period))
        warm.append(seconds)
    fresh = store.canonical(evaluate(root, period))
    equal = report.violations == fresh.violations and report.cells == fresh.cells
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
    connection.close()
    shutil.rmtree(scratch, ignore_errors=True)
    return {"scale": scale, "branches": meta.get("branches"), "members": meta.get("members"),
            "records": meta.get("records"), "plain": statistics.median(plain), "plain_queries": plain_queries,
            "cold": statistics.median(cold), "cold_queries": cold_queries,
            "warm": statistics.median(warm), "warm_queries": warm_queries, "changed": changed,
            "writes": statistics.median(writes), "equal": equal,
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
    results = scale_common.two_scales(__file__, args.scale, args.repeat)
    if results is None:
        return 1
    for r in results:
        raw = r["raw_time"]
        print(f"scale {r['scale']:g}: {r['branches']} branches, {r['members']} members, {r['records']} records")
        print(f"  raw SQL count per branch × month × kind: {raw * 1000:.1f} ms, 1 query, {r['raw_cells']} cells")
        print(f"  engine.evaluate alone (nothing kept):       {r['plain']:.3f} s, {r['plain_queries']} queries "
              f"→ ratio {r['plain'] / raw:.1f}×")
        print(f"  cold (nothing kept; evaluate and keep):     {r['cold']:.3f} s, {r['cold_queries']} queries "
              f"→ ratio {r['cold'] / raw:.1f}×")
        print(f"  warm after recording a meeting in {r['changed'][0]} branch(es) ({r['writes'] * 1000:.0f} ms of "
              f"writes, not timed): {r['warm']:.3f} s, {r['warm_queries']} queries → ratio {r['warm'] / raw:.1f}×; "
              f"{'equal to a fresh evaluation' if r['equal'] else 'DIFFERS FROM A FRESH EVALUATION'}")
        print(f"  {r['violations']} violations (+{r['reminders']} reminders); per rule: "
              f"{json.dumps(r['by_rule'], ensure_ascii=False, sort_keys=True)}")
    small, large = results
    n = large["branches"]
    # the goal figure: the year's regulations as a page asks for them, kept and renewed after a change
    # the ≤5x goal is the "at city scale" (500 branches); on a smaller set the raw
    # GROUP BY takes a few ms, less than the framework's fixed cost of the evaluation's ~17
    # queries (~0.8 ms each to build), so there only a page's ≤0.3 s is checked
    goal = RATIO_GOAL if n >= RATIO_GOAL_BRANCHES else "<=0.3"
    if n < RATIO_GOAL_BRANCHES:
        print(f"  (the ≤5x goal is stated at city scale, {RATIO_GOAL_BRANCHES} branches; at {n} branches the raw "
              f"count ({large['raw_time'] * 1000:.1f} ms) is smaller than the evaluation's fixed cost, so only "
              f"≤0.3 s is checked)")
    figure(f"regulations_year_{n}_branches_warm", large["warm"], "s", large["warm"] / large["raw_time"], goal)
    figure(f"regulations_year_{n}_branches_cold", large["cold"], "s", large["cold"] / large["raw_time"], goal)
    # keeping the findings writes one row per branch (batches of a few hundred): only the
    # evaluation's own queries and the warm run's must not depend on the number of branches
    same = (small["plain_queries"], small["warm_queries"]) == (large["plain_queries"], large["warm_queries"])
    print(f"queries (evaluate, warm; cold) at {small['branches']} vs {n} branches: {small['plain_queries']}, "
          f"{small['warm_queries']}; {small['cold_queries']} vs {large['plain_queries']}, {large['warm_queries']}; "
          f"{large['cold_queries']} → {'independent of the number of branches' if same else 'DEPEND ON BRANCHES'}")
    return 0 if same and small["equal"] and large["equal"] else 1


if __name__ == "__main__":
    sys.exit(main())

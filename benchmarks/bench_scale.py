"""City-scale speed (issue 3 §5): the progress board, each figure beside a raw baseline
measured in the same run:

- the progress board of all branches (a committee staff user, through the URL and view):
  median time and query count, ÷ one hand-written SQL aggregate computing the same cells
  (per assignment its status/due, and occurrences done/total); the board's cells are checked
  against that SQL; the query count on a data set with a tenth of the branches must be equal;
- (context for issue 5, no figure) ``evaluate_campaign`` of the whole campaign.

The other city-scale figures are their own benchmarks: ``bench_saves.py`` (re-evaluation after
one record save) and ``bench_ledger.py`` (the meeting-attendance ledger export); what they
share is in ``scale_common.py``.

    python benchmarks/bench_scale.py [--scale 1] [--repeat 5]     # full city: 500 branches
    python benchmarks/bench_scale.py --scale 0.02                 # smoke test, < 1 minute

The data set comes from ``citygen.py`` (cached SQLite file per scale, generated on first
use; the benchmark works on a private copy). ``--database-url`` runs on a database already
filled by ``citygen.py --database-url`` (e.g. PostgreSQL). Exit status: 0, or 1 when
something failed (an error, a wrong board cell, a query count that depends on the number of
branches) — never because a figure is slow.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import figure  # noqa: E402
from scale_common import (  # noqa: E402  (setup, staff_client, QueryCounter: also used by bench_pages/bench_publish)
    QueryCounter, arguments, fail, median_time, run, setup, staff_client,
)

SECTIONS = ("board", "evaluate")

# --- board --------------------------------------------------------------------------------

RAW_BOARD_SQL = """
SELECT a.id, a.item_id, a.org_id, o.name, a.status, a.due, a.evidence_count, a.evidence_needed,
       COUNT(oc.id) AS total,
       SUM(CASE WHEN oc.status = 'done' THEN 1 ELSE 0 END) AS done,
       MIN(CASE WHEN oc.status <> 'done' THEN oc.due END) AS next_due
FROM plans_assignment a
JOIN plans_planitem i ON i.id = a.item_id
JOIN orgs_organization o ON o.id = a.org_id
LEFT JOIN plans_occurrence oc ON oc.assignment_id = a.id
WHERE i.plan_id = %s AND i.kind = 'task' AND i.responsible IN ('branch', 'member')
  AND o.path LIKE %s
  AND NOT EXISTS (SELECT 1 FROM plans_planitem c WHERE c.parent_id = i.id AND c.kind = 'task')
GROUP BY a.id, a.item_id, a.org_id, o.name, o.path, a.status, a.due, a.evidence_count,
         a.evidence_needed
ORDER BY o.path, a.item_id
"""


def raw_board(plan_id: int, path: str) -> list[tuple]:
    from django.db import connection

    with connection.cursor() as cur:
        cur.execute(RAW_BOARD_SQL, [plan_id, path + "%"])
        return cur.fetchall()


def measure_board(meta: dict, repeat: int) -> dict:
    """Board page (client → URL → view → template) of the committee staff user."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.urls import reverse

    from taizhang.orgs.models import Organization
    from taizhang.plans.board import build_board
    from taizhang.plans.models import Campaign

    client, user = staff_client(meta)
    campaign = Campaign.objects.select_related("plan").get(pk=meta["campaign_id"])
    url = reverse("plans:board", args=[campaign.pk])
    response = client.get(url)
    assert response.status_code == 200, response.status_code
    page = median_time(lambda: client.get(url), repeat)
    with QueryCounter() as ctx:
        size = len(client.get(url).content)
    with CaptureQueriesContext(connection) as log:
        client.get(url)
    build = median_time(lambda: build_board(campaign, user), repeat)
    path = Organization.objects.get(code=meta["committee_code"]).path
    rows = raw_board(campaign.plan.pk, path)
    raw = median_time(lambda: raw_board(campaign.plan.pk, path), max(repeat, 5))
    board = build_board(campaign, user)
    cells = {c.assignment_id: c for row in board.rows for c in row.cells if c}
    bad = 0
    for pk, _item, _org, _name, status, _due, _count, _needed, total, done, _next in rows:
        cell = cells.get(pk)
        if cell is None:
            bad += 1
        elif total:  # recurring: periods done / total
            bad += (cell.done, cell.total) != (done or 0, total)
        else:
            bad += (cell.status == "done") != (status == "done")
    return {"branches": len(board.rows), "cells": len(cells), "raw_rows": len(rows), "bad": bad,
            "queries": len(ctx), "page": page, "repeat": repeat, "build": build, "raw": raw, "bytes": size,
            "sql": [q["sql"][:160] for q in log.captured_queries]}


def small_board(args) -> dict | None:
    """The board measured in a subprocess on the data set of a tenth of the branches."""
    if args.database_url and not args.small_database_url:
        return None
    small = args.scale / 10
    cmd = [sys.executable, str(Path(__file__).resolve()), "--board-only", "--scale", f"{small:g}",
           "--repeat", str(args.repeat)]
    if args.cache_dir:
        cmd += ["--cache-dir", str(args.cache_dir)]
    if args.small_database_url:
        cmd += ["--database-url", args.small_database_url]
    out = subprocess.run(cmd, capture_output=True, text=True, env={**os.environ})
    for line in out.stdout.splitlines():
        if line.startswith("BOARD_JSON "):
            return json.loads(line[len("BOARD_JSON "):])
    fail(f"board at scale {small:g} failed: {out.stderr.strip()[-600:]}")
    return None


def report_board(meta: dict, big: dict, small: dict | None) -> None:
    print(f"-- board of the committee staff user: {big['branches']} branches, {big['cells']} cells, "
          f"page {big['bytes'] / 1024:.0f} KiB (median of {big['repeat']}) --")
    print(f"  page (client→view→template)  median {big['page'] * 1000:8.1f} ms   queries {big['queries']}")
    print(f"  build_board() alone          median {big['build'] * 1000:8.1f} ms   "
          f"(template + request {max(big['page'] - big['build'], 0) * 1000:.1f} ms)")
    figure(f"board_build_{big['branches']}_branches", big["build"] * 1000, "ms", big["build"] / big["raw"])
    print(f"  raw SQL aggregate (1 query)  median {big['raw'] * 1000:8.1f} ms   "
          f"ratio page/raw {big['page'] / big['raw']:7.1f}x   build_board/raw {big['build'] / big['raw']:6.1f}x")
    if big["bad"] or big["raw_rows"] != big["cells"]:
        fail(f"board cells differ from the raw SQL: {big['bad']} wrong, {big['cells']} cells vs "
             f"{big['raw_rows']} rows")
    else:
        print(f"  cells agree with the raw SQL: {big['cells']} of {big['raw_rows']}")
    if small is None:
        print("  (query count at a tenth of the branches: skipped — no small database)")
        return
    same = small["queries"] == big["queries"]
    print(f"  queries at {small['branches']} branches: {small['queries']} (page median "
          f"{small['page'] * 1000:.1f} ms); at {big['branches']} branches: {big['queries']} "
          f"(median {big['page'] * 1000:.1f} ms) — {'equal' if same else 'NOT equal'}; "
          f"time ×{big['page'] / small['page']:.1f} for ×{big['branches'] / max(small['branches'], 1):.0f} branches")
    if not same:
        fail(f"board query count depends on the number of branches: {small['queries']} vs {big['queries']}")
        for q in big["sql"]:
            print(f"     {q}")


# --- whole-campaign evaluation (context for issue 5) ------------------------------------

def measure_evaluate(meta: dict) -> list[dict]:
    """evaluate_campaign twice: with every done target reset to pending first (all status
    moves happen again, as on a first publish after records exist), then again unchanged."""
    from django.db import transaction

    from taizhang.plans.evidence import evaluate_campaign
    from taizhang.plans.models import Assignment, Campaign, Occurrence

    campaign = Campaign.objects.get(pk=meta["campaign_id"])
    results = []
    for label in ("from pending (every status move again)", "again (nothing changes)"):
        if label.startswith("from"):
            with transaction.atomic():
                Assignment.objects.filter(item__plan__campaign=campaign, status="done").update(status="pending")
                Occurrence.objects.filter(assignment__item__plan__campaign=campaign, status="done").update(
                    status="pending")
        with QueryCounter() as counter:
            t0 = time.perf_counter()
            outcome = evaluate_campaign(campaign)
            seconds = time.perf_counter() - t0
        results.append({"label": label, "seconds": seconds, "queries": counter.count,
                        "evaluated": outcome.evaluated, "changed": outcome.completed + outcome.reopened})
    return results


def board_section(meta: dict, args, scratch: str) -> None:
    """Measure and report the board (``args.small``: the subprocess's tenth-scale result)."""
    report_board(meta, measure_board(meta, args.repeat), args.small)


def evaluate_section(meta: dict, args, scratch: str) -> None:
    """Run and report :func:`measure_evaluate`."""
    print("-- evaluate_campaign of the whole campaign (context for issue 5) --")
    for ev in measure_evaluate(meta):
        print(f"  {ev['label']:<40} {ev['evaluated']} targets, {ev['changed']:5d} status moves: "
              f"{ev['seconds']:6.1f} s, {ev['queries']} queries")


# --- main ---------------------------------------------------------------------------------

def main() -> int:
    parser = arguments(__doc__.splitlines()[0])
    parser.add_argument("--small-database-url", default=None,
                        help="with --database-url: the data set of a tenth of the branches")
    parser.add_argument("--only", default=",".join(SECTIONS),
                        help="comma-separated sections to run (board, evaluate); the record saves and "
                             "the ledger export are bench_saves.py and bench_ledger.py")
    parser.add_argument("--board-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.board_only:
        meta, scratch = setup(args)
        result = measure_board(meta, args.repeat)
        print("BOARD_JSON " + json.dumps({k: result[k] for k in ("branches", "queries", "page", "cells")}))
        shutil.rmtree(scratch, ignore_errors=True)
        return 0

    only = {part.strip() for part in args.only.split(",") if part.strip()}
    if only - set(SECTIONS):
        parser.error(f"unknown section(s) {', '.join(sorted(only - set(SECTIONS)))}: choose from "
                     f"{', '.join(SECTIONS)} (saves: bench_saves.py; export: bench_ledger.py)")
    args.small = small_board(args) if "board" in only else None
    sections = [section for name, section in (("board", board_section), ("evaluate", evaluate_section))
                if name in only]
    return run(args, sections)


if __name__ == "__main__":
    sys.exit(main())

"""Reports at city scale (issue 11), beside a raw baseline from the same run:

- ``summary``: the campaign summary of the whole committee (500 branches, 200k records at
  scale 1): building its context (every figure counted, the per-branch table) and the .docx,
  wall time (median of ``--repeat``) and queries; the baseline is one SQL ``COUNT`` of the
  committee's meetings in the campaign's period;
- ``archive``: the year's archive (.zip: every ledger, every meeting record in Word, the
  compliance findings, problem list, contents page) of one branch and of the whole committee,
  wall time (once: it is minutes at scale 1), size, and the time per meeting record;
  the baseline is one SQL ``COUNT`` of the meetings archived.

    python benchmarks/bench_reports.py [--scale 1] [--repeat 3] [--no-committee-archive]
    python benchmarks/bench_reports.py --scale 0.02                 # smoke test

The data set is ``benchmarks/citygen.py``'s; the benchmark works on a private copy (the
reports app's tables are migrated into it; nothing else is written). ``benchmarks/run.py``
runs it with the others (``make bench``; the committee's archive alone takes ~15 minutes).

Measured at scale 1 (2 shared cores, SQLite, 2026-12-07):
    summary (committee, 48,060 meetings counted): build 1.64 s (29 queries), with .docx 2.44 s;
        raw COUNT 199 ms
    archive (one branch, 2023): 6.3 s for 76 meeting records, 4.4 MB
    archive (committee, 2023): 912 s for 38,353 meeting records (23.8 ms each), 2.1 GB
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402


def _timed(fn):
    start = time.perf_counter()
    result = fn()
    return time.perf_counter() - start, result


def measure(scale: float, repeat: int, committee_archive: bool) -> dict:
    scratch = tempfile.mkdtemp(prefix="tz-bench-reports-")
    work = citygen.working_copy(scale, scratch)
    citygen.use_database(f"sqlite:///{work}", scratch)
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    call_command("migrate", "reports", verbosity=0)
    from taizhang.orgs.models import Organization
    from taizhang.plans.models import Campaign
    from taizhang.records.models import Meeting
    from taizhang.reports.builders import summary
    from taizhang.reports.generate import generate, write_file
    from taizhang.reports.kinds import get_kind
    from taizhang.reports.params import resolve

    meta = citygen.read_meta()
    campaign = Campaign.objects.order_by("pk").first()
    kind = get_kind("summary")
    params = resolve(kind, {"campaign": campaign.pk})
    times, docx_times, queries = [], [], 0
    for _ in range(repeat):
        with CaptureQueriesContext(connection) as ctx:
            elapsed, context = _timed(lambda: summary.build(params))
        times.append(elapsed)
        queries = len(ctx.captured_queries)
        docx_times.append(_timed(lambda: generate(kind, params, "docx"))[0])
    root = campaign.org
    sql = ("SELECT COUNT(*) FROM records_meeting m JOIN orgs_organization o ON o.id = m.org_id "
           "WHERE o.path LIKE %s AND m.date BETWEEN %s AND %s")
    raw = []
    for _ in range(repeat):
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute(sql, [root.path + "%", campaign.start.isoformat(), campaign.end.isoformat()])
            cur.fetchone()
        raw.append(time.perf_counter() - start)
    result = {"scale": scale, "branches": meta.get("branches"), "records": meta.get("records"),
              "summary_build": statistics.median(times), "summary_docx": statistics.median(docx_times),
              "summary_queries": queries, "summary_meetings": context["figures"]["meetings"],
              "raw_count": statistics.median(raw)}
    report(result, ["summary"])
    archive = get_kind("archive")
    targets = [Organization.objects.filter(kind="branch").order_by("path").first()]
    if committee_archive:
        targets.append(root)
    for org in targets:
        label = "committee" if org == root else "branch"
        params = resolve(archive, {"org": org.code, "year": 2023})
        meetings = Meeting.objects.filter(org__path__startswith=org.path, date__year=2023).count()
        target = Path(scratch) / f"archive-{label}.zip"
        elapsed, _name = _timed(lambda: write_file(archive, params, "zip", target))
        start = time.perf_counter()
        with connection.cursor() as cur:
            cur.execute("SELECT COUNT(*) FROM records_meeting m JOIN orgs_organization o ON o.id = m.org_id "
                        "WHERE o.path LIKE %s AND m.date BETWEEN '2023-01-01' AND '2023-12-31'", [org.path + "%"])
            cur.fetchone()
        result[f"archive_{label}"] = {"time": elapsed, "meetings": meetings, "bytes": target.stat().st_size,
                                      "per_meeting_ms": 1000 * elapsed / max(meetings, 1),
                                      "raw_count": time.perf_counter() - start}
        report(result, [label])
    return result


def report(r: dict, parts: list[str]) -> None:
    """Print the figures of ``parts`` ("summary", "branch", "committee") as they are measured."""
    if "summary" in parts:
        print(f"scale {r['scale']:g}: {r['branches']} branches, {r['records']} records")
        print(f"summary (committee, {r['summary_meetings']} meetings counted): build {r['summary_build']:.2f} s "
              f"({r['summary_queries']} queries), with .docx {r['summary_docx']:.2f} s; "
              f"raw COUNT {r['raw_count'] * 1000:.1f} ms → ×{r['summary_build'] / max(r['raw_count'], 1e-9):.0f}",
              flush=True)
    for label in ("branch", "committee"):
        a = r.get(f"archive_{label}")
        if a and label in parts:
            print(f"archive ({label}, 2023): {a['time']:.1f} s for {a['meetings']} meeting records "
                  f"({a['per_meeting_ms']:.1f} ms each), {a['bytes'] / 1e6:.1f} MB; "
                  f"raw COUNT {a['raw_count'] * 1000:.1f} ms", flush=True)


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-committee-archive", action="store_true")
    args = parser.parse_args(argv)
    measure(args.scale, args.repeat, not args.no_committee_archive)
    return 0


if __name__ == "__main__":
    sys.exit(main())

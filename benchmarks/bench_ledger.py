"""City-scale speed (issue 3 §5): the meeting-attendance ledger export, beside a raw baseline
measured in the same run.

The 会议出席台账 (``records.exports`` via ``core.excel.write_xlsx``, the code path of
``/records/attendance/export/``) at 20k, 100k and 200k rows (× scale): rows/s ÷ a bare
openpyxl write-only workbook of the same rows, and peak traced memory (tracemalloc) of both,
which must stay flat; then once through the view itself.

    python benchmarks/bench_ledger.py [--scale 1]      # full city: 500 branches
    python benchmarks/bench_ledger.py --scale 0.02     # smoke test

The data set comes from ``citygen.py`` (a private copy of the cached file, or
``--database-url``). Exit status: 0, or 1 when something failed (an error, a wrong row
count, the view not answering 200) — never because a figure is slow. Shared set-up:
``scale_common.py``.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from figures import figure  # noqa: E402
from scale_common import arguments, fail, run, staff_client  # noqa: E402


def ledger_queryset(user, n: int):
    """The visible attendance rows from the campaign start up to the n-th row in the ledger's
    own order (date, meeting, row): a date-range export of exactly ``n`` rows."""
    from django.db.models import Q

    from taizhang.records.models import Attendance

    visible = Attendance.objects.visible_to(user)
    last = (visible.order_by("meeting__date", "meeting_id", "pk")
            .values_list("meeting__date", "meeting_id", "pk")[n - 1:n])
    date, meeting_id, pk = last[0]
    # date ≤ d keeps the date index usable; the OR only trims the rows of day d.
    return visible.filter(meeting__date__lte=date).filter(
        Q(meeting__date__lt=date) | Q(meeting_id__lt=meeting_id) | Q(meeting_id=meeting_id, pk__lte=pk)), date


def bare_workbook(path: Path, queryset, headers) -> int:
    """Baseline: the same rows' raw values (same query and order) into a write-only workbook."""
    from openpyxl import Workbook

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet()
    sheet.append(headers)
    count = 0
    values = queryset.order_by("meeting__date", "meeting_id", "pk").values_list(
        "meeting__date", "meeting__org__name", "meeting__kind", "meeting__title", "member__name",
        "status", "reason", "voting", "signed_in_at")
    for row in values.iterator(chunk_size=2000):
        count += 1
        sheet.append([count, *row])
    workbook.save(path)
    return count


def query_only(queryset) -> int:
    values = queryset.order_by("meeting__date", "meeting_id", "pk").values_list(
        "meeting__date", "meeting__org__name", "meeting__kind", "meeting__title", "member__name",
        "status", "reason", "voting", "signed_in_at")
    return sum(1 for _ in values.iterator(chunk_size=2000))


def peak_mib(func) -> tuple[float, object]:
    tracemalloc.start()
    result = func()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20, result


def measure_export(meta: dict, sizes: list[int], scratch: str) -> list[dict]:
    from taizhang.core.excel import write_xlsx
    from taizhang.records.exports import ATTENDANCE_LEDGER

    _client, user = staff_client(meta)
    ledger = ATTENDANCE_LEDGER
    headers = [c.header for c in ledger.columns]
    out = Path(scratch)
    results = []
    warm, _ = ledger_queryset(user, sizes[0])  # warm caches and imports once, untimed
    write_xlsx(out / "warm.xlsx", ledger.title, ledger.columns, ledger.rows(warm))
    bare_workbook(out / "warm.xlsx", warm, headers)
    for n in sizes:
        qs, last_date = ledger_queryset(user, n)

        def ours():
            return write_xlsx(out / "ledger.xlsx", ledger.title, ledger.columns, ledger.rows(qs))

        t0 = time.perf_counter()
        written = ours()
        t_ours = time.perf_counter() - t0
        t0 = time.perf_counter()
        bare_n = bare_workbook(out / "bare.xlsx", qs, headers)
        t_bare = time.perf_counter() - t0
        t0 = time.perf_counter()
        query_only(qs)
        t_query = time.perf_counter() - t0
        mem_ours, _ = peak_mib(ours)
        mem_bare, _ = peak_mib(lambda: bare_workbook(out / "bare.xlsx", qs, headers))
        if not written == bare_n == n:
            fail(f"export of {n} rows wrote {written} (bare {bare_n})")
        print(f"  … {n} rows measured", flush=True)
        results.append({"rows": n, "ours": t_ours, "bare": t_bare, "query": t_query, "mem_ours": mem_ours,
                        "mem_bare": mem_bare, "until": last_date, "bytes": (out / "ledger.xlsx").stat().st_size})
    return results


def measure_export_view(meta: dict, until: dt.date) -> dict:
    """The largest export once through the URL (filters → queryset → ledger → FileResponse)."""
    from django.urls import reverse

    from taizhang.records.filtersets import AttendanceFilterSet
    from taizhang.records.models import Attendance

    client, user = staff_client(meta)
    params = {"date_after": "2023-09-01", "date_before": until.isoformat()}
    rows = AttendanceFilterSet(params, queryset=Attendance.objects.visible_to(user)).qs.count()
    t0 = time.perf_counter()
    response = client.get(reverse("records:attendance_export"), params)
    size = sum(len(chunk) for chunk in response.streaming_content)
    seconds = time.perf_counter() - t0
    if response.status_code != 200:
        fail(f"attendance export view answered {response.status_code}")
    return {"rows": rows, "seconds": seconds, "bytes": size}


def report_export(results: list[dict], view: dict | None) -> None:
    print("-- 会议出席台账 (meeting-attendance ledger) export: records.exports + core.excel.write_xlsx --")
    print(f"  {'rows':>8} {'ledger rows/s':>13} {'bare rows/s':>11} {'ratio':>6} {'query only':>10} "
          f"{'peak MiB ledger':>15} {'bare':>6} {'file MiB':>8}")
    for r in results:
        print(f"  {r['rows']:8d} {r['rows'] / r['ours']:13.0f} {r['rows'] / r['bare']:11.0f} "
              f"{r['bare'] / r['ours']:6.2f} {r['query']:8.2f} s {r['mem_ours']:15.1f} {r['mem_bare']:6.1f} "
              f"{r['bytes'] / 2**20:8.1f}")
    last = results[-1]
    figure(f"attendance_ledger_{last['rows']}_rows", last["rows"] / last["ours"], "rows/s",
           last["bare"] / last["ours"])
    print("  (ratio = ledger rows/s ÷ bare write-only rows/s, same query and order; memory: "
          "tracemalloc peak of Python allocations, separate runs)")
    if len(results) > 1:
        growth = results[-1]["mem_ours"] / max(results[0]["mem_ours"], 1e-9)
        like_bare = results[-1]["mem_ours"] <= results[-1]["mem_bare"] * 1.2 + 0.5
        verdict = ("flat" if growth < 1.5 else
                   "within the bare workbook's own buffer" if like_bare else "GROWS with rows")
        print(f"  memory growth {results[0]['rows']} → {results[-1]['rows']} rows: ×{growth:.2f} ({verdict})")
    if view:
        print(f"  through the view /records/attendance/export/ (date filter, {view['rows']} rows): "
              f"{view['seconds']:.1f} s, {view['rows'] / view['seconds']:.0f} rows/s, "
              f"{view['bytes'] / 2**20:.1f} MiB streamed")


def export_section(meta: dict, args, scratch: str) -> None:
    """Measure and report the export at 20k, 100k and 200k rows × scale (at least 100, at
    most the data set's meeting attendance rows), then once through the view."""
    sizes = [max(100, round(n * args.scale)) for n in (20_000, 100_000, 200_000)]
    sizes = [min(n, meta["meeting_attendance"]) for n in sizes]
    exports = measure_export(meta, sizes, scratch)
    report_export(exports, measure_export_view(meta, exports[-1]["until"]))


def main() -> int:
    args = arguments(__doc__.splitlines()[0]).parse_args()
    return run(args, [export_section])


if __name__ == "__main__":
    sys.exit(main())

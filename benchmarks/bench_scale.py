"""City-scale speed (issue 3 §5), each figure beside a raw baseline measured in the same run:

- the progress board of all branches (a committee staff user, through the URL and view):
  median time and query count, ÷ one hand-written SQL aggregate computing the same cells
  (per assignment its status/due, and occurrences done/total); the board's cells are checked
  against that SQL; the query count on a data set with a tenth of the branches must be equal;
- re-evaluation after one record save: the records service (create_study_session /
  create_meeting / create_record / delete_record) with the ``evidence_changed`` receiver
  (``plans.evidence.reevaluate``): time, queries, targets touched (only the affected ones),
  ÷ a bare INSERT of the same record (and its attendance rows) in one transaction;
- the meeting-attendance ledger (``records.exports`` 会议出席台账 via ``core.excel.write_xlsx``,
  the code path of ``/records/attendance/export/``) at 20k, 100k and 200k rows (× scale):
  rows/s ÷ a bare openpyxl write-only workbook of the same rows, and peak traced memory
  (tracemalloc) of both, which must stay flat; then once through the view itself.

    python benchmarks/bench_scale.py [--scale 1] [--repeat 5]     # full city: 500 branches
    python benchmarks/bench_scale.py --scale 0.02                 # smoke test, < 1 minute

The data set comes from ``citygen.py`` (cached SQLite file per scale, generated on first
use; the benchmark works on a private copy). ``--database-url`` runs on a database already
filled by ``citygen.py --database-url`` (e.g. PostgreSQL; records created here are deleted
again). Exit status: 0, or 1 when something failed (an error, a wrong board cell, a query
count that depends on the number of branches, a save touching more targets than it can
affect) — never because a figure is slow.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402
from figures import figure  # noqa: E402

MAX_TARGETS = 3  # a record can affect: the non-recurring task, this period's occurrence, + 1
FAILURES: list[str] = []


def fail(message: str) -> None:
    FAILURES.append(message)
    print(f"  !! {message}", flush=True)


def median_time(func, repeat: int) -> float:
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class QueryCounter:
    """Counts every statement sent on the default connection (no 9,000-query log limit)."""

    def __init__(self):
        self.count = 0
        self._cm = None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)

    def __len__(self):
        return self.count


# --- set-up -------------------------------------------------------------------------------

def setup(args) -> tuple[dict, str | None]:
    """Configure Django on the data set of ``args.scale`` (or ``args.database_url``);
    returns (metadata, scratch folder to remove)."""
    scratch = tempfile.mkdtemp(prefix="tz-bench-scale-")
    if args.database_url:
        citygen.use_database(args.database_url, scratch)
    else:
        t0 = time.perf_counter()
        source = citygen.ensure(args.scale, args.cache_dir, quiet=args.board_only)
        work = Path(scratch) / "city.sqlite3"
        shutil.copyfile(source, work)
        if not args.board_only:
            print(f"(data set {source.name}, copied in {time.perf_counter() - t0:.1f} s)", flush=True)
        citygen.use_database(f"sqlite:///{work}", scratch)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Pages render without collectstatic (as the tests do): plain static storage.
    override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }, WHITENOISE_USE_FINDERS=True).enable()
    call_command("migrate", verbosity=0)  # migrations added since the data set was cached
    meta = citygen.read_meta()
    if not meta:
        raise SystemExit("no generated data set in this database (run citygen.py first)")
    return meta, scratch


def staff_client(meta):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=meta["staff_username"])
    client = Client()
    client.force_login(user)
    return client, user


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


# --- re-evaluation after one record save -------------------------------------------------

class ReceiverProbe:
    """Wraps ``plans.evidence.reevaluate`` (what the evidence_changed receiver calls) to time it
    and count its queries and targets."""

    def __init__(self):
        from taizhang.plans import evidence

        self.evidence = evidence
        self.original = evidence.reevaluate
        self.calls: list[dict] = []

    def __enter__(self):
        def probe(model, org_ids, dates):
            with QueryCounter() as counter:
                start = time.perf_counter()
                targets = self.evidence.affected_targets(model, org_ids, dates)
                outcome = self.evidence.apply(targets)
            self.calls.append({
                "seconds": time.perf_counter() - start, "queries": counter.count,
                "targets": [_describe(t) for t in targets], "completed": outcome.completed,
                "reopened": outcome.reopened})
            return outcome

        self.evidence.reevaluate = probe
        return self

    def __exit__(self, *exc):
        self.evidence.reevaluate = self.original


def _describe(target) -> str:
    ref = target.item.ref
    return f"{ref} {target.period[0]:%Y-%m}" if target.period else f"{ref} (whole campaign)"


def bare_insert(obj, attendance: list[tuple] | None) -> tuple[float, int]:
    """INSERT a copy of ``obj``'s row (and ``attendance`` rows (member_id, status, reason,
    voting)) in one transaction with hand-written SQL; returns (seconds, new id); the caller
    removes the row again (:func:`delete_bare`)."""
    from django.db import connection, transaction

    model = type(obj)
    qn = connection.ops.quote_name
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    values = []
    for f in fields:
        value = getattr(obj, f.attname)
        if f.name == "sign_in_token":
            value = value[:30] + "-bare" + str(time.perf_counter_ns())[-6:]
        values.append(f.get_db_prep_save(value, connection))
    sql = (f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(qn(f.column) for f in fields)}) "
           f"VALUES ({', '.join(['%s'] * len(fields))}) RETURNING id")
    att_sql = None
    if attendance:
        rel = obj.attendance.model
        fk = obj.attendance.field.column
        att_sql = (f"INSERT INTO {qn(rel._meta.db_table)} ({qn(fk)}, member_id, status, reason, voting, "
                   f"signed_in_at) VALUES ")
    start = time.perf_counter()
    with transaction.atomic(), connection.cursor() as cur:
        cur.execute(sql, values)
        new_id = cur.fetchone()[0]
        if att_sql:
            cur.execute(att_sql + ", ".join(["(%s, %s, %s, %s, %s, NULL)"] * len(attendance)),
                        [v for row in attendance for v in (new_id, *row)])
    seconds = time.perf_counter() - start
    return seconds, new_id


def delete_bare(model, new_id: int) -> None:
    from django.db import connection, transaction

    qn = connection.ops.quote_name
    with transaction.atomic(), connection.cursor() as cur:
        if hasattr(model, "attendance"):
            rel = model.attendance.rel.related_model
            fk = model.attendance.field.column
            cur.execute(f"DELETE FROM {qn(rel._meta.db_table)} WHERE {qn(fk)} = %s", [new_id])
        cur.execute(f"DELETE FROM {qn(model._meta.db_table)} WHERE id = %s", [new_id])


def measure_saves(meta: dict, repeat: int) -> list[dict]:
    """Each scenario ``repeat`` times on different branches; medians."""
    from taizhang.orgs.models import Member, Organization, Position
    from taizhang.plans.models import Occurrence
    from taizhang.records import services
    from taizhang.records.models import Lecture, Meeting, SelfStudy, StudySession, Talk

    branches = list(Organization.objects.filter(kind="branch").order_by("path"))
    step = max(1, len(branches) // max(repeat, 1))
    picks = [branches[(i * step + 3) % len(branches)] for i in range(repeat)]
    day = dt.date(2023, 10, 17)

    def people(branch):
        posts = {p.role: p.member for p in Position.objects.filter(org=branch, ended_on__isnull=True)
                 .select_related("member__org")}
        ordinary = Member.objects.filter(org=branch, is_active=True).select_related("org").order_by("-pk").first()
        return posts["secretary"], posts.get("organization_member") or posts["secretary"], ordinary

    def study(branch):
        sec, _rec, _m = people(branch)
        return services.create_study_session(branch, day, "学习习近平关于调查研究的重要论述（基准）",
                                             leader=sec, hours=2, place="会议室")

    def party_day(branch):
        sec, rec, _m = people(branch)
        return services.create_meeting(branch, "theme_party_day", day, title="10月主题党日（基准）",
                                       host=sec, recorder=rec, place="会议室", start_time=dt.time(14, 30))

    def lecture(branch):
        sec, _rec, _m = people(branch)
        return services.create_record(Lecture, org=branch, audience=branch, speaker=sec, kind="lecture",
                                      date=day, title="专题党课（基准）")

    def self_study(branch):
        _sec, _rec, member = people(branch)
        return services.create_record(SelfStudy, org=branch, member=member, date=day, title="自学（基准）",
                                      hours=1)

    def talk(branch):
        sec, _rec, member = people(branch)
        return services.create_record(Talk, org=branch, party_a=sec, party_b=member, date=day,
                                      topics="了解思想动态（基准）")

    # Branches whose October study-session occurrence is still pending (the generator skips
    # ≈ 10 % of branch-months): there the save completes it — a real status move.
    pending_ids = list(Occurrence.objects.filter(
        assignment__item__rules__record_kind="study_session", assignment__org__kind="branch",
        period_start__lte=day, period_end__gte=day, status="pending",
    ).order_by("assignment__org__path").values_list("assignment__org_id", flat=True).distinct()[:repeat])
    by_id = {b.pk: b for b in branches}
    study_picks = [by_id[i] for i in pending_ids] + [b for b in picks if b.pk not in pending_ids]
    study_picks = study_picks[:repeat]
    scenarios = [(f"study session ({len(pending_ids)}× Oct pending)", StudySession, study, study_picks),
                 ("主题党日 meeting", Meeting, party_day, picks),
                 ("lecture by the secretary", Lecture, lecture, picks),
                 ("self-study", SelfStudy, self_study, picks),
                 ("talk (no rule uses it)", Talk, talk, picks)]
    results = []
    created: list = []
    for label, model, make, where in scenarios:
        totals, queries, recv_s, recv_q, targets, bare, transitions, att = [], [], [], [], [], [], 0, 0
        first_targets: list[str] = []
        for branch in where:
            with ReceiverProbe() as probe, QueryCounter() as ctx:
                start = time.perf_counter()
                obj = make(branch)
                totals.append(time.perf_counter() - start)
            created.append(obj)
            queries.append(len(ctx))
            if len(probe.calls) != 1:
                fail(f"{label}: the evidence_changed receiver ran {len(probe.calls)} times")
                continue
            call = probe.calls[0]
            recv_s.append(call["seconds"])
            recv_q.append(call["queries"])
            targets.append(len(call["targets"]))
            transitions += call["completed"] + call["reopened"]
            first_targets = first_targets or call["targets"]
            rows = None
            if hasattr(obj, "attendance"):
                rows = list(obj.attendance.values_list("member_id", "status", "reason", "voting"))
                att = len(rows)
            seconds, new_id = bare_insert(obj, rows)
            bare.append(seconds)
            delete_bare(model, new_id)
        results.append({"label": label, "total": statistics.median(totals), "queries": statistics.median(queries),
                        "receiver": statistics.median(recv_s), "receiver_queries": statistics.median(recv_q),
                        "targets": max(targets), "targets_list": first_targets, "transitions": transitions,
                        "bare": statistics.median(bare), "attendance": att})
        if max(targets) > MAX_TARGETS:
            fail(f"{label}: one save touched {max(targets)} targets (> {MAX_TARGETS}): {first_targets}")

    # Deleting the study sessions again: the same targets fall back if nothing else meets them.
    sessions = [o for o in created if isinstance(o, StudySession)]
    totals, queries, recv_s, recv_q, targets, transitions = [], [], [], [], [], 0
    for obj in sessions:
        with ReceiverProbe() as probe, QueryCounter() as ctx:
            start = time.perf_counter()
            services.delete_record(obj)
            totals.append(time.perf_counter() - start)
        queries.append(len(ctx))
        call = probe.calls[0]
        recv_s.append(call["seconds"])
        recv_q.append(call["queries"])
        targets.append(len(call["targets"]))
        transitions += call["completed"] + call["reopened"]
    bare_del = []
    for obj in sessions[:1] * len(sessions):
        seconds, new_id = bare_insert(obj, [])
        start = time.perf_counter()
        delete_bare(StudySession, new_id)
        bare_del.append(time.perf_counter() - start)
    results.append({"label": "delete that study session", "total": statistics.median(totals),
                    "queries": statistics.median(queries), "receiver": statistics.median(recv_s),
                    "receiver_queries": statistics.median(recv_q), "targets": max(targets),
                    "targets_list": [], "transitions": transitions, "bare": statistics.median(bare_del),
                    "attendance": 0, "bare_label": "bare DELETE"})
    for obj in created:  # leave the data set as it was (matters on a shared database)
        if not isinstance(obj, StudySession):
            services.delete_record(obj)
    return results


def report_saves(results: list[dict], repeat: int) -> None:
    print(f"-- one record saved through the records service, evidence_changed → reevaluate "
          f"(median of {repeat} branches, Oct 2023) --")
    print(f"  {'record':<46} {'service+receiver':>16} {'queries':>7} {'receiver':>9} {'r.queries':>9} "
          f"{'targets':>7} {'bare INSERT':>11} {'ratio':>7}")
    for r in results:
        name = r["label"] + (f", {r['attendance']} attendees" if r["attendance"] else "")
        print(f"  {name:<46} {r['total'] * 1000:13.1f} ms {r['queries']:7.0f} {r['receiver'] * 1000:6.1f} ms "
              f"{r['receiver_queries']:9.0f} {r['targets']:7d} {r['bare'] * 1000:8.2f} ms "
              f"{r['total'] / r['bare']:6.0f}x")
    for n, r in enumerate(results):
        figure(f"save_{n + 1}_with_reevaluation", r["total"] * 1000, "ms", r["total"] / r["bare"])
    for r in results:
        touched = f"touched {', '.join(r['targets_list'])}; " if r["targets_list"] else ""
        print(f"    {r['label']}: {touched}status moves over all runs: {r['transitions']}")
    print("  (bare INSERT: the same row"
          " — and its attendance rows in one multi-row INSERT — in one transaction; delete: bare DELETE)")


# --- attendance ledger export ------------------------------------------------------------

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


# --- main ---------------------------------------------------------------------------------

def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None, help="a database already filled by citygen.py")
    parser.add_argument("--small-database-url", default=None,
                        help="with --database-url: the data set of a tenth of the branches")
    parser.add_argument("--only", default="board,saves,export,evaluate",
                        help="comma-separated sections to run (board, saves, export, evaluate)")
    parser.add_argument("--board-only", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args()

    if args.board_only:
        meta, scratch = setup(args)
        result = measure_board(meta, args.repeat)
        print("BOARD_JSON " + json.dumps({k: result[k] for k in ("branches", "queries", "page", "cells")}))
        shutil.rmtree(scratch, ignore_errors=True)
        return 0

    t_start = time.perf_counter()
    only = {part.strip() for part in args.only.split(",")}
    small = small_board(args) if "board" in only else None
    meta, scratch = setup(args)
    from django.db import connection

    print(f"city data set at scale {meta['scale']:g} ({connection.vendor}): {meta['branches']} branches, "
          f"{meta['groups']} groups, {meta['members']} members, {meta['records']} records, "
          f"{meta['meeting_attendance']} meeting + {meta['study_attendance']} study attendance rows, "
          f"{meta['assignments']} assignments, {meta['occurrences']} occurrences "
          f"(generated in {meta['seconds']} s; first evaluate_campaign {meta['timings']['evaluate_campaign']} s)")
    print(f"  statuses after evaluation: assignments {meta['statuses']['assignments']}, "
          f"occurrences {meta['statuses']['occurrences']}", flush=True)
    try:
        if "board" in only:
            report_board(meta, measure_board(meta, args.repeat), small)
            sys.stdout.flush()
        if "saves" in only:
            report_saves(measure_saves(meta, args.repeat), args.repeat)
            sys.stdout.flush()
        if "export" in only:
            sizes = [max(100, round(n * args.scale)) for n in (20_000, 100_000, 200_000)]
            sizes = [min(n, meta["meeting_attendance"]) for n in sizes]
            exports = measure_export(meta, sizes, scratch)
            report_export(exports, measure_export_view(meta, exports[-1]["until"]))
            sys.stdout.flush()
        if "evaluate" in only:
            print("-- evaluate_campaign of the whole campaign (context for issue 5) --")
            for ev in measure_evaluate(meta):
                print(f"  {ev['label']:<40} {ev['evaluated']} targets, {ev['changed']:5d} status moves: "
                      f"{ev['seconds']:6.1f} s, {ev['queries']} queries")
    except Exception as exc:  # noqa: BLE001 — report, then exit non-zero
        import traceback

        traceback.print_exc()
        fail(f"error: {exc!r}")
    finally:
        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"(total {time.perf_counter() - t_start:.0f} s)")
    if FAILURES:
        print(f"FAILED: {len(FAILURES)} check(s): " + "; ".join(FAILURES))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

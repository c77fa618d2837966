"""The rectification ledger (整改台账) as querysets: rows, ordering, status counts.

One row per measure with its problem (issue 4 §3). The page, the exports and the API read the
same querysets, so the filters and the "overdue first" rule are defined once. Every function
runs a constant number of queries whatever the ledger's size.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Case, Count, F, IntegerField, Min, Q, Value, When, Window
from django.utils import timezone

from .models import ACTIVE_STATUSES, Rectification, RectificationKind, RectificationStatus
from .services import amber_until

LEDGER_RELATED = ("problem", "problem__source", "org", "department_org")


def overdue_q(today: dt.date) -> Q:
    """Measures past their (working-day) deadline and not yet completed: red (check 25)."""
    return Q(status__in=ACTIVE_STATUSES, effective_due__lt=today)


def amber_q(today: dt.date) -> Q:
    """Active measures due within 3 working days of ``today`` (issue 4 §2)."""
    return Q(status__in=ACTIVE_STATUSES, effective_due__gte=today,
             effective_due__lte=amber_until(today))


def watch_q() -> Q:
    """Long-term measures closed on their milestone and kept on the watch list (长期坚持)."""
    return Q(kind=RectificationKind.LONG_TERM, status=RectificationStatus.CLOSED)


def ledger_queryset(base=None, today: dt.date | None = None):
    """Measures (``base``, default all, filters included) with their problem, problem by
    problem: problems with an overdue measure first, then in list order (organization, 序号);
    a problem's measures stay together (never split by the overdue rule).

    Annotates ``overdue_rank`` (0 = this measure is overdue) and ``problem_overdue_rank`` (0 =
    one of the problem's measures in the set is overdue). The 序号 printed is the problem's
    stored ``number``, the same on every page, under every filter and in the exports."""
    today = today or timezone.localdate()
    qs = base if base is not None else Rectification.objects.all()
    overdue_rank = Case(When(overdue_q(today), then=Value(0)), default=Value(1),
                        output_field=IntegerField())
    return qs.select_related(*LEDGER_RELATED).annotate(
        overdue_rank=overdue_rank,
        problem_overdue_rank=Window(Min(overdue_rank), partition_by=[F("problem_id")]),
    ).order_by("problem_overdue_rank", "problem__org__path", "problem__number", "position", "pk")


#: Beyond this many organizations to read, :func:`first_page_ids` gives up (``None``).
MAX_WALK = 2048


def first_page_ids(base, size: int, today: dt.date | None = None) -> list[int] | None:
    """The ids of the first ``size`` rows of ``ledger_queryset(base, today)``, in that order,
    without ordering the whole set (issue 14: at 2,000,000 measures the one ordered query
    took 12–15 s, most of the page), in two queries whatever the set's or the tree's size
    (one for an empty set).

    The ledger order is (problem has an overdue measure in the set, problem's organization
    path, problem number, measure position, pk). The first query counts, per organization
    in tree order, the set's measures and its overdue ones (one aggregate, no sort of rows).
    The page then lies in a few organizations: those with overdue measures, in tree order,
    until they hold ``size`` overdue measures (each is a row of the overdue group); when the
    whole set holds fewer, all of them, and the first organizations in tree order until they
    hold ``size`` rows more than the overdue organizations hold in all (so at least ``size``
    rows of the other group). The second query orders only those organizations' measures,
    with the same window over each problem's measures (an organization holds whole
    problems, so each problem's rank is the one over the whole set).

    Before, the tree was walked block by block (32 organizations, then 4× more), one query a
    block: the query count grew with the tree (bench_pages: 16 queries at 5 branches, 17 at
    50). Returns ``None`` when the page would need more than :data:`MAX_WALK`
    organizations (few overdue rows spread over a large tree): the caller then orders the
    whole set."""
    today = today or timezone.localdate()
    per_org = list(base.order_by().values_list("problem__org_id", "problem__org__path").annotate(
        rows=Count("pk"), late=Count("pk", filter=overdue_q(today))).order_by("problem__org__path"))
    chosen: set[int] = set()
    late_seen = 0
    for org, _path, _rows, late in per_org:
        if late and late_seen < size:
            chosen.add(org)
            late_seen += late
    if late_seen < size:  # every organization with an overdue measure is chosen
        late_rows = sum(rows for _org, _path, rows, late in per_org if late)
        seen = 0
        for org, _path, rows, _late in per_org:
            if seen >= size + late_rows:
                break
            chosen.add(org)
            seen += rows
    if not chosen:
        return []
    if len(chosen) > MAX_WALK:
        return None
    block = ledger_queryset(base.filter(problem__org__in=sorted(chosen)), today)
    return list(block.values_list("pk", flat=True)[:size])


def export_queryset(base=None):
    """Measures in list order (organization, 序号, measure position) for the exports, where
    the problem cells are merged over consecutive rows."""
    qs = base if base is not None else Rectification.objects.all()
    return qs.select_related("problem", "problem__source", "department_org").order_by(
        "problem__org__path", "problem__number", "position", "pk")


def status_counts(queryset, today: dt.date | None = None) -> dict:
    """{"total", each status, "overdue", "amber", "closure_rate" (percent, 1 decimal)} of
    ``queryset`` in one query."""
    today = today or timezone.localdate()
    aggregates = {s: Count("pk", filter=Q(status=s)) for s in RectificationStatus.values}
    data = queryset.order_by().aggregate(
        total=Count("pk"), overdue=Count("pk", filter=overdue_q(today)),
        amber=Count("pk", filter=amber_q(today)), **aggregates)
    total = data["total"] or 0
    data["closure_rate"] = round(100 * data[RectificationStatus.CLOSED] / total, 1) if total else 0.0
    return data


def group_rows(rows: list[Rectification], before: int = 0, carried: int | None = None) -> list[dict]:
    """Page rows with the problem cells' rowspan: [{"m": measure, "span": n or 0, "n": 序号,
    "ref": the problem's stored number}] where ``span`` is set on the first row of each run
    of the same problem (0 on the others) and ``n`` runs 1, 2, 3 … down the page, problem by
    problem, continuing from ``before`` problems on the earlier pages (``carried``: the id of
    the last of them, which keeps its number when its measures continue on this page).
    Issue 15 §2: with several organizations interleaved the stored numbers read 1,1,2,3,1;
    each problem's own number on its organization's list is ``ref`` (the exports' 序号)."""
    out: list[dict] = []
    start = 0
    n = before
    for i, rect in enumerate(rows):
        new = rect.problem_id != (rows[i - 1].problem_id if i else carried)
        if new:
            n += 1
        out.append({"m": rect, "span": 0, "n": n, "ref": rect.problem.number})
        if i == 0 or rect.problem_id != rows[i - 1].problem_id:
            start = i
            out[i]["span"] = 1
        else:
            out[start]["span"] += 1
    return out


def problems_before(ordered_ids, offset: int) -> tuple[int, int | None]:
    """(number of distinct problems, id of the last one) among the first ``offset`` rows of
    ``ordered_ids`` (the ledger's problem ids in page order), for :func:`group_rows` on a
    later page; one narrow query of ``offset`` integers, none on the first page."""
    if offset <= 0:
        return 0, None
    count, last = 0, None
    for problem_id in ordered_ids[:offset]:
        if problem_id != last:
            count += 1
            last = problem_id
    return count, last

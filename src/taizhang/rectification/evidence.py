"""How problems, measures and progress updates complete plan tasks (issue 9 §2).

Counters of the evidence codes this app declares (``rectification.sources``): each is
``fn(pairs) -> list[(count, needed)]`` where ``pairs`` is a list of (target, rule) from
``taizhang.plans.evidence`` (a target has ``org``, ``window(rule)`` → (first day, last day),
``item`` with ``effective_due``); one result per pair, in order. A result is met when
``needed > 0`` and ``count >= needed``. Each counter reads its rows in a constant number of
queries, whatever the number of pairs.

The organization's records include those of its Party groups (as for every record kind).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

from django.db.models import Q
from django.db.models.functions import Coalesce, TruncDate
from django.utils import timezone

from taizhang.core.scoping import path_q
from taizhang.orgs.models import Organization, OrgKind

from .models import ACTIVE_STATUSES, Problem, ProgressUpdate, Rectification, RectificationKind

#: Statuses of a measure that count as rectified for 二.8 (claimed done with evidence,
#: checked by the committee, or closed).
DONE_STATUSES = ("completed", "verified", "closed")


def _counted_orgs(orgs) -> dict[int, list[int]]:
    """org id → the ids whose rows count for it: itself and its Party groups (one query)."""
    orgs = list({o.pk: o for o in orgs}.values())
    result = {o.pk: [o.pk] for o in orgs}
    if not orgs:
        return result
    by_path = {o.path: o.pk for o in orgs}
    step = Organization.steplen
    groups = Organization.objects.filter(kind=OrgKind.GROUP, depth__in={o.depth + 1 for o in orgs})
    if len(orgs) <= 100:
        groups = groups.filter(path_q("", [o.path for o in orgs]))
    for pk, path in groups.order_by().values_list("pk", "path"):
        parent = by_path.get(path[:-step])
        if parent is not None:
            result[parent].append(pk)
    return result


def _local_day(value: dt.datetime | None) -> dt.date | None:
    return timezone.localdate(value) if value is not None else None


def _deadline(target, rule) -> dt.date:
    """The task's deadline for ``target``: the item's (working-day) due date, else the end of
    the window; never after the window's end."""
    _start, end = target.window(rule)
    due = target.item.effective_due
    return min(due, end) if due else end


def count_problems(pairs) -> list[tuple[int, int]]:
    """Seed 二.7 形成问题清单: the organization has recorded problems in the window.

    A problem counts on its 发现日期 (``found_on``), else on the day it was entered (an
    imported ledger gives no 发现日期). Count = problems of the organization (and its Party
    groups) in the window; needed = the rule's minimum count (at least 1). One query."""
    if not pairs:
        return []
    counted = _counted_orgs(t.org for t, _r in pairs)
    windows = [t.window(r) for t, r in pairs]
    ids = {pk for ids in counted.values() for pk in ids}
    rows = Problem.objects.filter(org_id__in=ids).annotate(
        day=Coalesce("found_on", TruncDate("created_at"))).filter(
        day__range=(min(w[0] for w in windows), max(w[1] for w in windows))
    ).order_by().values_list("org_id", "day")
    by_org: dict[int, list[dt.date]] = defaultdict(list)
    for org_id, day in rows:
        by_org[org_id].append(day)
    results = []
    for (target, rule), (start, end) in zip(pairs, windows, strict=True):
        found = sum(1 for pk in counted[target.org.pk] for day in by_org.get(pk, ()) if start <= day <= end)
        results.append((found, max(rule.min_count, 1)))
    return results


def _due_by(row: dict, start: dt.date, deadline: dt.date) -> bool:
    """A measure is due by ``deadline`` when its 实际截止日 lies in [start, deadline]; an
    immediate one (立行立改) without a date is due from the day it was entered."""
    due = row["effective_due"]
    if due is None:
        if row["kind"] != RectificationKind.IMMEDIATE:
            return False  # 长期坚持 without a date: never due
        due = _local_day(row["created_at"])
    return start <= due <= deadline


def count_rectified(pairs) -> list[tuple[int, int]]:
    """Seed 二.8 认真开展检视整改 (细化整改措施…动态管理、滚动销号): every measure of the
    organization due by the task's deadline is rectified.

    Due: the measure's 实际截止日 (``effective_due``) lies in the window and on or before the
    task's deadline (the item's due date, else the window's end); a 立行立改 measure without a
    date is due from the day it was entered; a 长期坚持 measure without a date is never due.
    Rectified: 已完成待核验, 已核验 or 已销号. Count = measures rectified, needed = measures
    due. With no measure due the rule is not met (needed 0: nothing was rectified; the task
    then waits for measures or a submission). One query."""
    if not pairs:
        return []
    counted = _counted_orgs(t.org for t, _r in pairs)
    spans = [(t.window(r)[0], _deadline(t, r)) for t, r in pairs]
    ids = {pk for ids in counted.values() for pk in ids}
    first, last = min(s for s, _d in spans), max(d for _s, d in spans)
    rows = Rectification.objects.filter(org_id__in=ids).filter(
        Q(effective_due__range=(first, last))
        | Q(effective_due__isnull=True, kind=RectificationKind.IMMEDIATE)
    ).order_by().values("org_id", "effective_due", "kind", "created_at", "status")
    by_org: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        by_org[row["org_id"]].append(row)
    results = []
    for (target, _rule), (start, deadline) in zip(pairs, spans, strict=True):
        due = [row for pk in counted[target.org.pk] for row in by_org.get(pk, ())
               if _due_by(row, start, deadline)]
        results.append((sum(1 for row in due if row["status"] in DONE_STATUSES), len(due)))
    return results


def _months(first: dt.date, last: dt.date) -> list[tuple[int, int]]:
    """The calendar months (year, month) from ``first``'s to ``last``'s, inclusive."""
    months, (year, month) = [], (first.year, first.month)
    while (year, month) <= (last.year, last.month):
        months.append((year, month))
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _tracking_end(row: dict) -> dt.date | None:
    """The day a measure stopped needing updates: when it was claimed done (or verified, or
    closed, for one imported as closed); None while it is open or in progress."""
    if row["status"] in ACTIVE_STATUSES:
        return None
    return (_local_day(row["completed_at"]) or _local_day(row["verified_at"]) or row["closed_on"]
            or _local_day(row["updated_at"]))


def count_tracking(pairs) -> list[tuple[int, int]]:
    """Seed 二.10 跟踪检视整改落实情况 (对问题清单的整改情况逐一进行跟踪反馈，要求全部整改到位):
    every open measure is followed up each month until it is done.

    Counted in measure-months within the window: a measure of the organization needs a
    report in every calendar month from the month its problem was found (发现日期; the day
    the measure was entered when the problem has none) until the month it was
    claimed done (已完成待核验, later 已核验/已销号), or until the window's end while it is
    still open or in progress. A month is reported when the measure has a progress update
    (滚动更新) dated in it, or was claimed done in it (the 完成情况 is that month's report).
    Count = months reported, needed = months due. With no measure the rule is not met
    (needed 0: nothing was followed up). Two queries."""
    if not pairs:
        return []
    counted = _counted_orgs(t.org for t, _r in pairs)
    windows = [t.window(r) for t, r in pairs]
    ids = {pk for ids in counted.values() for pk in ids}
    first, last = min(w[0] for w in windows), max(w[1] for w in windows)
    rows = list(Rectification.objects.filter(org_id__in=ids).annotate(
        begins=Coalesce("problem__found_on", TruncDate("created_at"))).filter(begins__lte=last).order_by().values(
        "pk", "org_id", "begins", "status", "completed_at", "verified_at", "closed_on", "updated_at"))
    reported: dict[int, set[tuple[int, int]]] = defaultdict(set)
    for pk, day in ProgressUpdate.objects.filter(
            rectification_id__in=[r["pk"] for r in rows], reported_on__range=(first, last)
    ).order_by().values_list("rectification_id", "reported_on"):
        reported[pk].add((day.year, day.month))
    by_org: dict[int, list[dict]] = defaultdict(list)
    for row in rows:
        done_on = _local_day(row["completed_at"])
        if done_on:
            reported[row["pk"]].add((done_on.year, done_on.month))
        by_org[row["org_id"]].append(row)
    results = []
    for (target, _rule), (start, end) in zip(pairs, windows, strict=True):
        count = needed = 0
        for pk in counted[target.org.pk]:
            for row in by_org.get(pk, ()):
                begin = max(row["begins"], start)
                stop = min(_tracking_end(row) or end, end)
                if begin > stop:
                    continue
                months = _months(begin, stop)
                needed += len(months)
                count += sum(1 for m in months if m in reported[row["pk"]])
        results.append((count, needed))
    return results

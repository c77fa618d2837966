"""Keep :class:`~taizhang.records.models.MemberActivity` equal to the attendance rows.

:func:`live_activity` computes the rows from the attendance of meetings and study sessions
(the definition); :func:`refresh` rewrites them for some members. The records services call
:func:`refresh` with the members whose participation a write can change: the rows changed by
``set_attendance``, the member who signed in by QR code, every attendee of a record whose
date changed or which was deleted. Constant number of queries per call (a read per
attendance table, one DELETE, one INSERT).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from django.db import transaction
from django.db.models import Q
from django.dispatch import Signal

from taizhang.orgs.models import Member

from .models import Attendance, MemberActivity, StudyAttendance

activity_changed = Signal()
"""Sent by :func:`refresh` (inside the writing transaction) with ``member_ids``: the members
whose activity months were rewritten (the regulations renew their findings)."""

#: A row that counts as taking part: present, or absent / on leave with a recorded reason.
QUALIFYING = Q(status="present") | ~Q(reason="")


def live_activity(member_ids: Iterable[int] | None = None) -> dict[tuple[int, dt.date], tuple[dt.date, dt.date]]:
    """{(member id, first of month): (first day, last day)} computed from the attendance
    rows of meetings and study sessions (all members when ``member_ids`` is None)."""
    result: dict[tuple[int, dt.date], tuple[dt.date, dt.date]] = {}
    ids = None if member_ids is None else list(set(member_ids))
    for model, record in ((Attendance, "meeting"), (StudyAttendance, "session")):
        rows = model.objects.filter(QUALIFYING)
        if ids is not None:
            rows = rows.filter(member_id__in=ids)
        for member_id, day in rows.order_by().values_list("member_id", f"{record}__date").distinct().iterator():
            key = (member_id, day.replace(day=1))
            first, last = result.get(key, (day, day))
            result[key] = (min(first, day), max(last, day))
    return result


def refresh(member_ids: Iterable[int]) -> None:
    """Rewrite the :class:`MemberActivity` rows of ``member_ids`` from their attendance
    (inside the caller's transaction)."""
    ids = sorted({int(i) for i in member_ids if i})
    if not ids:
        return
    with transaction.atomic():
        # Serialise refreshes of the same members (PostgreSQL; a no-op on SQLite, which has one
        # writer): two meetings saved at once for one member otherwise both delete nothing and
        # insert the same (member, month) row, and the second fails on the unique constraint.
        # After the wait, this transaction reads the other's committed attendance (READ COMMITTED).
        list(Member.objects.select_for_update().filter(pk__in=ids).order_by("pk").values_list("pk", flat=True))
        live = live_activity(ids)
        MemberActivity.objects.filter(member_id__in=ids).delete()
        MemberActivity.objects.bulk_create(
            [MemberActivity(member_id=m, month=month, first=first, last=last)
             for (m, month), (first, last) in sorted(live.items())], batch_size=500)
    activity_changed.send(sender=MemberActivity, member_ids=ids)


def attendee_ids(record) -> set[int]:
    """The member ids on ``record``'s attendance list (a Meeting or StudySession)."""
    return set(record.attendance.values_list("member_id", flat=True))


def active_members(start: dt.date, end: dt.date, member_ids: Iterable[int] | None = None) -> set[int]:
    """The ids of the members (of ``member_ids``; None: all) who took part in a meeting or
    study session on some day in ``[start, end]`` (any organization): one indexed query on
    the month rows."""
    first_month, last_month = start.replace(day=1), end.replace(day=1)
    rows = MemberActivity.objects.all() if member_ids is None else MemberActivity.objects.filter(
        member_id__in=sorted(member_ids))
    rows = (rows.filter(month__range=(first_month, last_month))
            .filter(Q(month__gt=first_month) | Q(last__gte=start))
            .filter(Q(month__lt=last_month) | Q(first__lte=end)))
    if first_month == last_month and start != first_month and (end + dt.timedelta(days=1)).day != 1:
        # inside one month, cut on both sides: the first and last days cannot say whether a
        # day in between falls inside; ask the attendance rows themselves
        found = _active_from_rows(start, end)
        return found if member_ids is None else found & set(member_ids)
    return set(rows.order_by().values_list("member_id", flat=True).distinct())


def _active_from_rows(start: dt.date, end: dt.date) -> set[int]:
    result: set[int] = set()
    for model, record in ((Attendance, "meeting"), (StudyAttendance, "session")):
        result.update(model.objects.filter(QUALIFYING, **{f"{record}__date__range": (start, end)})
                      .order_by().values_list("member_id", flat=True).distinct())
    return result

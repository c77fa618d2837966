"""The Excel ledgers of the volunteering app (streamed through ``core.excel``): one per kind
in the columns offices keep, and the per-member volunteer hours ledger."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Sum

from taizhang.core.excel import DATE_FORMAT, Column, Ledger

from .models import VolunteerActivity

CHUNK = 2000

POST_LEDGER = Ledger("党员示范岗台账", [
    Column("序号", 6), Column("组织", 20), Column("示范岗名称", 24), Column("岗位党员", 10),
    Column("承诺内容", 50), Column("设岗日期", 12, DATE_FORMAT), Column("截止日期", 12, DATE_FORMAT),
], lambda queryset: _post_rows(queryset))


def _post_rows(queryset) -> Iterator[list]:
    items = queryset.select_related("org", "member").order_by("org__path", "start", "pk")
    for index, p in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, p.org.name, p.name, p.member.name, p.commitment, p.start, p.end]


ACTIVITY_LEDGER = Ledger("党员志愿服务活动台账", [
    Column("序号", 6), Column("组织", 20), Column("志愿服务队", 20), Column("活动日期", 12, DATE_FORMAT),
    Column("地点或社区", 20), Column("参加党员", 40), Column("参加人数", 10), Column("每人时长（小时）", 12),
    Column("服务总时长（小时）", 12), Column("服务内容", 50),
], lambda queryset: _activity_rows(queryset))


def _activity_rows(queryset) -> Iterator[list]:
    items = (queryset.select_related("org").prefetch_related("participants")
             .order_by("org__path", "date", "pk"))
    for index, a in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        names = sorted(m.name for m in a.participants.all())
        yield [index, a.org.name, a.team, a.date, a.place, "、".join(names), len(names), a.hours,
               a.hours * len(names), a.content]


REGISTRATION_LEDGER = Ledger("在职党员进社区报到台账", [
    Column("序号", 6), Column("组织", 20), Column("党员", 10), Column("报到社区", 24),
    Column("报到日期", 12, DATE_FORMAT), Column("服务承诺", 50),
], lambda queryset: _registration_rows(queryset))


def _registration_rows(queryset) -> Iterator[list]:
    items = queryset.select_related("org", "member").order_by("org__path", "registered_on", "pk")
    for index, r in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, r.org.name, r.member.name, r.community, r.registered_on, r.commitment]


HOURS_TITLE = "党员志愿服务时长台账"
HOURS_COLUMNS = [Column("序号", 6), Column("党员", 12), Column("所在支部", 24), Column("参加活动次数", 12),
                 Column("服务总时长（小时）", 14)]


def member_hours(activities) -> list[dict]:
    """Per member who took part in ``activities`` (a queryset of VolunteerActivity, scoped
    and filtered, e.g. by the list's period): ``member_id``, ``name``, ``branch`` (the
    member's organization), ``count`` (activities) and ``hours`` (Decimal, the sum of each
    activity's hours per participant). Ordered by branch then name; one query."""
    through = VolunteerActivity.participants.through
    rows = (through.objects.filter(volunteeractivity__in=activities.order_by().values("pk"))
            .values("member_id", "member__name", "member__org__name", "member__org__path")
            .annotate(count=Count("volunteeractivity_id", distinct=True),
                      hours=Sum("volunteeractivity__hours"))
            .order_by("member__org__path", "member__name", "member_id"))
    return [{"member_id": r["member_id"], "name": r["member__name"], "branch": r["member__org__name"],
             "count": r["count"], "hours": r["hours"]} for r in rows]


def hours_rows(activities) -> Iterator[list]:
    """The rows of the hours ledger (see :func:`member_hours`), numbered."""
    for index, row in enumerate(member_hours(activities), start=1):
        yield [index, row["name"], row["branch"], row["count"], row["hours"]]

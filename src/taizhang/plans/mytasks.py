"""The home page's first card (issue 12 §3): the campaign tasks of the user's own
organizations — overdue, due soon, returned — before the month's regulation items.

A task the organization holds twice — from the superior's plan and from its unit's plan
derived from it — is shown once, the unit's: the superior's is delegated to it
(``plans.delegation``) and left out. "Own organizations" are those the user holds a role on (the role's organization itself, not
its subtree: a committee office sees the committee's own tasks, a branch secretary the
branch's) and a member's branch. Only published campaigns count; a recurring task shows its
open periods. A fixed number of queries (roles, member, assignments, occurrences).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.utils import timezone

from taizhang.core.workdays import workdays_until

from .board import DUE_SOON_WORKDAYS
from .models import Assignment, AssignmentStatus, CampaignStatus, Occurrence

LIMIT = 10  # rows per group on the home page


@dataclass
class Task:
    """One row: ``title`` (task ref and title, plus the period of an occurrence), ``org``
    name, ``due``, ``url`` (the assignment page), ``campaign`` / ``campaign_title`` (the
    short and full title of the task's campaign, so that two published plans' tasks are told
    apart, issue 12 §3) and ``issuer`` (the name of the campaign's organization: a unit's
    derived plan keeps its superior's title)."""

    title: str
    org: str
    due: dt.date | None
    url: str
    campaign: str = ""
    campaign_title: str = ""
    issuer: str = ""


@dataclass
class OwnTasks:
    """The three groups (each at most :data:`LIMIT` rows, by deadline) and their full sizes."""

    overdue: list[Task] = field(default_factory=list)
    due_soon: list[Task] = field(default_factory=list)
    returned: list[Task] = field(default_factory=list)
    counts: dict = field(default_factory=lambda: {"overdue": 0, "due_soon": 0, "returned": 0})

    @property
    def empty(self) -> bool:
        return not any(self.counts.values())


def own_org_ids(user) -> set[int]:
    """Ids of the organizations the user holds a role on, and of the member's branch."""
    from taizhang.orgs.models import Member, RoleAssignment

    if not getattr(user, "is_authenticated", False):
        return set()
    ids = set(RoleAssignment.objects.filter(user=user).values_list("org_id", flat=True))
    ids.update(Member.objects.filter(user=user, is_active=True).values_list("org_id", flat=True))
    return ids


def own_tasks(user, today: dt.date | None = None) -> OwnTasks:
    """The campaign tasks of ``user``'s own organizations that are overdue, due within
    :data:`~taizhang.plans.board.DUE_SOON_WORKDAYS` working days (the board's 即将到期), or
    returned for revision (any deadline). Four queries whatever the number of tasks."""
    today = today or timezone.localdate()
    result = OwnTasks()
    orgs = own_org_ids(user)
    if not orgs:
        return result
    open_states = (AssignmentStatus.PENDING, AssignmentStatus.RETURNED)
    horizon = today + dt.timedelta(days=DUE_SOON_WORKDAYS * 2 + 4)
    rows = []
    assignments = (Assignment.objects.filter(
        org_id__in=orgs, status__in=open_states, occurrences__isnull=True,
        delegated_to__isnull=True,
        item__plan__campaign__status=CampaignStatus.PUBLISHED)
        .select_related("item__plan__campaign__org", "org").order_by("due", "pk"))
    for a in assignments:
        campaign = a.item.plan.campaign
        rows.append((a.status, a.due, Task(f"{a.item.ref} {a.item.title}".strip(), a.org.name,
                                           a.due, a.get_absolute_url(), campaign.short_title,
                                           campaign.title, campaign.org.name),
                     (a.item_id, a.org_id, None), (a.item.source_item_id, a.org_id, None)))
    occurrences = (Occurrence.objects.filter(
        assignment__org_id__in=orgs, status__in=open_states, due__lte=horizon,
        assignment__delegated_to__isnull=True,
        assignment__item__plan__campaign__status=CampaignStatus.PUBLISHED)
        .select_related("assignment__item__plan__campaign__org", "assignment__org").order_by("due", "pk"))
    for o in occurrences:
        item = o.assignment.item
        campaign = item.plan.campaign
        rows.append((o.status, o.due, Task(f"{item.ref} {item.title}（{o.period_start:%Y-%m}）",
                                           o.assignment.org.name, o.due,
                                           o.assignment.get_absolute_url(), campaign.short_title,
                                           campaign.title, campaign.org.name),
                     (item.pk, o.assignment.org_id, o.period_start),
                     (item.source_item_id, o.assignment.org_id, o.period_start)))
    rows = _without_superseded(rows)
    rows.sort(key=lambda r: (r[1] or dt.date.max, r[2].title, r[2].campaign))
    for status, due, task, _key, _source in rows:
        if status == AssignmentStatus.RETURNED:
            group = "returned"
        elif due is None:
            continue
        elif due < today:
            group = "overdue"
        elif workdays_until(today, due) <= DUE_SOON_WORKDAYS:
            group = "due_soon"
        else:
            continue
        result.counts[group] += 1
        rows_of = getattr(result, group)
        if len(rows_of) < LIMIT:
            rows_of.append(task)
    return result


def _without_superseded(rows: list[tuple]) -> list[tuple]:
    """Drop a superior's task when the same organization holds the task derived from it in
    its unit's plan (same period): the unit's own plan is the one it works from (seed 四.1;
    both still count the same records)."""
    derived_from = {source for *_rest, source in rows if source[0] is not None}
    return [row for row in rows if row[3] not in derived_from]

"""The reminder kinds of the records issue (issue 3, section 3 "Reminders"):

- ``due_soon``: an assignment or occurrence not yet submitted is due within
  :data:`~taizhang.plans.board.DUE_SOON_WORKDAYS` working days (the board's "即将到期");
- ``overdue``: its deadline has passed and it is still not submitted (the board's "已逾期");
- ``returned``: the committee returned it for revision (a ``core.models.Event`` moving it
  to ``returned``); once per return, with the reviewer's comment;
- ``review_waiting``: it was submitted and waits for the committee's review (审核把关);
  once per submission, to the committee office.

Only published campaigns are considered. Work of a recurring task is reminded per
occurrence; the assignment itself only when it has no occurrences (as the board counts).
Deadlines are calendar dates in Asia/Shanghai (DESIGN.md "Dates").
"""

from __future__ import annotations

import datetime as dt
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db.models import Exists, OuterRef
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.models import Event
from taizhang.plans.board import DUE_SOON_WORKDAYS
from taizhang.plans.models import Assignment, AssignmentStatus, CampaignStatus, Occurrence

from .registry import Message, RunContext, reminder_kind

OPEN = (AssignmentStatus.PENDING, AssignmentStatus.RETURNED)


def lookback_days() -> int:
    """How far back overdue deadlines and return events are still reminded of (days).

    Keeps a first run on an old campaign from sending a flood of stale reminders; setting
    ``NOTIFY_LOOKBACK_DAYS`` (default 30)."""
    return int(getattr(settings, "NOTIFY_LOOKBACK_DAYS", 30))


def _assignments():
    return (Assignment.objects
            .filter(item__plan__campaign__status=CampaignStatus.PUBLISHED,
                    delegated_to__isnull=True)  # the unit's copy is reminded (plans.delegation)
            .annotate(recurring=Exists(Occurrence.objects.filter(assignment=OuterRef("pk"))))
            .select_related("org", "item", "item__plan__campaign__org"))


def _occurrences():
    return (Occurrence.objects
            .filter(assignment__item__plan__campaign__status=CampaignStatus.PUBLISHED,
                    assignment__delegated_to__isnull=True)
            .select_related("assignment__org", "assignment__item",
                            "assignment__item__plan__campaign__org"))


def period_label(occurrence: Occurrence) -> str:
    """"2023年10月" for a calendar month, else "2023-10-01至2023-12-31"."""
    start, end = occurrence.period_start, occurrence.period_end
    next_day = end + dt.timedelta(days=1)
    if start.day == 1 and next_day.day == 1 and (start.year, start.month) == (end.year, end.month):
        return _("%(year)d年%(month)d月") % {"year": start.year, "month": start.month}
    return f"{start:%Y-%m-%d}至{end:%Y-%m-%d}"


def describe(target) -> tuple[Assignment, str]:
    """The assignment behind ``target`` (an Assignment or Occurrence) and a short title:
    the task's outline reference and title, plus the period for an occurrence."""
    assignment = target.assignment if isinstance(target, Occurrence) else target
    item = assignment.item
    title = f"{item.ref} {item.title}".strip()
    if len(title) > 60:
        title = title[:59] + "…"
    if isinstance(target, Occurrence):
        title = f"{title}（{period_label(target)}）"
    return assignment, title


def _open_targets(due_from: dt.date, due_to: dt.date):
    """Assignments without occurrences, and occurrences, not yet submitted or done, whose
    deadline lies in ``due_from``..``due_to`` (inclusive)."""
    for assignment in _assignments().filter(status__in=OPEN, due__gte=due_from,
                                            due__lte=due_to, recurring=False).order_by("due", "pk"):
        yield assignment, assignment.due
    for occurrence in _occurrences().filter(status__in=OPEN, due__gte=due_from,
                                            due__lte=due_to).order_by("due", "pk"):
        yield occurrence, occurrence.due


@reminder_kind("due_soon", gettext_lazy("即将到期"))
def due_soon(ctx: RunContext):
    """Not submitted and due within DUE_SOON_WORKDAYS working days (due today included)."""
    horizon = ctx.today + dt.timedelta(days=DUE_SOON_WORKDAYS * 3 + 14)  # covers any holiday
    for target, due in _open_targets(ctx.today, horizon):
        left = ctx.workdays_left(due)
        if left > DUE_SOON_WORKDAYS:
            continue
        assignment, title = describe(target)
        when = _("今天") if due == ctx.today else _("还有 %(n)d 个工作日") % {"n": left}
        yield Message(
            target=target, org=assignment.org, recipients=ctx.roles.responsible(assignment.org),
            subject=_("【即将到期】%(org)s：%(title)s") % {"org": assignment.org.name, "title": title},
            body=_("“%(title)s”的完成时限是 %(due)s（%(when)s），请及时完成并报送。") % {
                "title": title, "due": f"{due:%Y-%m-%d}", "when": when},
            url=assignment.get_absolute_url(), key=f"due:{due.isoformat()}",
        )


@reminder_kind("overdue", gettext_lazy("已逾期"))
def overdue(ctx: RunContext):
    """Not submitted and past its deadline (within the look-back window)."""
    start = ctx.today - dt.timedelta(days=lookback_days())
    for target, due in _open_targets(start, ctx.today - dt.timedelta(days=1)):
        assignment, title = describe(target)
        yield Message(
            target=target, org=assignment.org, recipients=ctx.roles.responsible(assignment.org),
            subject=_("【已逾期】%(org)s：%(title)s") % {"org": assignment.org.name, "title": title},
            body=_("“%(title)s”的完成时限 %(due)s 已过，尚未报送，请抓紧完成。") % {
                "title": title, "due": f"{due:%Y-%m-%d}"},
            url=assignment.get_absolute_url(), key=f"due:{due.isoformat()}",
        )


def _events(to_state: str, since=None):
    """Status events of assignments and occurrences moving to ``to_state``, oldest first."""
    types = ContentType.objects.get_for_models(Assignment, Occurrence)
    events = Event.objects.filter(content_type__in=types.values(), to_state=to_state)
    if since is not None:
        events = events.filter(created_at__gte=since)
    return events.order_by("created_at", "pk"), {ct.pk: model for model, ct in types.items()}


def _targets_by_event(events, models_by_ct, status: str):
    """Map each event to its target, loaded in one query per model, if still in ``status``."""
    wanted: dict = {}
    for event in events:
        wanted.setdefault(models_by_ct[event.content_type_id], set()).add(event.object_id)
    loaded = {}
    if wanted.get(Assignment):
        loaded[Assignment] = _assignments().filter(status=status).in_bulk(wanted[Assignment])
    if wanted.get(Occurrence):
        loaded[Occurrence] = _occurrences().filter(status=status).in_bulk(wanted[Occurrence])
    return loaded


@reminder_kind("returned", gettext_lazy("退回修改"))
def returned(ctx: RunContext):
    """Returned for revision and not yet re-submitted: once per return event."""
    since = dt.datetime.combine(ctx.today - dt.timedelta(days=lookback_days()), dt.time.min,
                                tzinfo=ZoneInfo(settings.TIME_ZONE))
    events, models_by_ct = _events(AssignmentStatus.RETURNED, since)
    events = list(events.select_related("actor"))
    loaded = _targets_by_event(events, models_by_ct, AssignmentStatus.RETURNED)
    latest = {}
    for event in events:  # only the latest return of each object matters
        latest[(event.content_type_id, event.object_id)] = event
    for (ct_id, object_id), event in latest.items():
        target = loaded.get(models_by_ct[ct_id], {}).get(object_id)
        if target is None:
            continue
        assignment, title = describe(target)
        comment = event.comment.strip() or _("（无说明）")
        yield Message(
            target=target, org=assignment.org, recipients=ctx.roles.responsible(assignment.org),
            subject=_("【退回修改】%(org)s：%(title)s") % {"org": assignment.org.name, "title": title},
            body=_("“%(title)s”被退回修改。审核意见：%(comment)s") % {
                "title": title, "comment": comment},
            url=assignment.get_absolute_url(), key=f"event:{event.pk}",
        )


@reminder_kind("review_waiting", gettext_lazy("待审核"))
def review_waiting(ctx: RunContext):
    """Submitted and waiting for the committee's review: once per submission, to the
    committee office of the campaign's organization, the one whose approval is due (its
    own office only, not a superior's; and its group robot)."""
    targets = [*_assignments().filter(status=AssignmentStatus.SUBMITTED, recurring=False)
               .order_by("pk"),
               *_occurrences().filter(status=AssignmentStatus.SUBMITTED).order_by("pk")]
    if not targets:
        return
    events, models_by_ct = _events(AssignmentStatus.SUBMITTED)
    ct_of = {model: ct for ct, model in models_by_ct.items()}
    ids = {model: [t.pk for t in targets if type(t) is model] for model in ct_of}
    last_submit = {}  # the latest submission of each waiting object (events oldest first)
    for model, pks in ids.items():
        for ct_id, object_id, pk in (events.filter(content_type_id=ct_of[model], object_id__in=pks)
                                     .values_list("content_type_id", "object_id", "pk")):
            last_submit[(ct_id, object_id)] = pk
    for target in targets:
        assignment, title = describe(target)
        committee = assignment.item.plan.campaign.org
        event_pk = last_submit.get((ct_of[type(target)], target.pk))
        yield Message(
            target=target, org=committee, recipients=ctx.roles.committee_staff(committee),
            subject=_("【待审核】%(org)s：%(title)s") % {"org": assignment.org.name, "title": title},
            body=_("%(org)s 已报送“%(title)s”，等待党委审核。") % {
                "org": assignment.org.name, "title": title},
            url=assignment.get_absolute_url(),
            key=f"event:{event_pk}" if event_pk else "submitted",
        )

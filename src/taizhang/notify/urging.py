"""督办 (issue 12 §3; seed 四.1 "加强督促指导"): the committee office urges an organization
about an overdue or slow piece of work with a message.

- :func:`candidates`: what the office may urge now: open assignments / occurrences of
  published campaigns and active rectification measures, overdue or due within
  :data:`~taizhang.plans.board.DUE_SOON_WORKDAYS` working days, in its subtree;
- :func:`urge` writes the ``Urging`` (audited), a ``urge`` event on the work (so it is part
  of the work's history), and sends the message as reminder kind ``urge``: an in-app notice
  to the urged organization's own officers (branch officers, or the committee's own office;
  for a measure also its responsible leader; never the sender or a superior, see
  :func:`recipients`), an e-mail to those who take e-mail, and a post to the
  organization's group robots;
- :func:`receipts`: who got it in-app and when they opened it (the sender's read receipts).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import MANAGE, can, path_q, scope_paths
from taizhang.core.status import org_of, record_event
from taizhang.core.workdays import workdays_until
from taizhang.plans.board import DUE_SOON_WORKDAYS
from taizhang.plans.models import Assignment, AssignmentStatus, CampaignStatus, Occurrence
from taizhang.rectification.models import ACTIVE_STATUSES, Rectification

from .models import Channel, Notice, Reminder, Urging
from .registry import Message, RoleDirectory, RunContext, reminder_kind
from .reminders import describe

#: The kinds of work that can be urged, by the name used in URLs.
URGEABLE = {"assignment": Assignment, "occurrence": Occurrence, "measure": Rectification}
OPEN = (AssignmentStatus.PENDING, AssignmentStatus.RETURNED)
URGE_KIND = "urge"


@reminder_kind(URGE_KIND, gettext_lazy("督办"))
def _collect(ctx: RunContext):
    """Urgings are sent when made (:func:`urge`), never by the daily run."""
    return []


def target_of(kind: str, pk: int, user):
    """The work ``kind`` ("assignment", "occurrence", "measure") ``pk`` as ``user`` may see it;
    ``LookupError`` for an unknown kind or a row out of scope."""
    model = URGEABLE.get(kind)
    if model is None:
        raise LookupError(kind)
    found = model.objects.visible_to(user).filter(pk=pk).first()
    if found is None:
        raise LookupError(pk)
    return found


def title_of(target) -> str:
    """A short title of the work: the task (and period), or the measure's text."""
    if isinstance(target, Rectification):
        return str(target)[:60]
    return describe(target)[1]


def campaign_of(target):
    """The campaign (主题教育) of an assignment or occurrence; None for a measure."""
    if isinstance(target, Occurrence):
        return target.assignment.item.plan.campaign
    if isinstance(target, Assignment):
        return target.item.plan.campaign
    return None


def due_of(target) -> dt.date | None:
    """The work's deadline (a measure's effective one)."""
    return target.effective_due if isinstance(target, Rectification) else target.due


def is_open(target) -> bool:
    """Whether the work is still to be done (an urging makes sense)."""
    if isinstance(target, Rectification):
        return target.status in ACTIVE_STATUSES
    return target.status in OPEN


@dataclass
class Candidate:
    """One piece of work the office may urge: ``kind`` (a key of :data:`URGEABLE`),
    ``target``, ``org``, ``title``, ``due``, ``overdue`` (else due soon) and ``campaign``
    (the task's Campaign, None for a measure: which plan the task is of)."""

    kind: str
    target: object
    org: object
    title: str
    due: dt.date
    overdue: bool
    campaign: object = None


def candidates(user, today: dt.date | None = None, limit: int = 200) -> list[Candidate]:
    """Open work in ``user``'s managed subtrees that is overdue or due within
    :data:`DUE_SOON_WORKDAYS` working days (published campaigns only), overdue first, then by
    deadline; at most ``limit`` of each kind. Three queries."""
    today = today or timezone.localdate()
    paths = scope_paths(user, MANAGE)
    if paths == []:
        return []
    horizon = today + dt.timedelta(days=DUE_SOON_WORKDAYS * 2 + 4)  # calendar bound, then exact

    def scoped(qs, field):
        return qs if paths is None else qs.filter(path_q(field, paths))

    found = []
    assignments = scoped(Assignment.objects.filter(
        item__plan__campaign__status=CampaignStatus.PUBLISHED, status__in=OPEN,
        due__lte=horizon, occurrences__isnull=True, delegated_to__isnull=True), "org").select_related(
        "org", "item__plan__campaign__org")
    found += [("assignment", a, a.org, a.due) for a in assignments.order_by("due", "pk")[:limit]]
    occurrences = scoped(Occurrence.objects.filter(
        assignment__item__plan__campaign__status=CampaignStatus.PUBLISHED, status__in=OPEN,
        due__lte=horizon, assignment__delegated_to__isnull=True), "assignment__org").select_related(
        "assignment__org", "assignment__item__plan__campaign__org")
    found += [("occurrence", o, o.assignment.org, o.due)
              for o in occurrences.order_by("due", "pk")[:limit]]
    measures = scoped(Rectification.objects.filter(
        status__in=ACTIVE_STATUSES, effective_due__lte=horizon), "org").select_related("org")
    found += [("measure", m, m.org, m.effective_due)
              for m in measures.order_by("effective_due", "pk")[:limit]]
    result = [Candidate(kind, target, org, title_of(target), due, due < today, campaign_of(target))
              for kind, target, org, due in found
              if due < today or workdays_until(today, due) <= DUE_SOON_WORKDAYS]
    return sorted(result, key=lambda c: (not c.overdue, c.due, c.org.path))


def responsible_org(target):
    """The organization answering for ``target``: an assignment's or occurrence's assigned
    organization; a measure's 责任组织 (``department_org``) when set, else its own."""
    if isinstance(target, Rectification) and target.department_org_id:
        return target.department_org
    return org_of(target)


def recipients(target, *, actor=None, roles: RoleDirectory | None = None) -> list:
    """Who an urging of ``target`` is sent to (issue 12 §3): the urged organization's own
    officers (:meth:`RoleDirectory.responsible` of :func:`responsible_org`: branch officers,
    or the committee's own office), plus, for a measure, its responsible leader's account;
    never ``actor`` (the sender) and never the staff of a superior organization. Active
    users only, by user name."""
    roles = roles or RoleDirectory()
    exclude = [actor] if getattr(actor, "pk", None) else []
    found = roles.responsible(responsible_org(target), exclude=exclude)
    if isinstance(target, Rectification) and target.leader_id:
        user = getattr(target.leader.member, "user", None)
        if (user is not None and user.is_active and all(u.pk != user.pk for u in found)
                and user.pk not in {u.pk for u in exclude}):
            found = sorted([*found, user], key=lambda u: u.username)
    return found


@transaction.atomic
def urge(target, message: str, *, actor) -> Urging:
    """Urge the organization of ``target`` (an Assignment, Occurrence or Rectification) with
    ``message``. Allowed to the committee office above it (``MANAGE`` on the work's
    organization); ``PermissionDenied`` otherwise, ``ValidationError`` for an empty message
    or work already done. Writes the ``Urging`` (audited with ``actor``), an ``urge`` event
    on the work (its history) and sends it at once (:func:`services.send_messages`: in-app
    in this transaction, e-mail and group robots after commit) to :func:`recipients`.
    Returns the urging."""
    from . import services

    org = org_of(target)
    if not can(actor, MANAGE, org):
        raise PermissionDenied(_("只有该组织的管理人员可以督办。"))
    message = (message or "").strip()
    if not message:
        raise ValidationError({"message": _("请填写督办内容。")})
    if not is_open(target):
        raise ValidationError(_("该工作已完成或已报送，无需督办。"))
    with audit_actor(actor):
        urging = Urging.objects.create(
            org=org, content_type=ContentType.objects.get_for_model(target), object_id=target.pk,
            message=message, sent_by=actor if getattr(actor, "is_authenticated", False) else None)
    record_event(target, "urge", actor=actor, comment=message)
    services.send_messages(URGE_KIND, [Message(
        target=urging, org=responsible_org(target), recipients=recipients(target, actor=actor),
        subject=_("督办：%(title)s") % {"title": title_of(target)}, body=message,
        url=target.get_absolute_url(), key="urge")])
    return urging


@dataclass
class Receipt:
    """One recipient of an urging in-app: ``user``, ``sent_at`` and ``read_at`` (None: unread)."""

    user: object
    sent_at: dt.datetime
    read_at: dt.datetime | None


def receipts(urging: Urging) -> list[Receipt]:
    """Who got ``urging`` in-app and when each opened it (one query), by user name; plus the
    other channels' deliveries are in ``deliveries``."""
    ct = ContentType.objects.get_for_model(Urging)
    notices = (Notice.objects.filter(reminder__kind=URGE_KIND, reminder__content_type=ct,
                                     reminder__object_id=urging.pk)
               .select_related("user").order_by("user__username"))
    return [Receipt(n.user, n.created_at, n.read_at) for n in notices]


def deliveries(urging: Urging) -> list[Reminder]:
    """The e-mail and group-robot rows of ``urging`` with their status (one query)."""
    ct = ContentType.objects.get_for_model(Urging)
    return list(Reminder.objects.filter(kind=URGE_KIND, content_type=ct, object_id=urging.pk)
                .exclude(channel=Channel.NOTICE).select_related("user", "webhook").order_by("pk"))


def urgings_of(target) -> list[Urging]:
    """The urgings of one piece of work, newest first."""
    return list(Urging.objects.filter(content_type=ContentType.objects.get_for_model(target),
                                      object_id=target.pk).select_related("sent_by"))

"""Notices of the approvals that are due (审核把关, seed 四.2; new-user pass of issue 12):

- a unit's derived plan (``plans.levels``): submitted → kind ``plan_review_waiting`` to the
  superior's own office (the committee the plan was derived from, whose approval is due);
  approved or returned (with the comment) → kind ``plan_review_decided`` to the unit's own
  office;
- a rectification measure's deadline extension (``rectification.services``): requested →
  kind ``extension_waiting`` to the office that decides it (the committee office of the
  measure's organization, or of its nearest committee: deciding needs "review" there);
  approved or rejected → kind ``extension_decided`` to the user who asked.

Plans and rectification are below notify and import none of it: their services write a
``core.models.Event`` for each move (``review_submit`` / ``review_approve`` /
``review_return`` on the campaign; ``request_extension`` / ``extend`` /
``reject_extension`` on the measure), and :func:`on_event` sends the notices in the same
transaction (in-app at once, e-mail after commit; the ledger keys each by its event, so a
move is told once). As for the 对照检查材料 (``democratic.reminders``): recipients are an
organization's own officers (:meth:`RoleDirectory.responsible`), the user who made the move
is never told, nobody else is told (no group robot: review comments are not posted to a
group), and a decision marks the reviewers' unread "waiting" notices read.
"""

from __future__ import annotations

import logging

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.models import Event
from taizhang.orgs.models import Organization

from .registry import EMAIL, NOTICE, Message, RoleDirectory, RunContext, reminder_kind

logger = logging.getLogger(__name__)

PLAN_WAITING = "plan_review_waiting"
PLAN_DECIDED = "plan_review_decided"
EXTENSION_WAITING = "extension_waiting"
EXTENSION_DECIDED = "extension_decided"
CHANNELS = (NOTICE, EMAIL)

#: The "waiting" kind a decision kind closes (its notices of the same target are marked read).
WAITING_OF = {PLAN_DECIDED: PLAN_WAITING, EXTENSION_DECIDED: EXTENSION_WAITING}

#: Event verbs told, by the model they are written on.
PLAN_VERBS = ("review_submit", "review_approve", "review_return")
EXTENSION_VERBS = ("request_extension", "extend", "reject_extension")


@reminder_kind(PLAN_WAITING, gettext_lazy("任务清单待审核"), channels=CHANNELS)
def _plan_waiting(ctx: RunContext):
    """Sent when a derived plan is submitted (:func:`on_event`), never by the daily run."""
    return []


@reminder_kind(PLAN_DECIDED, gettext_lazy("任务清单审核结果"), channels=CHANNELS)
def _plan_decided(ctx: RunContext):
    """Sent when a derived plan is approved or returned (:func:`on_event`), never by the daily run."""
    return []


@reminder_kind(EXTENSION_WAITING, gettext_lazy("延期申请待审批"), channels=CHANNELS)
def _extension_waiting(ctx: RunContext):
    """Sent when an extension is requested (:func:`on_event`), never by the daily run."""
    return []


@reminder_kind(EXTENSION_DECIDED, gettext_lazy("延期申请审批结果"), channels=CHANNELS)
def _extension_decided(ctx: RunContext):
    """Sent when an extension is decided (:func:`on_event`), never by the daily run."""
    return []


def deciding_org(org: Organization) -> Organization:
    """The organization whose office decides a measure of ``org``'s extension: its nearest
    committee (``Organization.nearest_committee``): deciding extensions needs "review",
    which committee offices hold (``core.scoping``)."""
    return org.nearest_committee()


def _mark_waiting_read(kind: str, target) -> None:
    """The reviewers' unread ``kind`` notices of ``target`` are done once it is decided."""
    from .models import Notice

    Notice.objects.filter(read_at__isnull=True, reminder__kind=kind,
                          reminder__content_type=ContentType.objects.get_for_model(target),
                          reminder__object_id=target.pk).update(read_at=timezone.now())


def plan_messages(campaign, event: Event) -> list[tuple[str, Message]]:
    """The (kind, Message) pairs of derived plan ``campaign`` having just moved by ``event``
    (verb in :data:`PLAN_VERBS`; ``event.comment`` the round's comment); never to
    ``event.actor``."""
    exclude = [event.actor] if event.actor_id else []
    superior = campaign.derived_from.org
    names = {"org": campaign.org.name, "title": campaign.title, "superior": superior.name,
             "comment": event.comment}
    url = reverse("plans:plan_review", args=[campaign.pk])
    key = f"event:{event.pk}"
    roles = RoleDirectory()
    if event.verb == "review_submit":
        body = _("%(org)s 报送了本单位任务清单“%(title)s”（由 %(superior)s 的清单分解），请审核。") % names
        if event.comment:
            body += _("报送说明：%(comment)s") % names
        return [(PLAN_WAITING, Message(
            target=campaign, org=superior, recipients=roles.responsible(superior, exclude=exclude),
            subject=_("【待审核】%(org)s任务清单：%(title)s") % names, body=body, url=url, key=key))]
    if event.verb == "review_return":
        subject = _("【退回修改】%(org)s任务清单：%(title)s") % names
        body = _("%(superior)s 退回了本单位任务清单“%(title)s”。审核意见：%(comment)s") % names
    else:
        subject = _("【审核通过】%(org)s任务清单：%(title)s") % names
        body = _("%(superior)s 审核通过了本单位任务清单“%(title)s”，可以发布。") % names
        if event.comment:
            body += _("审核意见：%(comment)s") % names
    return [(PLAN_DECIDED, Message(
        target=campaign, org=campaign.org, recipients=roles.responsible(campaign.org, exclude=exclude),
        subject=subject, body=body, url=url, key=key))]


def extension_messages(measure, event: Event) -> list[tuple[str, Message]]:
    """The (kind, Message) pairs of ``measure``'s extension having just moved by ``event``
    (verb in :data:`EXTENSION_VERBS`): the pending request to the deciding office, the
    latest decided one to its requester; never to ``event.actor``."""
    from taizhang.rectification.models import ExtensionStatus

    exclude = [event.actor] if event.actor_id else []
    text = " ".join(measure.measure.split())
    text = text if len(text) <= 60 else text[:59] + "…"
    key = f"event:{event.pk}"
    if event.verb == "request_extension":
        request = measure.extensions.filter(status=ExtensionStatus.PENDING).order_by("-pk").first()
        if request is None:
            return []
        office = deciding_org(measure.org)
        body = _("%(org)s 申请将整改措施“%(measure)s”的时限由 %(old)s 延至 %(new)s。理由：%(reason)s") % {
            "org": measure.org.name, "measure": text, "reason": request.reason,
            "old": request.old_deadline.isoformat() if request.old_deadline else "—",
            "new": request.new_deadline.isoformat()}
        return [(EXTENSION_WAITING, Message(
            target=request, org=office, recipients=RoleDirectory().responsible(office, exclude=exclude),
            subject=_("【待审批】延期申请：%(measure)s") % {"measure": text}, body=body,
            url=request.get_absolute_url(), key=key))]
    request = (measure.extensions.exclude(status=ExtensionStatus.PENDING)
               .select_related("requested_by").order_by("-decided_at", "-pk").first())
    if request is None:
        return []
    names = {"measure": text, "new": request.new_deadline.isoformat(), "comment": event.comment}
    if event.verb == "extend":
        subject = _("【同意延期】整改措施：%(measure)s") % names
        body = _("整改措施“%(measure)s”的时限已延至 %(new)s。") % names
    else:
        subject = _("【不同意延期】整改措施：%(measure)s") % names
        body = _("整改措施“%(measure)s”的延期申请（延至 %(new)s）未获同意。意见：%(comment)s") % names
    asker = request.requested_by
    excluded = {getattr(u, "pk", None) for u in exclude}
    recipients = [asker] if asker is not None and asker.is_active and asker.pk not in excluded else []
    return [(EXTENSION_DECIDED, Message(target=request, org=measure.org, recipients=recipients,
                                        subject=subject, body=body, url=request.get_absolute_url(),
                                        key=key))]


def messages_for(event: Event) -> list[tuple[str, Message]]:
    """The (kind, Message) pairs ``event`` calls for (see the module's rules), recipients
    possibly empty; none for any other event. Reads the event's object only when its verb
    is one of ours. Writes nothing."""
    if event.verb not in PLAN_VERBS + EXTENSION_VERBS:
        return []
    model = ContentType.objects.get_for_id(event.content_type_id).model_class()
    label = model._meta.label if model is not None else ""
    if label == "plans.Campaign" and event.verb in PLAN_VERBS:
        from taizhang.plans.models import Campaign

        campaign = Campaign.objects.select_related("org", "derived_from__org").filter(
            pk=event.object_id, derived_from__isnull=False).first()
        return plan_messages(campaign, event) if campaign is not None else []
    if label == "rectification.Rectification" and event.verb in EXTENSION_VERBS:
        from taizhang.rectification.models import Rectification

        measure = Rectification.objects.select_related("org").filter(pk=event.object_id).first()
        return extension_messages(measure, event) if measure is not None else []
    return []


@receiver(post_save, sender=Event, dispatch_uid="notify_review_moved")
def on_event(sender, instance: Event, created: bool, **kwargs):
    """Send the notices of a review move in the mover's transaction. A failure is logged,
    never raised (inside a savepoint): the move itself stands, unnotified."""
    if not created or instance.verb not in PLAN_VERBS + EXTENSION_VERBS:
        return
    from . import services

    try:
        with transaction.atomic():
            by_kind: dict[str, list] = {}
            for kind, message in messages_for(instance):
                if kind in WAITING_OF:  # a decision: the reviewers' waiting notices are done
                    _mark_waiting_read(WAITING_OF[kind], message.target)
                if message.recipients:
                    by_kind.setdefault(kind, []).append(message)
            for kind, messages in by_kind.items():
                services.send_messages(kind, messages)
    except Exception:  # never break the review that was recorded
        logger.exception("review notices of event %s failed", instance.pk)

"""Tell each organization whose tasks changed that a plan was published (issue 12 §3):
the receiver of ``plans.signals.plan_published`` sends reminder kind ``plan_published``
to the organization's responsible users (branch officers, or the committee office of a
committee), by e-mail and on its group robots too. The text is ``publishing.notice_text``,
the one the publisher saw on the confirmation page."""

from __future__ import annotations

import logging

from django.dispatch import receiver
from django.utils.translation import gettext_lazy

from taizhang.plans.publishing import notice_text
from taizhang.plans.signals import plan_published

from .registry import Message, RoleDirectory, RunContext, reminder_kind

logger = logging.getLogger(__name__)
KIND = "plan_published"


@reminder_kind(KIND, gettext_lazy("任务下达"))
def _collect(ctx: RunContext):
    """Sent when a plan is published (:func:`on_published`), never by the daily run."""
    return []


def messages_for(campaign, changes, sender=None) -> list[Message]:
    """One message per changed organization (``publishing.OrgChange`` rows), to its own
    officers but never to ``sender`` (the user who published); the key is the publish time,
    so a re-publish with changes is told again and a repeated signal is not."""
    roles = RoleDirectory()
    key = f"publish:{campaign.published_at:%Y%m%d%H%M%S%f}" if campaign.published_at else "publish"
    result = []
    for change in changes:
        subject, body = notice_text(campaign, change)
        result.append(Message(target=campaign, org=change.org, recipients=roles.responsible(change.org, exclude=[sender] if sender else ()),
                              subject=subject, body=body, url=campaign.get_absolute_url(), key=key))
    return result


@receiver(plan_published, dispatch_uid="notify_plan_published")
def on_published(sender, campaign, changes, user=None, **kwargs):
    """Send the publish notices (after the publish committed). A failure is logged, never
    raised: the publish itself has committed."""
    from . import services

    if not changes:
        return
    try:
        services.send_messages(KIND, messages_for(campaign, changes, sender=user))
    except Exception:  # never break the request that published
        logger.exception("publish notices of campaign %s failed", campaign.pk)

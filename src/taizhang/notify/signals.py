"""Send the "returned for revision" and "waiting for review" reminders right after the
event, not at the next daily run.

Listens to ``core.models.Event`` rows (written by ``core.status.apply_transition``); when an
assignment or occurrence moves to ``returned`` (or ``submitted``), after the transaction
commits the in-app notices of the ``returned`` (``review_waiting``) kind are written
synchronously — they need no network and no worker — and the same kind is enqueued as a
huey task for its e-mail and group-robot deliveries. The daily run would find them anyway;
the ``Reminder`` ledger makes sure each is sent once whichever runs first.
"""

import logging

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from taizhang.core.models import Event

logger = logging.getLogger(__name__)


def send_now(kinds: list[str]) -> None:
    """In-app notices of ``kinds`` now, then the other channels through the worker. A failure
    is logged, never raised: the user's action has committed already."""
    from . import services, tasks

    try:
        services.send_immediate_notices(kinds)
    except Exception:  # never break the request that committed the event
        logger.exception("immediate notices %s failed; the daily run will send them", kinds)
    tasks.run_reminders(kinds)


@receiver(post_save, sender=Event, dispatch_uid="notify_event_returned")
def on_event(sender, instance: Event, created: bool, **kwargs):
    from .services import IMMEDIATE_KINDS

    kind = IMMEDIATE_KINDS.get(instance.to_state)
    if not created or kind is None:
        return
    model = instance.content_type.model_class()
    if model is None or model._meta.label not in ("plans.Assignment", "plans.Occurrence"):
        return
    transaction.on_commit(lambda: send_now([kind]))


#: Verbs of the committee's decision on a submission or a record-completed period.
DECISIONS = ("approve", "confirm", "return_for_revision")


@receiver(post_save, sender=Event, dispatch_uid="notify_event_decided")
def on_decision(sender, instance: Event, created: bool, **kwargs):
    """Once the committee decided on an assignment or occurrence, the "waiting for review"
    notices about it are done for every reviewer: mark them read (issue 15 §2: notices
    stayed unread after the decision)."""
    if not created or instance.verb not in DECISIONS:
        return
    from django.utils import timezone

    from .models import Notice

    Notice.objects.filter(
        read_at__isnull=True, reminder__kind="review_waiting",
        reminder__content_type_id=instance.content_type_id,
        reminder__object_id=instance.object_id,
    ).update(read_at=timezone.now())

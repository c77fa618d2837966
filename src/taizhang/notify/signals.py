"""Send the "returned for revision" reminder right after a return, not at the next daily run.

Listens to ``core.models.Event`` rows (written by ``core.status.apply_transition``); when an
assignment or occurrence moves to ``returned``, the ``returned`` kind runs after the
transaction commits (as a huey task). The daily run would find it anyway; the ledger makes
sure it is sent once either way.
"""

from django.db import transaction
from django.db.models.signals import post_save
from django.dispatch import receiver

from taizhang.core.models import Event


@receiver(post_save, sender=Event, dispatch_uid="notify_event_returned")
def on_event(sender, instance: Event, created: bool, **kwargs):
    if not created or instance.to_state != "returned":
        return
    model = instance.content_type.model_class()
    if model is None or model._meta.label not in ("plans.Assignment", "plans.Occurrence"):
        return
    from . import tasks

    transaction.on_commit(lambda: tasks.run_reminders(["returned"]))

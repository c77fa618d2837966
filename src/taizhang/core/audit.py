"""Register core business models with the audit trail, and attribute entries to an actor."""

import contextlib
import time
from functools import partial

from auditlog.context import _set_extra_data, auditlog_value
from auditlog.models import LogEntry
from auditlog.registry import auditlog
from django.db.models.signals import pre_save

from .models import ApiToken, Attachment

auditlog.register(Attachment, exclude_fields=["file"])
auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])


@contextlib.contextmanager
def audit_actor(actor, anonymous: bool = False):
    """Attribute audit entries written inside the block to ``actor``.

    Unlike ``auditlog.context.set_actor`` this restores the previous context on exit (so it
    nests inside the request middleware's context without leaking receivers). With
    ``anonymous=True`` the entries carry no actor even inside a logged-in request (anonymous
    suggestions must not be traceable through the audit trail).
    """
    if not anonymous and (actor is None or not getattr(actor, "is_authenticated", False)):
        yield
        return
    duid = ("taizhang.audit", id(actor), time.monotonic_ns())
    token = auditlog_value.set({"actor": None if anonymous else actor, "signal_duid": duid})
    pre_save.connect(partial(_set_extra_data, signal_duid=duid), sender=LogEntry,
                     dispatch_uid=duid, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(sender=LogEntry, dispatch_uid=duid)
        auditlog_value.reset(token)

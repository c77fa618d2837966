"""Status machines: move an object only through its declared transitions, and record it.

Models declare transitions with django-fsm-2 (``@transition``); every move goes through
:func:`apply_transition`, which refuses an illegal move with :class:`IllegalTransition`
(a message for the user, nothing written) and writes an :class:`~taizhang.core.models.Event`
with who, when and why.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django_fsm import can_proceed, has_transition_perm  # noqa: F401  (re-exported for views)

from .models import Event


class IllegalTransition(Exception):
    """A status move that the object's state machine does not allow from its current state."""


def org_of(obj):
    """The organization an object belongs to, following its model's ``scope_org_field``."""
    value = obj
    for part in obj.scope_org_field.split("__"):
        value = getattr(value, part)
    return value


def record_event(obj, verb: str, actor=None, comment: str = "", from_state: str = "",
                 to_state: str = "") -> Event:
    """Write a domain event about ``obj`` (any scoped model instance)."""
    return Event.objects.create(
        org=org_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def apply_transition(obj, name: str, actor=None, comment: str = "", field: str = "status",
                     **kwargs):
    """Run the transition method ``name`` of ``obj``, save it and record an event.

    ``kwargs`` are passed to the transition method. Raises :class:`IllegalTransition` when
    the method is not a transition available from the current state (nothing is written).
    Returns the event.
    """
    method = getattr(obj, name, None)
    if method is None or not hasattr(method, "_django_fsm") or not can_proceed(method):
        current = getattr(obj, f"get_{field}_display", lambda: getattr(obj, field))()
        raise IllegalTransition(f"当前状态“{current}”下不能执行此操作（{name}）。")
    before = getattr(obj, field)
    with transaction.atomic():
        method(**kwargs)
        obj.save()
        return record_event(obj, name, actor=actor, comment=comment, from_state=before,
                            to_state=getattr(obj, field))


def events_for(obj):
    """The domain events of ``obj``, oldest first."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor")

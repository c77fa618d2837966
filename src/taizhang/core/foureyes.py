"""Four eyes (双人把关): the person who claims a piece of work done does not also accept it.

Issue 12 §4: verifying and closing (销号) a rectification measure need a person other than the
one who claimed it complete, and a submission is approved by someone other than its submitter.
The rule is the review step of seed 四.2 (审核把关) and of domain-rules.md §5 check 26 (销号
needs the 审核人's approval): a review by the claimant himself is no review.

On by default; ``TAIZHANG_FOUR_EYES = False`` in the settings (environment variable
``TAIZHANG_FOUR_EYES=0``) turns it off for a one-person office. The apps' services enforce it
(each with its own error type and message); their pages ask :func:`same_person` to show the
button disabled with the reason.
"""

from __future__ import annotations

from django.conf import settings
from django.contrib.contenttypes.models import ContentType

from .models import Event


def enabled() -> bool:
    """Whether the four-eyes rule is on (setting ``TAIZHANG_FOUR_EYES``, default True)."""
    return bool(getattr(settings, "TAIZHANG_FOUR_EYES", True))


def same_person(user, other_id: int | None) -> bool:
    """True when the rule is on and ``user`` (a user object or None) is the user whose id is
    ``other_id``. An unknown claimant (None: imported, or the account was deleted) never
    blocks: there is nobody to compare with."""
    if not enabled() or other_id is None or user is None:
        return False
    return getattr(user, "pk", None) == other_id


def last_actor_id(obj, verb: str) -> int | None:
    """Id of the user who did the latest ``verb`` event (core.models.Event, written by
    ``core.status.apply_transition``) on ``obj``, or None (no such event, or no actor).
    One query."""
    return Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk, verb=verb,
    ).order_by("-created_at", "-pk").values_list("actor_id", flat=True).first()


def last_actor_ids(objs, verb: str) -> dict[tuple[type, int], int | None]:
    """:func:`last_actor_id` for many objects at once: ``{(model class, pk): actor id}`` for
    those of ``objs`` with a ``verb`` event. One query per model among ``objs`` (a list page
    stays at a constant number of queries)."""
    by_model: dict[type, set[int]] = {}
    for obj in objs:
        by_model.setdefault(type(obj), set()).add(obj.pk)
    found: dict[tuple[type, int], int | None] = {}
    for model, pks in by_model.items():
        rows = Event.objects.filter(
            content_type=ContentType.objects.get_for_model(model), object_id__in=pks, verb=verb,
        ).order_by("created_at", "pk").values_list("object_id", "actor_id")
        for object_id, actor_id in rows:  # oldest first: the latest one wins
            found[(model, object_id)] = actor_id
    return found

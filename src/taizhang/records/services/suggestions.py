"""Suggestions (建言献策): submitted, handled, answered."""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.limits import order_error
from taizhang.core.status import apply_transition
from taizhang.orgs.models import (
    Member,
    Organization,
)

from ..models import (
    Suggestion,
)
from .base import audit_actor, save_record

# --- suggestions ---------------------------------------------------------------------------

def submit_suggestion(org: Organization, content: str, member: Member | None = None,
                      anonymous: bool = False, date: dt.date | None = None, channel: str = "",
                      actor=None) -> Suggestion:
    """Record a suggestion to ``org``; with ``anonymous`` no author is stored, not even in
    the audit trail. Raises ``ValidationError`` (empty content)."""
    suggestion = Suggestion(org=org, content=content, member=None if anonymous else member,
                            anonymous=anonymous or member is None,
                            date=date or timezone.localdate(), channel=channel)
    return save_record(suggestion, actor=actor)


def start_handling(suggestion: Suggestion, actor=None, comment: str = ""):
    """received → handling (an event is written). Raises ``IllegalTransition``."""
    with audit_actor(actor):
        return apply_transition(suggestion, "start_handling", actor, comment)


def answer_suggestion(suggestion: Suggestion, reply: str, actor=None,
                      replied_on: dt.date | None = None):
    """→ answered with ``reply`` (required). Raises ``ValidationError`` for an empty reply,
    ``IllegalTransition`` when already answered."""
    if not (reply or "").strip():
        raise ValidationError({"reply": _("请填写办理答复。")})
    replied_on = replied_on or timezone.localdate()
    late = order_error(suggestion.date, replied_on, str(_("提出日期")), str(_("答复日期")))
    if late:
        raise ValidationError({"replied_on": late})
    suggestion.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    with audit_actor(actor):
        return apply_transition(suggestion, "answer", actor, reply.strip(), reply=reply.strip(),
                                replied_on=replied_on)

"""Optional QR sign-in to a meeting."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.orgs.models import (
    Member,
)

from .. import activity
from ..models import (
    AttendanceStatus,
    Meeting,
)
from .attendance import (
    ATTENDANCE_CHANGES_LABEL,
    ATTENDANCE_LABEL,
    _default_voting,
    _log_on_record,
    _state_json,
    _state_text,
    attendance_summary,
    default_attendees,
    store_counts,
)
from .base import audit_actor

# --- QR sign-in ----------------------------------------------------------------------------

class SignInError(Exception):
    """Sign-in refused; ``code`` is "disabled", "expired", "not_yet", "no_member" or
    "not_expected", ``str(exc)`` the message for the member."""

    def __init__(self, code: str, message: str):
        super().__init__(message)
        self.code = code


def set_sign_in(meeting: Meeting, enabled: bool, actor=None) -> Meeting:
    """Turn the optional QR sign-in of ``meeting`` on or off. Turning it on again issues a
    fresh code, so an old photo of the code stops working."""
    from ..models.meetings import new_sign_in_token

    if enabled and not meeting.sign_in_enabled:
        meeting.sign_in_token = new_sign_in_token()
    meeting.sign_in_enabled = enabled
    with transaction.atomic(), audit_actor(actor):
        meeting.save(update_fields=["sign_in_enabled", "sign_in_token", "updated_at"])
    return meeting


def sign_in(token: str, user, today: dt.date | None = None):
    """Mark the member of ``user`` present at the meeting whose code is ``token``.

    Valid only on the meeting day (Asia/Shanghai; the code expires after it). A member not
    on the list but among the meeting's default attendees is added. Signing in twice writes
    nothing the second time. Returns ``(meeting, row, already_present)``; raises
    ``Meeting.DoesNotExist`` for an unknown token and :class:`SignInError` otherwise.
    """
    meeting = Meeting.objects.select_related("org").get(sign_in_token=token)
    if not meeting.sign_in_enabled:
        raise SignInError("disabled", _("本次会议未启用扫码签到。"))
    member = Member.objects.filter(user=user, is_active=True).select_related("org").first()
    if member is None:
        raise SignInError("no_member", _("您的账号未关联党员信息，请联系会议记录人。"))
    row = meeting.attendance.filter(member=member).first()
    if row is None and member.pk not in {
            m.pk for m in default_attendees(meeting.org, meeting.kind, meeting.team)}:
        raise SignInError("not_expected", _("您不在本次会议的应到人员中，请联系会议记录人。"))
    today = today or timezone.localdate()
    if today > meeting.date:
        raise SignInError("expired", _("签到码已过期（仅会议当天有效）。"))
    if today < meeting.date:
        raise SignInError("not_yet", _("会议尚未开始，请在会议当天签到。"))
    with transaction.atomic():
        row = meeting.attendance.select_for_update().filter(member=member).first()
        if row is None:
            row = meeting.attendance.create(member=member, voting=_default_voting(member),
                                            signed_in_at=timezone.now())
            _store_counts(meeting, member)
            _log_sign_in(meeting, member, None, row, user)
            return meeting, row, False
        if row.status == AttendanceStatus.PRESENT and row.signed_in_at:
            return meeting, row, True
        already = row.status == AttendanceStatus.PRESENT
        before = (row.status, row.reason, row.voting)
        row.status, row.reason, row.signed_in_at = AttendanceStatus.PRESENT, "", timezone.now()
        row.save(update_fields=["status", "reason", "signed_in_at"])
        _store_counts(meeting, member)
        _log_sign_in(meeting, member, before, row, user)
    return meeting, row, already


def _store_counts(meeting: Meeting, member: Member) -> None:
    """The meeting's stored attendance counts and ``member``'s activity months after a
    sign-in (a constant number of queries)."""
    store_counts(meeting, meeting.attendance.values_list("status", "reason", "voting"))
    activity.refresh([member.pk])


def _log_sign_in(meeting: Meeting, member: Member, before: tuple | None, row, user) -> None:
    """Audit a QR sign-in as one entry on the meeting: the member's state before → "出席
    （扫码签到）" and, when the counts changed, the summary before → after. Two queries."""
    rows = list(meeting.attendance.select_related("member").order_by("pk"))
    after = [(a.member.name, (a.status, a.reason, a.voting)) for a in rows]
    previous = [(name, before if a.member_id == member.pk else state)
                for a, (name, state) in zip(rows, after, strict=True)
                if before is not None or a.member_id != member.pk]
    changes = {}
    if previous != after:
        changes[ATTENDANCE_LABEL] = [attendance_summary(previous), attendance_summary(after)]
    state = (row.status, row.reason, row.voting)
    changes[ATTENDANCE_CHANGES_LABEL] = [
        f"{member.name} {_state_text(before, True)}",
        f"{member.name} {_state_text(state, True)}" + _("（扫码签到）")]
    _log_on_record(meeting, changes, {"attendance": [
        {"member": member.pk, "name": member.name, "before": _state_json(before),
         "after": {**_state_json(state), "signed_in_at": row.signed_in_at.isoformat()}}]}, user)

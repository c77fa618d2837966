"""Attendance: default attendees, the one bulk write (:func:`set_attendance`) and the audit
of dependent rows written on the record itself."""

from __future__ import annotations

from collections.abc import Iterable

from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.orgs.models import (
    LeadershipMember,
    Member,
    Organization,
    OrgKind,
    Position,
)

from .. import activity
from ..models.attendance import reason_note
from ..models import (
    TEAM_KINDS,
    AttendanceStatus,
    AttendedRecord,
    Meeting,
    MeetingKind,
    stored_count_values,
)
from .base import (
    COMMITTEE_ROLES,
    _state_json,
    _team_member_ids,
    audit_actor,
    member_belongs,
)

# --- attendance ----------------------------------------------------------------------------

def default_attendees(org: Organization, kind: str | None = None, team=None) -> list[Member]:
    """The members who should attend a record of ``org`` (TZ Art. 11–14; MS Art. 3).

    - a leadership-team meeting (``team`` given, or ``kind`` in TEAM_KINDS and the org has a
      team): the team's members in their order;
    - a 党小组 (``org.kind == group``): the group's members;
    - a 支委会: the branch committee (current posts 书记/副书记/委员), else all members;
    - otherwise: the active members of ``org``.
    """
    if team is None and kind in TEAM_KINDS:
        team = getattr(org, "leadership_team", None) if hasattr(org, "leadership_team") else None
    if team is not None:
        leaders = LeadershipMember.objects.filter(team=team, member__is_active=True)
        return [lm.member for lm in leaders.select_related("member__org").order_by("order", "pk")]
    active = Member.objects.filter(is_active=True).select_related("org").order_by("name", "pk")
    if org.kind == OrgKind.GROUP:
        return list(active.filter(group=org))
    if kind == MeetingKind.BRANCH_COMMITTEE_MEETING:
        ids = Position.objects.filter(org=org, role__in=COMMITTEE_ROLES).current().values("member_id")
        committee = list(active.filter(pk__in=ids))
        if committee:
            return committee
    return list(active.filter(org=org))


def _default_voting(member: Member) -> bool:
    """Full members vote; 预备党员 do not (domain-rules §1.3)."""
    return member.status == "full"


def _normalise_rows(rows) -> list[dict]:
    """Rows as dicts with a ``Member`` (its ``org`` loaded), status, reason and voting.

    Members given by id, or as instances whose organization is not loaded yet, are read in
    one query together (not one per row). Raises ``ValidationError`` for an unknown id.
    """
    result = []
    for row in rows:
        if isinstance(row, Member):
            row = {"member": row}
        result.append(dict(row))
    org_field = Member._meta.get_field("org")
    missing = {row["member"].pk if isinstance(row["member"], Member) else row["member"]
               for row in result
               if not isinstance(row["member"], Member) or not org_field.is_cached(row["member"])}
    loaded = Member.objects.select_related("org").in_bulk(missing) if missing else {}
    for row in result:
        member = row["member"]
        if not isinstance(member, Member) or not org_field.is_cached(member):
            key = member.pk if isinstance(member, Member) else member
            try:
                member = loaded[int(key)]
            except (KeyError, TypeError, ValueError):
                raise ValidationError({"attendance": [_("党员不存在。")]}) from None
        row["member"] = member
        row.setdefault("status", AttendanceStatus.PRESENT)
        row["reason"] = row.get("reason") or ""
        if row.get("voting") is None:
            row["voting"] = _default_voting(member)
    return result


# --- audit of dependent rows ----------------------------------------------------------------
#
# Attendance rows, motions and election results are written in bulk (a constant number of
# queries however many attendees), which django-auditlog's per-row signals cannot see; they
# are therefore not registered with it (``audit.py``). Each change is instead one audit entry
# on the record itself, shown by the record's history panel: ``changes`` holds readable
# before/after texts ("出席情况", "出席变动", "表决事项", "选举结果"), ``additional_data``
# the changed rows field by field.

ATTENDANCE_LABEL = "出席情况"
ATTENDANCE_CHANGES_LABEL = "出席变动"
MOTIONS_LABEL = "表决事项"
ELECTIONS_LABEL = "选举结果"


def _state_text(state: tuple | None, with_voting: bool) -> str:
    """One member's attendance as text: "出席", "请假（出差）", "出席，无表决权"; ``None`` (not
    among the expected attendees) → "不计入"."""
    if state is None:
        return _("不计入")
    status, reason, voting = state
    text = str(AttendanceStatus(status).label)
    if reason := reason_note(status, reason):
        text += f"（{reason}）"
    if with_voting and not voting:
        text += _("，无表决权")
    return text


def attendance_summary(rows: list[tuple[str, tuple]], with_voting: bool = True) -> str:
    """The ledger's attendance text of ``rows`` (``(name, (status, reason, voting))`` in
    list order): "应到9人（有表决权8人），实到7人；请假：张三（出差）；缺席：李四"
    (domain-rules §4: 应到/实到/缺席人员及原因). ``with_voting`` adds the voting count
    (meetings; study sessions have no votes). An empty list → ""."""
    if not rows:
        return ""
    present = sum(1 for _name, (status, _r, _v) in rows if status == AttendanceStatus.PRESENT)
    head = _("应到%(n)d人") % {"n": len(rows)}
    if with_voting:
        head += _("（有表决权%(n)d人）") % {"n": sum(1 for _name, (_s, _r, voting) in rows if voting)}
    parts = [head + _("，实到%(n)d人") % {"n": present}]
    for status in (AttendanceStatus.LEAVE, AttendanceStatus.ABSENT):
        names = [f"{name}（{note}）" if (note := reason_note(s, reason)) else name
                 for name, (s, reason, _v) in rows if s == status]
        if names:
            parts.append(f"{status.label}：" + "、".join(names))
    return "；".join(parts)


def _log_on_record(record, changes: dict, details: dict, actor=None) -> None:
    """Write one "update" audit entry on ``record`` (a Meeting or StudySession) with
    ``changes`` (label → [before text, after text]) and ``details`` (JSON, stored as the
    entry's ``additional_data``); the actor comes from ``actor`` or the request. One INSERT."""
    with audit_actor(actor):
        LogEntry.objects.log_create(record, force_log=True, action=LogEntry.Action.UPDATE,
                                    changes=changes, additional_data=details)


def _log_attendance(record, before: dict, after: dict, names: dict, actor=None) -> None:
    """Audit an attendance change of ``record`` as one entry on the record.

    ``before`` / ``after``: member id → ``(status, reason, voting)`` of the whole list before
    and after, in list order; ``names``: member id → name. Writes nothing when they are equal.
    The entry shows the summary before → after ("出席情况") and, when a list was changed
    (not first filled), each changed member's state before → after ("出席变动").
    """
    changed = [pk for pk in dict.fromkeys([*before, *after]) if before.get(pk) != after.get(pk)]
    if not changed:
        return
    with_voting = isinstance(record, Meeting)
    changes = {ATTENDANCE_LABEL: [
        attendance_summary([(names[pk], state) for pk, state in before.items()], with_voting),
        attendance_summary([(names[pk], state) for pk, state in after.items()], with_voting),
    ]}
    if before:
        changes[ATTENDANCE_CHANGES_LABEL] = [
            "；".join(f"{names[pk]} {_state_text(before.get(pk), with_voting)}" for pk in changed),
            "；".join(f"{names[pk]} {_state_text(after.get(pk), with_voting)}" for pk in changed),
        ]
    details = {"attendance": [{"member": pk, "name": names[pk], "before": _state_json(before.get(pk)),
                               "after": _state_json(after.get(pk))} for pk in changed]}
    _log_on_record(record, changes, details, actor)


def set_attendance(record: AttendedRecord, rows: Iterable, actor=None) -> None:
    """Make ``record.attendance`` exactly ``rows`` (works for Meeting and StudySession).

    ``rows``: Member instances (→ present) or dicts ``{"member": Member|id, "status":
    "present"|"leave"|"absent", "reason": str, "voting": bool|None}``; ``voting=None``
    defaults from the member's status. Rows of members not listed are removed; unchanged
    rows are not touched. The QR sign-in time of a kept row is preserved.

    Queries are constant in the number of rows: one read of the current rows, then at most
    one DELETE, one UPDATE (``bulk_update``) and one INSERT (``bulk_create``; SQLite splits
    batches above ~160 rows), and one audit entry on ``record`` describing the change
    (see :func:`_log_attendance`; nothing when nothing changed). Does not send
    ``record_changed`` (the record's own save does, once).

    Raises ``ValidationError`` (key ``attendance``) for a member outside the record's
    organization, a repeated member, an unknown member id or an unknown status; nothing is
    written then.
    """
    rows = _normalise_rows(rows)
    team = getattr(record, "team", None)
    team_ids = _team_member_ids(record.org, team)
    errors, seen = [], set()
    for row in rows:
        member = row["member"]
        if member.pk in seen:
            errors.append(_("%(name)s 重复。") % {"name": member.name})
        seen.add(member.pk)
        if row["status"] not in AttendanceStatus.values:
            errors.append(_("%(name)s 的出席情况无效。") % {"name": member.name})
        if not member_belongs(member, record.org, team_ids):
            errors.append(_("%(name)s 不属于本组织。") % {"name": member.name})
    if errors:
        raise ValidationError({"attendance": errors})
    model = record.attendance.model
    fk = record.attendance.field.name
    current_rows = list(record.attendance.select_related("member").order_by("pk"))
    existing = {a.member_id: a for a in current_rows}
    names = {a.member_id: a.member.name for a in current_rows}
    before = {a.member_id: (a.status, a.reason, a.voting) for a in current_rows}
    after, to_create, to_update = {}, [], []
    for row in rows:
        member = row["member"]
        names[member.pk] = member.name
        reason = "" if row["status"] == AttendanceStatus.PRESENT else row["reason"].strip()
        state = (row["status"], reason, bool(row["voting"]))
        after[member.pk] = state
        current = existing.pop(member.pk, None)
        if current is None:
            to_create.append(model(**{fk: record}, member=member, status=state[0], reason=reason,
                                  voting=state[2]))
        elif before[member.pk] != state:
            current.status, current.reason, current.voting = state
            to_update.append(current)
    with transaction.atomic():
        if existing:
            model.objects.filter(pk__in=[a.pk for a in existing.values()]).delete()
        if to_update:
            model.objects.bulk_update(to_update, ["status", "reason", "voting"])
        if to_create:
            model.objects.bulk_create(to_create)
        store_counts(record, after.values(), before.values())
        activity.refresh(pk for pk in {**before, **after} if before.get(pk) != after.get(pk))
        _log_attendance(record, before, after, names, actor)
    record.forget_attendance_counts()


def store_counts(record: AttendedRecord, states, previous=None) -> None:
    """Keep ``record``'s stored attendance counts (``Meeting.att_*``; other attended records
    store none) equal to its rows, given as the ``(status, reason, voting)`` of every row;
    one UPDATE, none when they equal those of ``previous`` (the states before). Called by
    the writers of attendance rows only (issue 14: the regulations read these counts)."""
    if not hasattr(record, "att_expected"):
        return
    values = stored_count_values(states)
    if previous is not None and values == stored_count_values(previous) and all(
            getattr(record, k) == v for k, v in values.items()):
        return
    type(record)._base_manager.filter(pk=record.pk).update(**values)
    for name, value in values.items():
        setattr(record, name, value)

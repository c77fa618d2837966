"""Every write of the records app: validate, save, audit, signal (DESIGN.md "Writes go
through service functions"). Views, the API, the sample data and tests all call these.

Conventions
- ``actor`` is the user doing the write (``None`` for scripts); it is put on the audit
  entries even outside a request.
- Invalid input raises ``django.core.exceptions.ValidationError`` (field → messages) and
  nothing is written.
- After the transaction commits, :data:`taizhang.records.signals.record_changed` is sent so
  that evidence rules can re-evaluate the affected occurrences.

Main entry points
- :func:`create_record` / :func:`update_record` / :func:`save_record` / :func:`delete_record`
  for every record kind;
- :func:`create_meeting` / :func:`update_meeting` (attendance, motions, election results),
  :func:`create_study_session` / :func:`update_study_session`;
- :func:`default_attendees`, :func:`set_attendance` (the one attendance mechanism; bulk
  writes, audited on the record: see "audit of dependent rows" below);
- :func:`set_sign_in`, :func:`sign_in` (optional QR sign-in);
- :func:`submit_suggestion`, :func:`start_handling`, :func:`answer_suggestion`.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import time
from collections.abc import Iterable
from functools import partial

from auditlog.context import _set_extra_data, auditlog_value
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.status import apply_transition
from taizhang.orgs.models import LeadershipMember, Member, Organization, OrgKind, Position, PositionRole

from .models import (
    TEAM_KINDS,
    AttendanceStatus,
    AttendedRecord,
    ElectionResult,
    Meeting,
    MeetingKind,
    Motion,
    SelfStudy,
    StudySession,
    Suggestion,
    Talk,
)
from .signals import record_changed

COMMITTEE_ROLES = (
    PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY, PositionRole.ORGANIZATION_MEMBER,
    PositionRole.PROPAGANDA_MEMBER, PositionRole.DISCIPLINE_MEMBER, PositionRole.COMMITTEE_MEMBER,
)


# --- audit context -------------------------------------------------------------------------

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
    duid = ("taizhang.records", id(actor), time.monotonic_ns())
    token = auditlog_value.set({"actor": None if anonymous else actor, "signal_duid": duid})
    pre_save.connect(partial(_set_extra_data, signal_duid=duid), sender=LogEntry,
                     dispatch_uid=duid, weak=False)
    try:
        yield
    finally:
        pre_save.disconnect(sender=LogEntry, dispatch_uid=duid)
        auditlog_value.reset(token)


def _announce(obj, action: str, org_ids: set, dates: set) -> None:
    model = type(obj)
    record_id = obj.pk

    def send():
        record_changed.send(sender=model, instance=obj, record_id=record_id, action=action,
                            org_ids={i for i in org_ids if i}, dates={d for d in dates if d})

    transaction.on_commit(send)


# --- validation ----------------------------------------------------------------------------

def member_belongs(member: Member, org: Organization, team_member_ids: set[int] | None = None) -> bool:
    """True when ``member`` may take part in a record of ``org``: a member of ``org``'s
    subtree, a member of the branch that a group ``org`` belongs to, or a team member."""
    if team_member_ids and member.pk in team_member_ids:
        return True
    if member.group_id == org.pk:
        return True
    member_path = member.org.path
    return member_path.startswith(org.path) or (org.kind == OrgKind.GROUP and org.path.startswith(member_path))


def _team_member_ids(org: Organization, team=None) -> set[int]:
    team_id = team.pk if team is not None else getattr(getattr(org, "leadership_team", None), "pk", None)
    if not team_id:
        return set()
    return set(LeadershipMember.objects.filter(team_id=team_id).values_list("member_id", flat=True))


def _validate(obj) -> None:
    """Model validation plus the cross-field rules of each record kind."""
    errors: dict[str, list[str]] = {}
    try:
        obj.full_clean(exclude=["sign_in_token"] if isinstance(obj, Meeting) else None,
                       validate_unique=False)
    except ValidationError as exc:
        errors.update(exc.message_dict)
    org = getattr(obj, "org", None)
    team = getattr(obj, "team", None) if isinstance(obj, Meeting) else None
    if org is not None:
        team_ids = _team_member_ids(org, team)
        for name in ("host", "recorder", "leader", "speaker", "party_a", "party_b", "member"):
            value = getattr(obj, f"{name}_id", None) and getattr(obj, name)
            if value and not member_belongs(value, org, team_ids) and not _is_superior_member(value, org):
                errors.setdefault(name, []).append(_("该党员不属于本组织。"))
    if isinstance(obj, Meeting):
        if obj.start_time and obj.end_time and obj.end_time < obj.start_time:
            errors.setdefault("end_time", []).append(_("结束时间早于开始时间。"))
        if obj.team_id and obj.team.org_id != obj.org_id:
            errors.setdefault("team", []).append(_("领导班子不属于本组织。"))
    # A record is of work done: a date after today would be a record of nothing yet (a user
    # could otherwise fill the ledger in advance). Today in Asia/Shanghai.
    record_date = getattr(obj, "date", None)
    if isinstance(record_date, dt.date) and record_date > timezone.localdate():
        errors.setdefault("date", []).append(_("不能登记尚未发生的工作（日期晚于今天）。"))
    if isinstance(obj, Talk) and obj.party_a_id and obj.party_a_id == obj.party_b_id:
        errors.setdefault("party_b", []).append(_("谈话人和谈话对象不能是同一人。"))
    if isinstance(obj, SelfStudy):
        if not obj.reading_id and not obj.title.strip():
            errors.setdefault("title", []).append(_("请选择学习书目或填写学习内容。"))
        if obj.reading_id and not obj.org.path.startswith(obj.reading.org.path):
            errors.setdefault("reading", []).append(_("该书目不属于本组织的学习书目。"))
    if isinstance(obj, Suggestion) and obj.anonymous:
        obj.member = None
    if getattr(obj, "audience_id", None) and not obj.audience.path.startswith(obj.org.path) \
            and not obj.org.path.startswith(obj.audience.path):
        errors.setdefault("audience", []).append(_("听课对象须为本组织或其上下级组织。"))
    if errors:
        raise ValidationError(errors)


def _is_superior_member(member: Member, org: Organization) -> bool:
    """A member of a superior organization (a committee secretary lecturing a branch) or of a
    superior's leadership team (a team member leading a branch's research visit)."""
    if org.path.startswith(member.org.path):
        return True
    return LeadershipMember.objects.filter(
        member=member, team__org__path__in=_ancestor_paths(org)).exists()


def _ancestor_paths(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[:end] for end in range(step, len(org.path) + 1, step)]


# --- generic record writes -----------------------------------------------------------------

def save_record(obj, actor=None, m2m: dict | None = None):
    """Validate and save ``obj`` (a new or changed record of any kind) with ``m2m`` values
    (field name → iterable) set after saving. Returns ``obj``. Raises ``ValidationError``."""
    _validate(obj)
    creating = obj.pk is None
    old = None
    if not creating:
        old = type(obj).objects.filter(pk=obj.pk).values("org_id", "date").first()
    anonymous = isinstance(obj, Suggestion) and obj.anonymous
    with transaction.atomic(), audit_actor(actor, anonymous=anonymous):
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        org_ids = {obj.org_id, old and old["org_id"]}
        dates = {obj.date, old and old["date"]} if hasattr(obj, "date") else set()
        _announce(obj, "create" if creating else "update", org_ids, dates)
    return obj


def create_record(model, actor=None, m2m: dict | None = None, **fields):
    """Create a record of ``model`` from ``fields`` (validated). Returns it."""
    return save_record(model(**fields), actor=actor, m2m=m2m)


def update_record(obj, actor=None, m2m: dict | None = None, **fields):
    """Set ``fields`` on ``obj`` and save it (validated). Returns it."""
    for name, value in fields.items():
        setattr(obj, name, value)
    return save_record(obj, actor=actor, m2m=m2m)


def delete_record(obj, actor=None) -> None:
    """Delete a record (its attendance, motions and results go with it), audited.

    A constant number of queries whatever the number of attendees: the dependent rows are
    not audited one by one but deleted by the database cascade in one statement per table;
    what they were (attendance, motions, election results) is kept in the record's own
    deletion entry (``additional_data``, see :meth:`AttendedRecord.get_additional_data`).
    ``record_changed`` is sent once after the commit (action "delete")."""
    record_id, org_ids = obj.pk, {obj.org_id}
    dates = {obj.date} if hasattr(obj, "date") else set()
    with transaction.atomic(), audit_actor(actor):
        if isinstance(obj, AttendedRecord):
            obj.audit_additional_data = _dependent_rows(obj)
        obj.delete()
        obj.pk = record_id
        _announce(obj, "delete", org_ids, dates)


def _dependent_rows(record) -> dict:
    """The attendance (and for a meeting the motions and election results) of ``record`` as
    JSON for its deletion entry. Three queries at most."""
    data = {"attendance": [
        {"member": a.member_id, "name": a.member.name, **_state_json((a.status, a.reason, a.voting))}
        for a in record.attendance.select_related("member").order_by("pk")]}
    if isinstance(record, Meeting):
        data["motion"] = [{f: _plain(getattr(m, f)) for f in MOTION_FIELDS} for m in record.motions.all()]
        data["electionresult"] = [{f: _plain(getattr(r, f)) for f in ELECTION_FIELDS}
                                  for r in record.election_results.all()]
    return data


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
        ids = Position.objects.filter(org=org, ended_on__isnull=True,
                                      role__in=COMMITTEE_ROLES).values("member_id")
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
    if reason:
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
        names = [f"{name}（{reason}）" if reason else name
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


def _state_json(state: tuple | None) -> dict | None:
    if state is None:
        return None
    status, reason, voting = state
    return {"status": status, "reason": reason, "voting": voting}


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
        _log_attendance(record, before, after, names, actor)
    record.forget_attendance_counts()


# --- meetings ------------------------------------------------------------------------------

def _save_attended(record, actor, attendance, m2m=None):
    creating = record.pk is None
    with transaction.atomic():
        save_record(record, actor=actor, m2m=m2m)
        if attendance is None and creating:
            attendance = default_attendees(record.org, getattr(record, "kind", None),
                                           getattr(record, "team", None))
        if attendance is not None:
            set_attendance(record, attendance, actor=actor)
    return record


MOTION_FIELDS = ("title", "kind", "yes", "no", "abstain", "declared_passed", "order")
ELECTION_FIELDS = ("post", "candidate_id", "candidate_name", "yes", "elected")


def _motion_text(motion: Motion) -> str:
    text = _("%(title)s：赞成%(yes)d，反对%(no)d，弃权%(abstain)d") % {
        "title": motion.title, "yes": motion.yes, "no": motion.no, "abstain": motion.abstain}
    if motion.declared_passed is not None:
        text += _("，宣布通过") if motion.declared_passed else _("，宣布未通过")
    return text


def _election_text(result: ElectionResult) -> str:
    name = result.candidate.name if result.candidate_id else result.candidate_name
    text = _("%(post)s %(name)s 得票%(yes)d") % {"post": result.post, "name": name, "yes": result.yes}
    return text + (_("，当选") if result.elected else "")


def _plain(value):
    """``value`` as stored: a choices enum member becomes its value."""
    return value.value if isinstance(value, enum.Enum) else value


def _replace_rows(meeting: Meeting, current, new: list, fields: tuple, label: str, text, actor) -> None:
    """Replace the meeting's rows ``current`` (a queryset: its motions or election results)
    by the unsaved instances ``new`` when they differ in ``fields`` (in any order): one
    DELETE, one INSERT and one audit entry on the meeting (``label``: the texts before →
    after; ``text`` turns a row into its text). Nothing is written when they are the same."""
    old = list(current)

    def values(rows):  # choices enums compare as their stored values
        return sorted(repr(tuple(_plain(getattr(r, f)) for f in fields)) for r in rows)

    if values(old) == values(new):
        return
    with transaction.atomic():
        current.model.objects.filter(meeting=meeting).delete()
        current.model.objects.bulk_create(new)
        _log_on_record(meeting, {label: ["；".join(text(o) for o in old), "；".join(text(n) for n in new)]},
                       {current.model._meta.model_name: {
                           "before": [{f: _plain(getattr(o, f)) for f in fields} for o in old],
                           "after": [{f: _plain(getattr(n, f)) for f in fields} for n in new]}}, actor)


def set_motions(meeting: Meeting, motions: Iterable[dict], actor=None) -> None:
    """Replace the meeting's motions with ``motions`` (dicts of Motion fields: title, kind,
    yes, no, abstain, declared_passed; rows without a title are skipped).

    Constant queries: the voting count, a read of the current motions, then (only when
    something differs) one DELETE, one INSERT and one audit entry on the meeting ("表决事项").
    Raises ``ValidationError`` when a motion's votes exceed the members present with voting
    rights (TZ Art. 11); nothing is written then."""
    motions = [m for m in motions if (m.get("title") or "").strip()]
    voting_present = meeting.attendance.filter(voting=True, status=AttendanceStatus.PRESENT).count()
    for m in motions:
        cast = sum(int(m.get(k) or 0) for k in ("yes", "no", "abstain"))
        if voting_present and cast > voting_present:
            raise ValidationError({"motions": _("“%(title)s”的票数（%(cast)d）超过到会有表决权人数（%(n)d）。")
                                   % {"title": m["title"], "cast": cast, "n": voting_present}})
    new = [Motion(meeting=meeting, order=order, **{
        k: m[k] for k in ("title", "kind", "yes", "no", "abstain", "declared_passed") if k in m})
        for order, m in enumerate(motions)]
    _replace_rows(meeting, meeting.motions.all(), new, MOTION_FIELDS, MOTIONS_LABEL, _motion_text, actor)


def set_election_results(meeting: Meeting, results: Iterable[dict], actor=None) -> None:
    """Replace the meeting's election results (dicts: post, candidate (Member) or
    candidate_name, yes, elected). Constant queries like :func:`set_motions` (audit entry
    "选举结果"); nothing is written when the results are unchanged."""
    new = [ElectionResult(meeting=meeting, **r) for r in results]
    candidates = {n.candidate_id for n in new if n.candidate_id and not
                  ElectionResult._meta.get_field("candidate").is_cached(n)}
    if candidates:
        loaded = Member.objects.in_bulk(candidates)
        for n in new:
            if n.candidate_id in loaded:
                n.candidate = loaded[n.candidate_id]
    _replace_rows(meeting, meeting.election_results.select_related("candidate"), new, ELECTION_FIELDS,
                  ELECTIONS_LABEL, _election_text, actor)


def create_meeting(org: Organization, kind: str, date: dt.date, actor=None, attendance=None,
                   motions=None, election_results=None, **fields) -> Meeting:
    """Record a meeting of ``org``.

    ``attendance``: as for :func:`set_attendance`; ``None`` → the :func:`default_attendees`
    all marked present (the form's starting point). ``motions`` / ``election_results``: as
    for :func:`set_motions` / :func:`set_election_results`. ``fields``: other Meeting fields
    (title, start_time, end_time, place, host, recorder, topics, minutes, decisions, team,
    invitees, notes, sign_in_enabled). Raises ``ValidationError``.
    """
    meeting = Meeting(org=org, kind=kind, date=date, **fields)
    if meeting.team_id is None and kind in TEAM_KINDS and hasattr(org, "leadership_team"):
        try:
            meeting.team = org.leadership_team
        except Organization.leadership_team.RelatedObjectDoesNotExist:
            pass
    with transaction.atomic():
        _save_attended(meeting, actor, attendance)
        if motions is not None:
            set_motions(meeting, motions, actor)
        if election_results is not None:
            set_election_results(meeting, election_results, actor)
    return meeting


def update_meeting(meeting: Meeting, actor=None, attendance=None, motions=None,
                   election_results=None, **fields) -> Meeting:
    """Change a meeting; ``attendance`` / ``motions`` / ``election_results`` replace the
    current ones when given (``None`` keeps them)."""
    for name, value in fields.items():
        setattr(meeting, name, value)
    with transaction.atomic():
        _save_attended(meeting, actor, attendance)
        if motions is not None:
            set_motions(meeting, motions, actor)
        if election_results is not None:
            set_election_results(meeting, election_results, actor)
    return meeting


def create_study_session(org: Organization, date: dt.date, topic: str, actor=None,
                         attendance=None, readings=None, **fields) -> StudySession:
    """Record a study session (``fields``: kind, theme, leader, place, hours, speakers,
    content, outcomes). ``attendance`` as for :func:`create_meeting`; ``readings`` an
    iterable of Reading."""
    session = StudySession(org=org, date=date, topic=topic, **fields)
    m2m = {"readings": readings} if readings is not None else None
    return _save_attended(session, actor, attendance, m2m=m2m)


def update_study_session(session: StudySession, actor=None, attendance=None, readings=None,
                         **fields) -> StudySession:
    """Change a study session; ``attendance`` / ``readings`` replace when given."""
    for name, value in fields.items():
        setattr(session, name, value)
    m2m = {"readings": readings} if readings is not None else None
    return _save_attended(session, actor, attendance, m2m=m2m)


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
    from .models.meetings import new_sign_in_token

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
            _log_sign_in(meeting, member, None, row, user)
            return meeting, row, False
        if row.status == AttendanceStatus.PRESENT and row.signed_in_at:
            return meeting, row, True
        already = row.status == AttendanceStatus.PRESENT
        before = (row.status, row.reason, row.voting)
        row.status, row.reason, row.signed_in_at = AttendanceStatus.PRESENT, "", timezone.now()
        row.save(update_fields=["status", "reason", "signed_in_at"])
        _log_sign_in(meeting, member, before, row, user)
    return meeting, row, already


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
    suggestion.handled_by = actor if getattr(actor, "is_authenticated", False) else None
    with audit_actor(actor):
        return apply_transition(suggestion, "answer", actor, reply.strip(), reply=reply.strip(),
                                replied_on=replied_on or timezone.localdate())

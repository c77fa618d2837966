"""Audit context, validation and the generic writes of every record kind."""

from __future__ import annotations

import datetime as dt
import enum

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.audit import audit_actor
from taizhang.core.limits import member_count_error
from taizhang.core.sources import announce, codes_matching, kind_fields, source_for_model
from taizhang.orgs.models import (
    LeadershipMember,
    Member,
    Organization,
    OrgKind,
    PositionRole,
)

from .. import activity
from ..models import (
    AttendedRecord,
    FilmViewing,
    Lecture,
    Meeting,
    SelfStudy,
    Suggestion,
    Talk,
)

COMMITTEE_ROLES = (
    PositionRole.SECRETARY, PositionRole.DEPUTY_SECRETARY, PositionRole.ORGANIZATION_MEMBER,
    PositionRole.PROPAGANDA_MEMBER, PositionRole.DISCIPLINE_MEMBER, PositionRole.COMMITTEE_MEMBER,
)


# --- audit context -------------------------------------------------------------------------

def _announce(obj, action: str, org_ids: set, dates: set, old: dict | None = None) -> None:
    """Announce the change of a registered record (``core.sources.evidence_changed``, sent
    after the commit) with the evidence codes it concerns: those of the record as it is, and
    for an update those of its ``old`` row (read with :func:`_old_row`: a meeting whose kind
    changed concerns both kinds' rules)."""
    codes = None
    source = source_for_model(obj)
    if source is not None:
        codes = codes_matching(obj, source)
        if old is not None:
            codes |= codes_matching(old, source)
        elif action == "update":
            codes = None
    announce(obj, action, org_ids, dates, codes=codes)


def _old_row(obj) -> dict | None:
    """The stored organization, date and evidence-kind fields (``core.sources.kind_fields``)
    of ``obj`` before it is saved again: one query."""
    source = source_for_model(obj)
    kinds = kind_fields(source) if source is not None else ()
    fields = ["org_id", *(["date"] if hasattr(obj, "date") else []), *kinds]
    return type(obj).objects.filter(pk=obj.pk).values(*fields).first()


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


def active_member_count(org: Organization) -> int:
    """Active members of ``org``: a 党小组's members, else those of its whole subtree. One query."""
    members = Member.objects.filter(is_active=True)
    if org.kind == OrgKind.GROUP:
        return members.filter(group=org).count()
    return members.filter(org__path__startswith=org.path).count()


#: {model: [(count field, organization field)]}: counts of people at an activity, bounded by
#: that organization's active members plus guests (:func:`taizhang.core.limits.member_bound`).
MEMBER_BOUNDED_COUNTS = {FilmViewing: [("viewers", "org")], Lecture: [("audience_count", "audience")]}


def _validate(obj, m2m: dict | None = None) -> None:
    """Model validation plus the cross-field rules of each record kind. ``m2m`` (field name →
    values about to be set) is checked too: every member named in a many-to-many of members
    (a lecture's ``co_speakers``) belongs to the record's organization, as for ``speaker``."""
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
        for name, values in (m2m or {}).items():
            if type(obj)._meta.get_field(name).related_model is not Member:
                continue
            members = Member.objects.select_related("org").filter(
                pk__in=[getattr(m, "pk", m) for m in values])
            outsiders = [m.name for m in members
                         if not member_belongs(m, org, team_ids) and not _is_superior_member(m, org)]
            if outsiders:
                errors.setdefault(name, []).append(
                    _("以下党员不属于本组织：%(names)s。") % {"names": "、".join(outsiders)})
    if isinstance(obj, Meeting):
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
    for field, org_field in MEMBER_BOUNDED_COUNTS.get(type(obj), ()):
        value, counted = getattr(obj, field), getattr(obj, org_field, None)
        if value is not None and counted is not None and field not in errors:
            late = member_count_error(str(type(obj)._meta.get_field(field).verbose_name), value, counted,
                                      active_member_count(counted))
            if late:
                errors.setdefault(field, []).append(late)
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
        member=member, team__org__path__in=ancestor_paths(org)).exists()


def ancestor_paths(org: Organization) -> list[str]:
    step = Organization.steplen
    return [org.path[:end] for end in range(step, len(org.path) + 1, step)]


# --- generic record writes -----------------------------------------------------------------

def save_record(obj, actor=None, m2m: dict | None = None):
    """Validate and save ``obj`` (a new or changed record of any kind) with ``m2m`` values
    (field name → iterable) set after saving. Returns ``obj``. Raises ``ValidationError``."""
    _validate(obj, m2m)
    creating = obj.pk is None
    old = None if creating else _old_row(obj)
    anonymous = isinstance(obj, Suggestion) and obj.anonymous
    with transaction.atomic(), audit_actor(actor, anonymous=anonymous):
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        if old is not None and isinstance(obj, AttendedRecord) and old["date"] != obj.date:
            activity.refresh(activity.attendee_ids(obj))  # the attendees took part on another day
        org_ids = {obj.org_id, old and old["org_id"]}
        dates = {obj.date, old and old["date"]} if hasattr(obj, "date") else set()
        _announce(obj, "create" if creating else "update", org_ids, dates, old)
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
        attendees = set()
        if isinstance(obj, AttendedRecord):
            obj.audit_additional_data = _dependent_rows(obj)
            attendees = activity.attendee_ids(obj)
        obj.delete()
        activity.refresh(attendees)
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


# --- serialising dependent rows for the audit trail ------------------------------------------

MOTION_FIELDS = ("title", "kind", "yes", "no", "abstain", "declared_passed", "order")
ELECTION_FIELDS = ("post", "candidate_id", "candidate_name", "yes", "elected")


def _state_json(state: tuple | None) -> dict | None:
    if state is None:
        return None
    status, reason, voting = state
    return {"status": status, "reason": reason, "voting": voting}


def _plain(value):
    """``value`` as stored: a choices enum member becomes its value."""
    return value.value if isinstance(value, enum.Enum) else value

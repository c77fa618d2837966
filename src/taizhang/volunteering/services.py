"""Every write of the volunteering app: validate, save, audit, announce.

Rules (seed 三.4; DESIGN.md step 4 "record work done once"):

- the member of a post or a registration, and every participant of an activity, belongs to
  the record's organization or its subtree (a Party group's members are those whose group it
  is);
- an activity's hours per participant are positive and at most 24 (one day's activity);
- a post's end date is not before its start date;
- a record is of work done: the activity date, the post's set-up date and the registration
  date are not after today (Asia/Shanghai), like every record kind;
- a member registers with one community once.

Writes are attributed to ``actor`` in the audit trail and announce "evidence changed"
(``core.sources.announce``) inside their transaction, so plans re-evaluates 三.4.
"""

from __future__ import annotations

from collections.abc import Iterable
from decimal import Decimal

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.sources import announce, current, snapshot
from taizhang.orgs.models import Member, Organization
from taizhang.records.services import audit_actor

from .models import CommunityRegistration, ModelPost, VolunteerActivity

MAX_HOURS = Decimal("24")


def member_in_org(member: Member, org: Organization) -> bool:
    """True when ``member`` belongs to ``org``: his or her branch is ``org`` or below it, or
    ``org`` is his or her Party group."""
    return member.group_id == org.pk or member.org.path.startswith(org.path)


def _errors_of(obj) -> dict[str, list[str]]:
    try:
        obj.full_clean(validate_unique=False, validate_constraints=False)
    except ValidationError as exc:
        return {name: list(messages) for name, messages in exc.message_dict.items()}
    return {}


def _not_future(errors, name, value) -> None:
    if value and value > timezone.localdate():
        errors.setdefault(name, []).append(_("不能登记尚未发生的工作（日期晚于今天）。"))


def _member_rule(errors, obj, name="member") -> None:
    member = getattr(obj, name) if getattr(obj, f"{name}_id") else None
    if member is not None and obj.org_id and not member_in_org(member, obj.org):
        errors.setdefault(name, []).append(_("该党员不属于本组织。"))


def _raise(errors) -> None:
    if errors:
        raise ValidationError(errors)


def validate_post(post: ModelPost) -> None:
    """Raise ``ValidationError`` (field → messages) if ``post`` breaks a rule above."""
    errors = _errors_of(post)
    _member_rule(errors, post)
    _not_future(errors, "start", post.start)
    if post.start and post.end and post.end < post.start:
        errors.setdefault("end", []).append(_("截止日期不能早于设岗日期。"))
    _raise(errors)


def validate_activity(activity: VolunteerActivity, participants: list[Member] | None) -> None:
    """Raise ``ValidationError`` if ``activity`` or its ``participants`` (None: the stored
    ones are kept) break a rule above. At least one participant is required."""
    errors = _errors_of(activity)
    _not_future(errors, "date", activity.date)
    if activity.hours is not None and activity.hours > MAX_HOURS:
        errors.setdefault("hours", []).append(_("每人服务时长不能超过 24 小时（一次活动）。"))
    if participants is not None:
        if not participants:
            errors.setdefault("participants", []).append(_("请选择参加活动的党员。"))
        elif activity.org_id:
            outside = [m.name for m in participants if not member_in_org(m, activity.org)]
            if outside:
                errors.setdefault("participants", []).append(
                    _("以下党员不属于本组织：%(names)s") % {"names": "、".join(outside)})
    _raise(errors)


def validate_registration(registration: CommunityRegistration) -> None:
    """Raise ``ValidationError`` if ``registration`` breaks a rule above (including a second
    registration of the member with the same community)."""
    registration.community = (registration.community or "").strip()
    errors = _errors_of(registration)
    _member_rule(errors, registration)
    _not_future(errors, "registered_on", registration.registered_on)
    if registration.member_id and registration.community and CommunityRegistration.objects.filter(
            member_id=registration.member_id, community=registration.community).exclude(
            pk=registration.pk).exists():
        errors.setdefault("community", []).append(_("该党员已在此社区报到。"))
    _raise(errors)


def _save(obj, actor, m2m: dict | None = None):
    creating = obj.pk is None
    old_orgs, old_dates = snapshot(obj)
    with transaction.atomic(), audit_actor(actor):
        obj.save()
        for name, values in (m2m or {}).items():
            getattr(obj, name).set(values)
        orgs, dates = current(obj)
        announce(obj, "create" if creating else "update", orgs | old_orgs, dates | old_dates)
    return obj


def save_post(post: ModelPost, *, actor=None) -> ModelPost:
    """Validate and save a new or changed 党员示范岗. Returns it; raises ``ValidationError``
    and writes nothing on a broken rule."""
    validate_post(post)
    return _save(post, actor)


def save_activity(activity: VolunteerActivity, *, actor=None,
                  participants: Iterable[Member] | None = None) -> VolunteerActivity:
    """Validate and save a new or changed activity with ``participants`` (members; None
    keeps the stored ones — required for a new activity). Raises ``ValidationError``."""
    people = list(participants) if participants is not None else None
    if people is None and activity.pk is None:
        people = []
    validate_activity(activity, people)
    return _save(activity, actor,
                 m2m={"participants": people} if people is not None else None)


def save_registration(registration: CommunityRegistration, *, actor=None) -> CommunityRegistration:
    """Validate and save a new or changed community registration. Raises ``ValidationError``."""
    validate_registration(registration)
    return _save(registration, actor)


def create_post(*, actor=None, **fields) -> ModelPost:
    """Create a 党员示范岗 from ``fields`` (org, name, member, commitment, start, end)."""
    return save_post(ModelPost(**fields), actor=actor)


def create_activity(*, actor=None, participants: Iterable[Member] = (), **fields) -> VolunteerActivity:
    """Create an activity from ``fields`` (org, team, date, place, hours, content)."""
    return save_activity(VolunteerActivity(**fields), actor=actor, participants=participants)


def create_registration(*, actor=None, **fields) -> CommunityRegistration:
    """Create a registration from ``fields`` (org, member, community, registered_on, commitment)."""
    return save_registration(CommunityRegistration(**fields), actor=actor)


def save_record(obj, *, actor=None, m2m: dict | None = None):
    """Save a record of any kind of this app through its own function above (the generic
    pages and the API use this). ``m2m`` may carry an activity's ``participants``."""
    if isinstance(obj, VolunteerActivity):
        return save_activity(obj, actor=actor, participants=(m2m or {}).get("participants"))
    if isinstance(obj, ModelPost):
        return save_post(obj, actor=actor)
    return save_registration(obj, actor=actor)


def delete_record(obj, *, actor=None) -> None:
    """Delete a post, activity or registration (audited; announced after the commit)."""
    record_id = obj.pk
    orgs, dates = snapshot(obj)
    with transaction.atomic(), audit_actor(actor):
        obj.delete()
        obj.pk = record_id
        announce(obj, "delete", orgs, dates)

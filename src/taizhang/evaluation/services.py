"""Every write of the evaluation app: validate, save, audit.

Rules enforced (domain-rules.md §1.2): the member belongs to the organization that rates
him or her (his or her branch); a 预备党员 is never rated 优秀 ([S]); one grade per member
and year. A missing follow-up of a 基本合格 / 不合格 is *not* refused (it is often written
later): compliance check 14 reports it.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction

from taizhang.core.sources import announce
from taizhang.orgs.models import MemberStatus
from taizhang.records.services import audit_actor

from .models import Appraisal, Grade

MIN_YEAR, MAX_YEAR = 1921, 2100


def validate(appraisal: Appraisal) -> None:
    """Raise ``ValidationError`` (field → messages) if ``appraisal`` breaks a rule above."""
    appraisal.follow_up = (appraisal.follow_up or "").strip()
    errors: dict[str, list[str]] = {}
    member = appraisal.member if appraisal.member_id else None
    if member is not None and appraisal.org_id and member.org_id != appraisal.org_id:
        errors.setdefault("member", []).append("该党员不属于所选组织")
    if (member is not None and appraisal.grade == Grade.EXCELLENT
            and member.status == MemberStatus.PROBATIONARY):
        errors.setdefault("grade", []).append("预备党员不能评为优秀")
    if appraisal.year is not None and not MIN_YEAR <= appraisal.year <= MAX_YEAR:
        errors.setdefault("year", []).append("年度不正确")
    try:
        appraisal.full_clean()
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    if errors:
        raise ValidationError(errors)


def save_appraisal(appraisal: Appraisal, actor=None) -> Appraisal:
    """Validate and save a new or changed ``appraisal`` (audited, attributed to ``actor``).
    Returns it; raises ``ValidationError`` and writes nothing on a broken rule."""
    validate(appraisal)
    creating = appraisal.pk is None
    old = None if creating else Appraisal.objects.filter(pk=appraisal.pk).values_list(
        "org_id", "rated_on").first()
    with transaction.atomic(), audit_actor(actor):
        appraisal.save()
        # Evidence changed (core.sources): seed 三.6's 民主评议党员 part re-evaluates.
        announce(appraisal, "create" if creating else "update", {appraisal.org_id, old and old[0]},
                 {appraisal.rated_on, old and old[1]})
    return appraisal


def create_appraisal(actor=None, **fields) -> Appraisal:
    """Create an appraisal from ``fields`` (org, member, year, grade, rated_on, follow_up)."""
    return save_appraisal(Appraisal(**fields), actor=actor)


def update_appraisal(appraisal: Appraisal, actor=None, **fields) -> Appraisal:
    """Set ``fields`` on ``appraisal`` and save it (validated)."""
    for name, value in fields.items():
        setattr(appraisal, name, value)
    return save_appraisal(appraisal, actor=actor)


def delete_appraisal(appraisal: Appraisal, actor=None) -> None:
    """Delete ``appraisal`` (audited)."""
    pk, org_ids, dates = appraisal.pk, {appraisal.org_id}, {appraisal.rated_on}
    with transaction.atomic(), audit_actor(actor):
        appraisal.delete()
        appraisal.pk = pk
        announce(appraisal, "delete", org_ids, dates)

"""Every write of the institutions app: validate, save, audit, announce.

Rules: the date is not in the future (a rule is registered once issued); the problems and
measures an institution answers belong to its organization's subtree (a committee's rule
may answer a branch's problem, a branch's rule not another branch's); a typical case's
source record belongs to the case organization's subtree. ``actor=None`` is the system
(sample data, command line); otherwise "change" on the organization is needed.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from taizhang.core import sources
from taizhang.core.scoping import CHANGE, can
from taizhang.core.status import org_of
from taizhang.records.services import audit_actor

from .models import Institution, TypicalCase


def _require(actor, org) -> None:
    if actor is not None and org is not None and not can(actor, CHANGE, org):
        raise PermissionDenied("您无权修改该组织的数据。")


def _merge(errors: dict, exc: ValidationError) -> None:
    for name, messages in exc.message_dict.items():
        errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))


def _check_date(obj, errors: dict) -> None:
    if obj.date and obj.date > timezone.localdate():
        errors.setdefault("date", []).append("日期不能晚于今天")


def _outside(org, items) -> list[str]:
    return [str(i) for i in items if not i.org.path.startswith(org.path)]


def save_institution(obj: Institution, *, actor=None, problems=None, measures=None) -> Institution:
    """Validate and save ``obj``; ``problems`` / ``measures`` (iterables, or None to keep
    them) replace its links. Audited and announced (evidence code ``institution``). Raises
    ``ValidationError`` (field → messages) and ``PermissionDenied``."""
    errors: dict[str, list[str]] = {}
    obj.name = (obj.name or "").strip()
    _check_date(obj, errors)
    if obj.org_id:
        _require(actor, obj.org)
        for field, items in (("problems", problems), ("measures", measures)):
            if items is not None:
                wrong = _outside(obj.org, items)
                if wrong:
                    errors.setdefault(field, []).append("不属于本组织的问题或措施：" + "；".join(wrong))
    try:
        obj.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit_actor(actor):
        old_orgs, old_dates = sources.snapshot(obj)
        creating = obj.pk is None
        obj.save()
        if problems is not None:
            obj.problems.set(problems)
        if measures is not None:
            obj.measures.set(measures)
        orgs, dates = sources.current(obj)
        sources.announce(obj, "create" if creating else "update", orgs | old_orgs, dates | old_dates)
    return obj


def create_institution(data: dict, *, actor=None) -> Institution:
    """Create an institution from ``data`` (fields, plus optional ``problems``/``measures``)."""
    data = dict(data)
    problems, measures = data.pop("problems", None), data.pop("measures", None)
    return save_institution(Institution(**data), actor=actor, problems=problems, measures=measures)


def delete_institution(obj: Institution, *, actor=None) -> None:
    """Delete ``obj`` (audited, announced)."""
    _require(actor, obj.org)
    with transaction.atomic(), audit_actor(actor):
        orgs, dates = sources.current(obj)
        sources.announce(obj, "delete", orgs, dates)
        obj.delete()


def save_case(obj: TypicalCase, *, actor=None, source_record=None) -> TypicalCase:
    """Validate and save a typical case; ``source_record`` (any scoped record, or None to
    keep the current one) is the record it comes from. Raises ``ValidationError``,
    ``PermissionDenied``."""
    errors: dict[str, list[str]] = {}
    obj.title = (obj.title or "").strip()
    _check_date(obj, errors)
    if obj.org_id:
        _require(actor, obj.org)
        if obj.institution_id and not obj.org.path.startswith(obj.institution.org.path) \
                and not obj.institution.org.path.startswith(obj.org.path):
            errors.setdefault("institution", []).append("该制度不属于本组织")
    if source_record is not None:
        source_org = org_of(source_record)
        if obj.org_id and not source_org.path.startswith(obj.org.path):
            errors.setdefault("source_record", []).append("来源记录不属于本组织")
        obj.source_content_type = ContentType.objects.get_for_model(source_record)
        obj.source_object_id = source_record.pk
    try:
        obj.full_clean()
    except ValidationError as exc:
        _merge(errors, exc)
    if errors:
        raise ValidationError(errors)
    with transaction.atomic(), audit_actor(actor):
        old_orgs, old_dates = sources.snapshot(obj)
        creating = obj.pk is None
        obj.save()
        orgs, dates = sources.current(obj)
        sources.announce(obj, "create" if creating else "update", orgs | old_orgs, dates | old_dates)
    return obj


def create_case(data: dict, *, actor=None, source_record=None) -> TypicalCase:
    """Create a typical case from ``data`` (field values)."""
    return save_case(TypicalCase(**data), actor=actor, source_record=source_record)


def delete_case(obj: TypicalCase, *, actor=None) -> None:
    """Delete ``obj`` (audited, announced)."""
    _require(actor, obj.org)
    with transaction.atomic(), audit_actor(actor):
        orgs, dates = sources.current(obj)
        sources.announce(obj, "delete", orgs, dates)
        obj.delete()

"""Every write of the role models app: validate, save, audit, announce.

Rules (seed 二.11 / 三.5 "开展‘学习身边榜样’活动，选树宣传一批担当作为的先进典型"; the usual
推荐 → 选树 → 公示 → 公布 procedure of 评选表彰):

- a member nominee belongs to the nominating organization's subtree (for a Party group: its
  branch, ``records.services.member_belongs``); a collective has a name;
  the nomination date is not in the future;
- the nomination is edited only while 已推荐 / 退回修改 (later it is the committee's record);
- selecting, publicising, announcing, returning and rejecting need "review" on the selecting
  committee (审核把关, seed 四.2); resubmitting needs "change" on the nominating organization;
- a 公示 period ends on or after its start; announcing waits for the period's end and for
  every objection to be handled;
- returning and rejecting need a reason.

``actor=None`` is the system (sample data, command line): always allowed. Each write that can
change evidence calls ``core.sources.announce`` inside its transaction, naming both the
nominating organization and the selecting committee (their tasks 三.5 and 二.11 read it).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone

from taizhang.core import sources
from taizhang.core.scoping import CHANGE, REVIEW, can
from taizhang.core.status import apply_transition
from taizhang.orgs.models import Organization
from taizhang.records.services import audit_actor, member_belongs

from .models import EDITABLE_STATUSES, NomineeKind, Objection, RoleModel, RoleModelStatus

# Which action each transition needs, on which organization ("selector" or "org").
TRANSITIONS = {
    "select": (REVIEW, "selector"), "publicise": (REVIEW, "selector"), "announce": (REVIEW, "selector"),
    "return_for_revision": (REVIEW, "selector"), "reject": (REVIEW, "selector"),
    "resubmit": (CHANGE, "org"),
}
REASON_REQUIRED = {"return_for_revision", "reject"}


def _require(actor, action: str, org) -> None:
    if actor is not None and not can(actor, action, org):
        raise PermissionDenied("您无权对该组织的先进典型执行此操作。")


def selecting_committee(org: Organization) -> Organization:
    """The committee that selects ``org``'s nominations: its nearest committee
    (``Organization.nearest_committee``)."""
    return org.nearest_committee()


def _evidence_keys(obj: RoleModel) -> tuple[set, set]:
    """(org ids, dates) of ``obj`` that evidence counting reads (see ``evidence.count_role_models``)."""
    return {obj.org_id, obj.selector_id}, {obj.nominated_on, obj.publicity_start, obj.selected_on}


def _stored_keys(pk) -> tuple[set, set]:
    old = RoleModel._base_manager.filter(pk=pk).first() if pk else None
    return _evidence_keys(old) if old else (set(), set())


def validate(obj: RoleModel) -> None:
    """Raise ``ValidationError`` (field → messages) when ``obj`` breaks a nomination rule."""
    errors: dict[str, list[str]] = {}
    obj.deeds = (obj.deeds or "").strip()
    obj.collective = (obj.collective or "").strip()
    if obj.kind == NomineeKind.MEMBER:
        if not obj.member_id:
            errors.setdefault("member", []).append("请选择被推荐的党员")
        elif obj.org_id and not member_belongs(obj.member, obj.org):
            errors.setdefault("member", []).append("该党员不属于推荐组织")
        obj.collective = ""
    else:
        obj.member = None
        if not obj.collective:
            errors.setdefault("collective", []).append("请填写先进集体名称")
    if obj.nominated_on and obj.nominated_on > timezone.localdate():
        errors.setdefault("nominated_on", []).append("推荐日期不能晚于今天")
    if obj.org_id and not obj.selector_id:
        obj.selector = selecting_committee(obj.org)
    try:
        obj.full_clean(exclude=["selector"])
    except ValidationError as exc:
        for name, messages in exc.message_dict.items():
            errors.setdefault(name, []).extend(m for m in messages if m not in errors.get(name, []))
    if errors:
        raise ValidationError(errors)


def save_role_model(obj: RoleModel, *, actor=None) -> RoleModel:
    """Validate and save a new or edited nomination (audited, announced). The selecting
    committee follows the nominating organization. Raises ``ValidationError`` for a broken
    rule or an edit after selection, ``PermissionDenied`` without "change" on the org."""
    if obj.pk and RoleModel._base_manager.filter(pk=obj.pk).exclude(status__in=EDITABLE_STATUSES).exists():
        raise ValidationError("已进入选树、公示程序的先进典型不能再修改推荐内容")
    if obj.org_id:
        obj.selector = selecting_committee(obj.org)
        _require(actor, CHANGE, obj.org)
    validate(obj)
    with transaction.atomic(), audit_actor(actor):
        old_orgs, old_dates = _stored_keys(obj.pk)
        creating = obj.pk is None
        obj.save()
        orgs, dates = _evidence_keys(obj)
        sources.announce(obj, "create" if creating else "update", orgs | old_orgs, dates | old_dates)
    return obj


def nominate(data: dict, *, actor=None) -> RoleModel:
    """Create a nomination from ``data`` (RoleModel field values: org, kind, member or
    collective, title, deeds, nominated_on, campaign)."""
    return save_role_model(RoleModel(**data), actor=actor)


def delete_role_model(obj: RoleModel, *, actor=None) -> None:
    """Delete a nomination that is not yet selected (audited, announced). Raises
    ``ValidationError`` once it is selected (the committee's record is kept)."""
    if obj.status not in EDITABLE_STATUSES and obj.status != RoleModelStatus.REJECTED:
        raise ValidationError("已选树的先进典型不能删除")
    _require(actor, CHANGE, obj.org)
    with transaction.atomic(), audit_actor(actor):
        orgs, dates = _evidence_keys(obj)
        sources.announce(obj, "delete", orgs, dates)
        obj.delete()


def move(obj: RoleModel, name: str, *, actor=None, comment: str = "", on: dt.date | None = None,
         start: dt.date | None = None, end: dt.date | None = None) -> RoleModel:
    """Move ``obj`` through transition ``name`` (select, publicise, announce,
    return_for_revision, resubmit, reject), recording an event with ``comment``.

    ``on``: the day of a selection / announcement (default today); ``start``/``end``: the
    公示 period. Raises ``core.status.IllegalTransition`` for a move the state machine does
    not allow, ``PermissionDenied`` without the needed action, ``ValidationError`` for a
    missing reason, a bad period, or an announcement before the period's end or with an
    unhandled objection."""
    if name not in TRANSITIONS:
        raise ValidationError(f"未知的操作：{name}")
    action, field = TRANSITIONS[name]
    _require(actor, action, getattr(obj, field))
    comment = (comment or "").strip()
    kwargs: dict = {}
    today = timezone.localdate()
    if name in REASON_REQUIRED:
        if not comment:
            raise ValidationError({"comment": ["请填写理由"]})
        kwargs["reason"] = comment
    elif name == "select":
        kwargs["on"] = on or today
    elif name == "publicise":
        if not start or not end or end < start:
            raise ValidationError({"end": ["请填写公示起止日期，结束日期不能早于开始日期"]})
        kwargs.update(start=start, end=end)
    elif name == "announce":
        on = on or today
        if obj.publicity_end and on <= obj.publicity_end:
            raise ValidationError({"on": [f"公示期至 {obj.publicity_end:%Y-%m-%d} 结束，期满后方可公布"]})
        if obj.objections.filter(handling="").exists():
            raise ValidationError({"on": ["还有未处理的公示异议，处理后方可公布"]})
        kwargs["on"] = on
    with transaction.atomic(), audit_actor(actor):
        old_orgs, old_dates = _evidence_keys(obj)
        apply_transition(obj, name, actor, comment, **kwargs)
        orgs, dates = _evidence_keys(obj)
        sources.announce(obj, "update", orgs | old_orgs, dates | old_dates)
    return obj


def add_objection(obj: RoleModel, *, actor=None, text: str, received_on: dt.date | None = None) -> Objection:
    """Record an objection received during ``obj``'s 公示 (needs "review" on its selector).
    Raises ``ValidationError`` when the model is not being publicised or the text is empty."""
    _require(actor, REVIEW, obj.selector)
    if obj.status != RoleModelStatus.PUBLICISED:
        raise ValidationError({"text": ["只有公示中的先进典型可以登记异议"]})
    text = (text or "").strip()
    if not text:
        raise ValidationError({"text": ["请填写反映内容"]})
    with transaction.atomic(), audit_actor(actor):
        return Objection.objects.create(org=obj.selector, role_model=obj, text=text,
                                        received_on=received_on or timezone.localdate())


def handle_objection(objection: Objection, *, actor=None, handling: str,
                     handled_on: dt.date | None = None) -> Objection:
    """Record how ``objection`` was checked and handled (needs "review" on its org)."""
    _require(actor, REVIEW, objection.org)
    handling = (handling or "").strip()
    if not handling:
        raise ValidationError({"handling": ["请填写核查处理情况"]})
    with transaction.atomic(), audit_actor(actor):
        objection.handling = handling
        objection.handled_on = handled_on or timezone.localdate()
        objection.save()
    return objection

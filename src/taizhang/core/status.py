"""Status machines: move an object only through its declared transitions, and record it.

Models declare transitions with django-fsm-2 (``@transition``); every move goes through
:func:`apply_transition`, which refuses an illegal move with :class:`IllegalTransition`
(a message for the user, nothing written) and writes an :class:`~taizhang.core.models.Event`
with who, when and why.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import FieldDoesNotExist
from django.db import transaction
from django_fsm import can_proceed, has_transition_perm  # noqa: F401  (re-exported for views)
from django.utils.translation import gettext_lazy

from .models import Event


class IllegalTransition(Exception):
    """A status move that the object's state machine does not allow from its current state."""


def org_of(obj):
    """The organization an object belongs to, following its model's ``scope_org_field``
    (an organization itself when the field is empty)."""
    value = obj
    if not obj.scope_org_field:
        return obj
    for part in obj.scope_org_field.split("__"):
        value = getattr(value, part)
    return value


def record_event(obj, verb: str, actor=None, comment: str = "", from_state: str = "",
                 to_state: str = "") -> Event:
    """Write a domain event about ``obj`` (any scoped model instance)."""
    return Event.objects.create(
        org=org_of(obj),
        content_type=ContentType.objects.get_for_model(obj),
        object_id=obj.pk,
        verb=verb,
        from_state=from_state,
        to_state=to_state,
        comment=comment,
        actor=actor if getattr(actor, "is_authenticated", False) else None,
    )


def apply_transition(obj, name: str, actor=None, comment: str = "", field: str = "status",
                     **kwargs):
    """Run the transition method ``name`` of ``obj``, save it and record an event.

    ``kwargs`` are passed to the transition method. Raises :class:`IllegalTransition` when
    the method is not a transition available from the current state (nothing is written).
    Returns the event.
    """
    method = getattr(obj, name, None)
    if method is None or not hasattr(method, "_django_fsm") or not can_proceed(method):
        current = getattr(obj, f"get_{field}_display", lambda: getattr(obj, field))()
        raise IllegalTransition(f"当前状态“{current}”下不能执行此操作（{name}）。")
    before = getattr(obj, field)
    with transaction.atomic():
        method(**kwargs)
        obj.save()
        return record_event(obj, name, actor=actor, comment=comment, from_state=before,
                            to_state=getattr(obj, field))


# How each verb reads in a history (transition method names of every app, and the events
# apps record themselves).
VERB_LABELS = {
    "submit": gettext_lazy("提交"), "approve": gettext_lazy("审核通过"), "confirm": gettext_lazy("审核确认"), "return_for_revision": gettext_lazy("退回修改"),
    "complete_by_evidence": gettext_lazy("由工作记录完成"), "lose_evidence": gettext_lazy("工作记录不再满足要求"),
    "reopen": gettext_lazy("重新打开"), "start": gettext_lazy("开始整改"), "complete": gettext_lazy("申报完成"), "verify": gettext_lazy("核验通过"),
    "close": gettext_lazy("销号"), "reject": gettext_lazy("不同意"), "answer": gettext_lazy("答复"), "start_handling": gettext_lazy("开始办理"),
    "import": gettext_lazy("导入"), "request_extension": gettext_lazy("申请延期"), "extend": gettext_lazy("同意延期"),
    "reject_extension": gettext_lazy("不同意延期"), "delete_attachment": gettext_lazy("删除附件"),
    "edit_rules": gettext_lazy("修改佐证规则"), "edit_statements": gettext_lazy("填写发言和批评意见"), "cancel": gettext_lazy("取消"), "delete": gettext_lazy("删除"),
    "issue_tokens": gettext_lazy("生成答卷链接"),
    "publish": gettext_lazy("发布"), "derive": gettext_lazy("分解任务清单"), "add": gettext_lazy("增加任务"),
    "reread": gettext_lazy("重新读取"), "review_reset": gettext_lazy("修改后需重新报审"),
    "review_submit": gettext_lazy("报上级审核"), "review_approve": gettext_lazy("上级审核通过"),
    "review_return": gettext_lazy("上级退回修改"), "urge": gettext_lazy("督办"), "announce": gettext_lazy("公布"),
    "select": gettext_lazy("选树"), "publicise": gettext_lazy("公示"), "resubmit": gettext_lazy("重新提交"),
    "account_created": gettext_lazy("开通账号"), "account_disabled": gettext_lazy("停用账号"),
    "account_enabled": gettext_lazy("恢复账号"), "add_child": gettext_lazy("新增下级组织"),
    "grant_role": gettext_lazy("授予角色"), "revoke_role": gettext_lazy("撤销角色"),
    "appoint_post": gettext_lazy("任命职务"), "end_post": gettext_lazy("结束任职"),
    "follow": gettext_lazy("随下级清单同步"), "delegate": gettext_lazy("由下级清单承接"),
    "undelegate": gettext_lazy("恢复本级核算"),
}


def events_for(obj):
    """The domain events of ``obj``, oldest first, each with ``verb_label`` and
    ``from_label`` / ``to_label`` (the states as the model's choices name them)."""
    events = list(Event.objects.filter(
        content_type=ContentType.objects.get_for_model(obj), object_id=obj.pk
    ).select_related("actor"))
    try:
        choices = dict(type(obj)._meta.get_field("status").flatchoices)
    except FieldDoesNotExist:  # a model without a status field keeps the stored codes
        choices = {}
    for event in events:
        event.verb_label = VERB_LABELS.get(event.verb, event.verb)
        event.from_label = str(choices.get(event.from_state, event.from_state))
        event.to_label = str(choices.get(event.to_state, event.to_state))
    return events


def bulk_transition(objs: list, name: str, actor=None, comment: str = "", field: str = "status"):
    """Move many objects of one model through the same declared transition at once.

    Each object is checked like :func:`apply_transition` (``IllegalTransition`` before
    anything is written), then all are saved with one bulk UPDATE and their events with
    one bulk INSERT: a constant number of queries however many objects move (the evidence
    evaluation of a whole campaign moves thousands). Field changes made by the transition
    methods are saved with them; the domain events are their history.
    """
    if not objs:
        return []
    model = type(objs[0])
    befores = []
    for obj in objs:
        method = getattr(obj, name, None)
        if method is None or not hasattr(method, "_django_fsm") or not can_proceed(method):
            current = getattr(obj, f"get_{field}_display", lambda: getattr(obj, field))()
            raise IllegalTransition(f"当前状态“{current}”下不能执行此操作（{name}）。")
        befores.append(getattr(obj, field))
    content_type = ContentType.objects.get_for_model(model)
    from django.utils import timezone

    now = timezone.now()
    with transaction.atomic():
        for obj in objs:
            getattr(obj, name)()
            obj.updated_at = now
        changed = {f.name for f in model._meta.concrete_fields if f.name in (field, "reviewed", "updated_at")}
        model.objects.bulk_update(objs, sorted(changed), batch_size=1000)
        return Event.objects.bulk_create([
            Event(org=org_of(obj), content_type=content_type, object_id=obj.pk, verb=name,
                  from_state=before, to_state=getattr(obj, field), comment=comment,
                  actor=actor if getattr(actor, "is_authenticated", False) else None)
            for obj, before in zip(objs, befores, strict=True)
        ], batch_size=1000)

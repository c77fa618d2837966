"""Write operations of the plans app: store an importer draft, publish a plan, edit a
campaign and a task's evidence rules, hold and cancel an upload.

Views, the CLI and tests all change plan data through these functions, so validation,
atomicity and audit happen in one place. The edits of issue 9 §1 take one signature,
``(target_or_data, *, actor)``: the audit entries (django-auditlog) carry ``actor`` even
outside a request, and a business event (``core.status.record_event``) says what was done.
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.core.audit import audit_actor
from taizhang.core.status import record_event
from taizhang.orgs.models import Organization

from . import delegation, levels, publishing
from .evidence import evaluate_item, suggest_rules
from .importer.model import Node, PlanDraft
from .models import (
    Campaign,
    CampaignStatus,
    EvidenceRule,
    ItemKind,
    Plan,
    PlanImport,
    PlanImportStatus,
    PlanItem,
    period_problem,
)
from .publishing import (  # noqa: F401  (part of this module's API: board, CLI, tests)
    PublishResult,
    assignable_items,
    assignment_due,
    responsible_orgs,
)
from .signals import plan_published

EXTRA_FIELDS = ("min_count", "lead_unit", "responsible_units", "ongoing", "deadline_text")


def draft_to_dict(draft: PlanDraft) -> dict:
    """The importer's JSON contract of ``draft`` plus each node's storage-only fields.

    The result is JSON-serialisable: it is what an upload preview stores and edits, and what
    :func:`save_draft` reads. Each node dict gains ``min_count``, ``lead_unit``,
    ``responsible_units``, ``ongoing`` and ``deadline_text`` (a table's deadline cell, read
    again when the preview is given the year); the draft gains ``year_needed``.
    """
    data = draft.to_dict()

    def add_extra(node: Node, node_dict: dict) -> None:
        for name in EXTRA_FIELDS:
            node_dict[name] = getattr(node, name)
        for child, child_dict in zip(node.children, node_dict["children"], strict=True):
            add_extra(child, child_dict)

    for node, node_dict in zip(draft.items, data["items"], strict=True):
        add_extra(node, node_dict)
    data["year_needed"] = draft.year_needed
    if draft.layout is not None:
        data["layout"] = draft.layout
    return data


def outline_ref(parent_ref: str, label: str) -> str:
    """Dotted reference of an item from its parent's and its own label.

    "一、" → "一"; then "2." → "一.2"; then "（1）" → "一.2（1）" (parenthesised and circled
    labels attach without a dot, as practitioners write them: 三.2（1）).
    """
    core = label.strip().rstrip("、.．。:： ")
    if not core:
        return parent_ref
    if not parent_ref:
        return core
    if core[0] in "（(" or "\u2460" <= core[0] <= "\u24ff":
        return parent_ref + core
    return f"{parent_ref}.{core}"


def _parse_date(value) -> dt.date | None:
    if not value:
        return None
    if isinstance(value, dt.date):
        return value
    return dt.date.fromisoformat(value)


@transaction.atomic
def save_draft(data: dict, org: Organization, user=None, source_name: str = "") -> Campaign:
    """Store a draft (the dict of :func:`draft_to_dict`) as a new campaign with its plan.

    ``org`` owns the campaign (normally the committee). Atomic: on any error nothing is
    written. Returns the campaign (status draft, not yet published).
    """
    period = data.get("period") or {}
    campaign = Campaign.objects.create(
        org=org,
        title=(data.get("title") or source_name or "任务清单")[:200],
        start=_parse_date(period.get("start")),
        end=_parse_date(period.get("end")),
        created_by=user,
    )
    plan = Plan.objects.create(
        campaign=campaign,
        source_name=source_name[:255],
        preamble=data.get("preamble") or "",
        diagnostics=data.get("diagnostics") or [],
    )
    _create_items(plan, data.get("items") or [], parent=None, parent_ref="")
    return campaign


def _create_items(plan: Plan, nodes: list[dict], parent: PlanItem | None, parent_ref: str):
    for position, node in enumerate(nodes):
        ref = outline_ref(parent_ref, node.get("label") or "")
        lines = node.get("lines") or [0, 0]
        item = PlanItem.objects.create(
            plan=plan,
            parent=parent,
            position=position,
            ref=ref[:64],
            label=(node.get("label") or "")[:32],
            kind=node.get("kind") or ItemKind.TASK,
            title=(node.get("title") or "")[:500],
            text=node.get("text") or "",
            responsible=node.get("responsible") or "",
            lead_unit=(node.get("lead_unit") or "")[:200],
            responsible_units=(node.get("responsible_units") or "")[:200],
            due=_parse_date(node.get("due")),
            due_workday=_parse_date(node.get("due_workday")),
            ongoing=bool(node.get("ongoing")),
            recurrence=node.get("recurrence") or "",
            min_count=node.get("min_count") or 1,
            evidence=node.get("evidence") or "",
            line_first=lines[0] or 0,
            line_last=lines[1] or 0,
        )
        if item.kind == ItemKind.TASK:
            EvidenceRule.objects.bulk_create(
                EvidenceRule(item=item, position=n, **rule)
                for n, rule in enumerate(suggest_rules(item.text or item.title, item.evidence,
                                                       item.min_count))
            )
        _create_items(plan, node.get("children") or [], parent=item, parent_ref=ref)


@transaction.atomic
def confirm_import(plan_import: PlanImport, user=None) -> Campaign:
    """Turn a pending upload into a campaign; an import is confirmed once only."""
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.status != PlanImportStatus.PENDING:
        raise ValueError("该导入已处理，不能重复确认。")
    campaign = save_draft(locked.draft, locked.org, user=user, source_name=locked.source_name)
    locked.status = PlanImportStatus.CONFIRMED
    locked.campaign = campaign
    locked.save(update_fields=["status", "campaign", "updated_at"])
    return campaign


def publish_plan(campaign: Campaign, user=None) -> PublishResult:
    """Publish (or re-publish) a campaign's plan to its organization tree.

    One ``Assignment`` per (task, responsible org) and, for recurring tasks, one ``Occurrence``
    per period inside the campaign period (DESIGN.md "The main job" step 3). Re-publishing
    after an edit updates deadlines and adds or removes rows without duplicating (publishing
    twice creates nothing); assignments and occurrences that are no longer in the plan are
    removed only while nothing was done on them (status pending). Records entered before
    publishing complete what they satisfy. Atomic; a number of queries that does not depend
    on the number of branches (bulk writes, see :mod:`taizhang.plans.publishing`, which does
    the work). ``user`` is the publishing user (``None`` from the command line). Records a
    ``publish`` event when anything changed and, after commit, sends ``signals.plan_published`` with the
    organizations whose tasks changed (the notify app tells them). Raises
    ``ValueError`` for a recurrence that cannot be read, ``ValidationError`` for a plan
    derived from a superior's that the superior has not approved (``levels.require_final``,
    seed 四.2). A derived plan's publish delegates the superior's assignments in its subtree
    to its own (``plans.delegation.link``); a superior's re-publish re-links those of every
    published derived plan. Returns a :class:`PublishResult`.
    """
    reasons = publish_blockers(campaign)
    if reasons:
        raise ValidationError(reasons)
    changes = [c for c in publishing.preview(campaign) if c.touched]
    previously = delegation.delegated_ids(campaign)
    result = publishing.publish_plan(campaign, user=user)
    delegation.link(campaign, previously)  # a derived plan answers for the superior's tasks
    for derived in campaign.derived.filter(status=CampaignStatus.PUBLISHED).select_related("org"):
        delegation.link(derived)  # the superior's new rows follow the units' again
    if changes or result != PublishResult():  # a publish that changed nothing leaves no trace
        record_event(campaign, "publish", actor=user, comment=result.summary())
    transaction.on_commit(lambda: plan_published.send(
        sender=Campaign, campaign=campaign, changes=changes, user=user))
    return result


def publish_blockers(campaign: Campaign) -> list[str]:
    """Why ``campaign`` cannot be published now, in the order :func:`publish_plan` checks
    (its refusals, each a Chinese sentence); empty when it can. A derived plan the superior
    has not approved (``levels.require_final``, seed 四.2), a period that cannot be one
    (``period_problem``: the form refuses it too; the API, the importer and the shell may
    not), tasks without any deadline (:func:`require_deadlines`). The publish page shows
    them instead of a button that would be refused."""
    reasons = _refusals(levels.require_final, campaign)
    problem = period_problem(campaign.start, campaign.end)
    if problem:
        reasons.append(_("无法发布：%(problem)s") % {"problem": problem})
    return reasons + _refusals(require_deadlines, campaign)


def _refusals(check, campaign: Campaign) -> list[str]:
    """The messages of the ``ValidationError`` ``check(campaign)`` raises (none: [])."""
    try:
        check(campaign)
    except ValidationError as exc:
        return [str(m) for m in exc.messages]
    return []


def undated_tasks(campaign: Campaign) -> list[PlanItem]:
    """The assignable tasks of ``campaign``'s plan that would be published without any
    deadline: not marked 长期坚持 (``ongoing``), and neither a deadline of their own nor the
    campaign's end date to fall back on (a recurring task needs the campaign's start and end
    for its periods). The seed's tasks inherit the campaign period (二: "从2023年9月开始，
    2024年1月基本结束"), and its 长期坚持 items are ``ongoing``, so none is listed there."""
    items = publishing.assignable_items(campaign.plan, list(campaign.plan.items.all()))
    undated = []
    for item in items:
        if item.ongoing:
            continue
        if item.recurrence:
            if not (campaign.start and campaign.end):
                undated.append(item)
        elif publishing.assignment_due(item, campaign.end) is None:
            undated.append(item)
    return undated


def require_deadlines(campaign: Campaign, shown: int = 10) -> None:
    """Refuse (``ValidationError`` naming up to ``shown`` of them and their number) to publish
    a plan with tasks no one could ever be late on (:func:`undated_tasks`): the office sets
    the campaign's period, gives the tasks a deadline, or marks them 长期坚持 explicitly."""
    undated = undated_tasks(campaign)
    if not undated:
        return
    names = "、".join(str(item) for item in undated[:shown])
    more = _("等 %(n)d 项") % {"n": len(undated)} if len(undated) > shown else ""
    raise ValidationError(_(
        "无法发布：以下任务没有完成时限，也未标为“长期坚持”：%(names)s%(more)s。"
        "请填写主题教育的起止日期，或为这些任务填写完成时限，或在任务中勾选“长期坚持”。"
    ) % {"names": names, "more": more})


def _rules_text(item: PlanItem) -> str:
    """The item's rules as one line for an event comment ("lecture≥1(secretary)；…")."""
    return "；".join(f"{r.record_kind}≥{r.min_count}({r.per}/{r.window})" for r in item.rules.all()) or "—"


def _record_rule_edit(item: PlanItem, before: str, outcome, actor) -> None:
    """The business event of a rule edit: the rules before and after, and what the
    re-evaluation moved (statuses changed by an edit are never silent, issue 9 §1)."""
    after = _rules_text(item)
    if before == after and not (outcome.completed or outcome.reopened):
        return
    record_event(item, "edit_rules", actor=actor, comment=(
        f"佐证规则：{before} → {after}；重新核算 {outcome.evaluated} 项，"
        f"完成 {outcome.completed} 项，退回未完成 {outcome.reopened} 项"))


@transaction.atomic
def set_rules(item: PlanItem, rules: list[dict], *, actor=None):
    """Replace the evidence rules of ``item`` (dicts of EvidenceRule fields) and re-evaluate
    its assignments and occurrences. Audited (the rule rows, and an ``edit_rules`` event on
    the item naming the rules before and after and the statuses moved). Returns the
    evaluation outcome."""
    before = _rules_text(item)
    with audit_actor(actor):
        item.rules.all().delete()
        for n, rule in enumerate(rules):  # one by one (a task has a few): each row audited
            EvidenceRule.objects.create(item=item, position=n, **rule)
        outcome = evaluate_item(item)
    _record_rule_edit(item, before, outcome, actor)
    return outcome


@transaction.atomic
def update_item(item: PlanItem, *, actor, form, rules_formset):
    """Save an edited task (``form``: a bound, valid ``ItemEditForm`` of ``item``) and its
    rules (``rules_formset``: a valid ``RuleFormSet``), then re-evaluate its assignments and
    occurrences. Audited with ``actor``: the item and rule rows (django-auditlog) and an
    ``edit_rules`` event on the item when the rules or statuses changed. Deadlines,
    recurrence and responsible level reach the assignments when the plan is published again.
    Raises ValueError when the form is not of ``item``. Returns the evaluation outcome."""
    if form.instance.pk != item.pk:
        raise ValueError("the form does not edit this item")
    before = _rules_text(item)
    with audit_actor(actor):
        item = form.save()
        rules_formset.save()
        outcome = evaluate_item(item)
    _record_rule_edit(item, before, outcome, actor)
    if form.has_changed() or rules_formset.has_changed():
        levels.plan_changed(item.plan.campaign, actor=actor)
    return outcome


CAMPAIGN_FIELDS = ("title", "start", "end")


@transaction.atomic
def update_campaign(campaign: Campaign, *, actor, **fields) -> Campaign:
    """Change a campaign's name and period (``fields``: title, start, end; as the
    ``CampaignForm`` cleans them). Audited with ``actor``. Raises ValueError for another
    field name, ``ValidationError`` for an end before the start or a period over five years
(``models.period_problem``). Periods of recurring tasks
    follow when the plan is published again."""
    from django.core.exceptions import ValidationError

    for name, value in fields.items():
        if name not in CAMPAIGN_FIELDS:
            raise ValueError(f"not an editable campaign field: {name}")
        setattr(campaign, name, value)
    problem = period_problem(campaign.start, campaign.end)
    if problem:
        raise ValidationError({"end": problem})
    with audit_actor(actor):
        campaign.save()
    return campaign


@transaction.atomic
def create_import(data: dict, *, actor) -> PlanImport:
    """Hold an uploaded task list for its preview: ``data`` = {"org": Organization,
    "source_name": str, "draft": dict of :func:`draft_to_dict`}. Nothing of the campaign is
    written before it is confirmed. Audited with ``actor``. Returns the pending import."""
    with audit_actor(actor):
        return PlanImport.objects.create(
            org=data["org"], source_name=str(data["source_name"])[:255], draft=data["draft"],
            created_by=actor if getattr(actor, "is_authenticated", False) else None)


@transaction.atomic
def replace_draft(plan_import: PlanImport, draft: dict, *, actor) -> PlanImport:
    """Put ``draft`` (a dict of :func:`draft_to_dict`) in place of a pending import's draft:
    the kept upload read again with the user's sheet and column roles (issue 16 §1, §3).
    Audited with ``actor``, with a ``reread`` event. Raises ValueError when the import is no
    longer pending (confirmed or cancelled meanwhile)."""
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.status != PlanImportStatus.PENDING:
        raise ValueError("该导入已处理。")
    with audit_actor(actor):
        locked.draft = draft
        locked.save(update_fields=["draft", "updated_at"])
    layout = draft.get("layout") or {}
    record_event(locked, "reread", actor=actor, comment=f"{layout.get('sheet', '')}："
                 + "；".join(f"{c['index'] + 1}={c['role']}" for c in layout.get("columns") or []))
    return locked


@transaction.atomic
def cancel_import(plan_import: PlanImport, *, actor) -> PlanImport:
    """Cancel a pending upload (nothing was written from it). Audited with ``actor``, with a
    ``cancel`` event. Raises ValueError when it is no longer pending (confirmed or cancelled
    meanwhile)."""
    locked = PlanImport.objects.select_for_update().get(pk=plan_import.pk)
    if locked.status != PlanImportStatus.PENDING:
        raise ValueError("该导入已处理。")
    with audit_actor(actor):
        locked.status = PlanImportStatus.CANCELLED
        locked.save(update_fields=["status", "updated_at"])
    record_event(locked, "cancel", actor=actor, from_state=PlanImportStatus.PENDING,
                 to_state=PlanImportStatus.CANCELLED)
    return locked

"""Write operations of the plans app: store an importer draft, publish a plan.

Views, the CLI and tests all change plan data through these functions, so validation,
atomicity and audit happen in one place.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db import transaction
from django.utils import timezone

from taizhang.core.workdays import last_workday_on_or_before
from taizhang.orgs.models import Organization, OrgKind

from .evidence import evaluate_campaign, evaluate_item, suggest_rules
from .importer.model import Node, PlanDraft
from .models import (
    Assignment,
    AssignmentStatus,
    Campaign,
    CampaignStatus,
    EvidenceRule,
    ItemKind,
    Occurrence,
    Plan,
    PlanImport,
    PlanImportStatus,
    PlanItem,
    Responsible,
)
from .periods import periods_for

EXTRA_FIELDS = ("min_count", "lead_unit", "responsible_units", "ongoing")


def draft_to_dict(draft: PlanDraft) -> dict:
    """The importer's JSON contract of ``draft`` plus each node's storage-only fields.

    The result is JSON-serialisable: it is what an upload preview stores and edits, and what
    :func:`save_draft` reads. Each node dict gains ``min_count``, ``lead_unit``,
    ``responsible_units`` and ``ongoing``.
    """
    data = draft.to_dict()

    def add_extra(node: Node, node_dict: dict) -> None:
        for name in EXTRA_FIELDS:
            node_dict[name] = getattr(node, name)
        for child, child_dict in zip(node.children, node_dict["children"], strict=True):
            add_extra(child, child_dict)

    for node, node_dict in zip(draft.items, data["items"], strict=True):
        add_extra(node, node_dict)
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


def assignable_items(plan: Plan, items: list[PlanItem] | None = None) -> list[PlanItem]:
    """The plan's tasks that are assigned: tasks without task children (leaves of the work).
    ``items`` may pass the plan's items already loaded."""
    items = list(plan.items.all()) if items is None else items
    parents_of_tasks = {i.parent_id for i in items if i.kind == ItemKind.TASK and i.parent_id}
    return [i for i in items if i.kind == ItemKind.TASK and i.pk not in parents_of_tasks]


def responsible_orgs(item: PlanItem, committee: Organization, branches: list[Organization]):
    """Which organizations answer for ``item``: the committee, or every branch under it.

    Member-level obligations (e.g. "普通党员全员讲好微党课", seed 三.2（2）) are tracked per
    branch, which counts its members. An item with no responsible level is the committee's.
    """
    if item.responsible in (Responsible.BRANCH, Responsible.MEMBER):
        return branches
    return [committee]


def assignment_due(item: PlanItem, campaign_due: dt.date | None) -> dt.date | None:
    """When an assignment of ``item`` is due: the item's deadline (its last working day when
    the date is a holiday), else the campaign's end ("2024年1月基本结束", seed 二), none for a
    long-term item (长期坚持)."""
    if item.ongoing:
        return None
    return item.effective_due or campaign_due


@dataclass
class PublishResult:
    """Counts of what :func:`publish_plan` changed."""

    assignments_created: int = 0
    assignments_updated: int = 0
    assignments_removed: int = 0
    occurrences_created: int = 0
    occurrences_updated: int = 0
    occurrences_removed: int = 0
    completed_by_records: int = 0

    def summary(self) -> str:
        return (
            f"assignments: {self.assignments_created} created, {self.assignments_updated} updated, "
            f"{self.assignments_removed} removed; occurrences: {self.occurrences_created} created, "
            f"{self.occurrences_updated} updated, {self.occurrences_removed} removed"
        )


@transaction.atomic
def publish_plan(campaign: Campaign, user=None) -> PublishResult:
    """Publish (or re-publish) a campaign's plan to its organization tree.

    One ``Assignment`` per (task, responsible org) and, for recurring tasks, one ``Occurrence``
    per period inside the campaign period (DESIGN.md "The main job" step 3). Re-publishing
    after an edit updates deadlines and adds or removes rows without duplicating; assignments
    and occurrences that are no longer in the plan are removed only while nothing was done
    on them (status pending). Uses bulk writes: a constant number of queries per plan, not
    per branch.
    """
    plan = campaign.plan
    committee = campaign.org
    branches = list(
        Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH)
    )
    result = PublishResult()
    items = assignable_items(plan)

    existing = {(a.item_id, a.org_id): a for a in Assignment.objects.filter(item__plan=plan)}
    wanted: dict[tuple[int, int], tuple[PlanItem, Organization]] = {}
    for item in items:
        for org in responsible_orgs(item, committee, branches):
            wanted[(item.pk, org.pk)] = (item, org)

    default_due = last_workday_on_or_before(campaign.end) if campaign.end else None
    to_create, to_update = [], []
    for key, (item, org) in wanted.items():
        due = assignment_due(item, default_due)
        assignment = existing.get(key)
        if assignment is None:
            to_create.append(Assignment(item=item, org=org, due=due))
        elif assignment.due != due:
            assignment.due = due
            to_update.append(assignment)
    Assignment.objects.bulk_create(to_create, batch_size=1000)
    Assignment.objects.bulk_update(to_update, ["due"], batch_size=1000)
    result.assignments_created, result.assignments_updated = len(to_create), len(to_update)

    stale = [a.pk for key, a in existing.items()
             if key not in wanted and a.status == AssignmentStatus.PENDING]
    if stale:
        Occurrence.objects.filter(assignment_id__in=stale).delete()
        result.assignments_removed = Assignment.objects.filter(pk__in=stale).delete()[1].get(
            Assignment._meta.label, 0
        )

    _sync_occurrences(plan, campaign, items, result)
    result.completed_by_records = evaluate_campaign(campaign).completed

    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at", "updated_at"])
    return result


def _sync_occurrences(plan: Plan, campaign: Campaign, items: list[PlanItem], result) -> None:
    by_item = {item.pk: item for item in items}
    periods_by_item = {
        item.pk: periods_for(item.recurrence, campaign.start, campaign.end)
        for item in items
        if item.recurrence
    }
    assignments = Assignment.objects.filter(item__plan=plan).values_list("pk", "item_id")
    existing = {
        (o.assignment_id, o.period_start): o
        for o in Occurrence.objects.filter(assignment__item__plan=plan)
    }
    wanted = set()
    to_create, to_update = [], []
    for assignment_id, item_id in assignments:
        if item_id not in by_item:
            continue
        for period in periods_by_item.get(item_id, []):
            key = (assignment_id, period.start)
            wanted.add(key)
            occ = existing.get(key)
            if occ is None:
                to_create.append(Occurrence(
                    assignment_id=assignment_id, period_start=period.start,
                    period_end=period.end, due=period.due,
                ))
            elif (occ.period_end, occ.due) != (period.end, period.due):
                occ.period_end, occ.due = period.end, period.due
                to_update.append(occ)
    Occurrence.objects.bulk_create(to_create, batch_size=1000)
    Occurrence.objects.bulk_update(to_update, ["period_end", "due"], batch_size=1000)
    stale = [o.pk for key, o in existing.items()
             if key not in wanted and o.status == AssignmentStatus.PENDING]
    removed = Occurrence.objects.filter(pk__in=stale).delete()[0] if stale else 0
    result.occurrences_created = len(to_create)
    result.occurrences_updated = len(to_update)
    result.occurrences_removed = removed


@transaction.atomic
def set_rules(item: PlanItem, rules: list[dict], user=None):
    """Replace the evidence rules of ``item`` (dicts of EvidenceRule fields) and re-evaluate
    its assignments and occurrences. Returns the evaluation outcome."""
    item.rules.all().delete()
    EvidenceRule.objects.bulk_create(
        EvidenceRule(item=item, position=n, **rule) for n, rule in enumerate(rules))
    return evaluate_item(item)


@transaction.atomic
def update_item(form, rules_formset, user=None):
    """Save an edited task (``ItemEditForm``) and its rules (``RuleFormSet``), then
    re-evaluate its assignments and occurrences. Deadlines, recurrence and responsible level
    reach the assignments when the plan is published again."""
    item = form.save()
    rules_formset.save()
    return evaluate_item(item)

"""Plans over several levels: a unit committee derives its plan from its superior's, and the
superior reviews it (issue 12 §1; seed 四.1 "上级党组织…加强指导", 四.2 "审核把关").

- :func:`derive_plan` copies the superior's published plan into a new campaign of the unit
  committee (``Campaign.derived_from``), every item linked to the item it came from
  (``PlanItem.source_item``), with the same deadlines and evidence rules;
- the unit adds tasks (:func:`add_item`) and may set earlier deadlines, never later ones
  (:func:`check_due`, used by the item edit form and by :func:`add_item`);
- the unit submits the plan for review (:func:`submit_for_review`), the superior approves it
  or returns it with comments (:func:`review_plan`); every round is a ``PlanReview`` row;
  a derived plan is published only once approved (``services.publish_plan``); a change
  after the approval sends it back to the review.

Every write is audited (django-auditlog with the actor, and a ``core.models.Event``).
"""

from __future__ import annotations

import datetime as dt

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import MANAGE, can
from taizhang.core.status import record_event
from taizhang.core.workdays import is_workday, last_workday_on_or_before
from taizhang.orgs.models import Organization, OrgKind

from .evidence import suggest_rules
from .importer.numbering import next_label, styles_below
from .models import (
    Campaign,
    CampaignStatus,
    EvidenceRule,
    ItemKind,
    Plan,
    PlanItem,
    PlanReview,
    PlanReviewAction,
    ReviewStatus,
)

ITEM_FIELDS = ("position", "ref", "label", "kind", "title", "text", "responsible", "lead_unit",
               "responsible_units", "due", "due_workday", "ongoing", "recurrence", "min_count",
               "evidence", "line_first", "line_last")
RULE_FIELDS = ("position", "record_kind", "per", "min_count", "window", "filters")


def derivable_orgs(campaign: Campaign, user) -> list[Organization]:
    """The committees below ``campaign``'s committee that ``user`` manages and that have not
    derived a plan from ``campaign`` yet (empty when the campaign is not published)."""
    if campaign.status != CampaignStatus.PUBLISHED:
        return []
    taken = set(campaign.derived.values_list("org_id", flat=True))
    below = Organization.objects.filter(
        path__startswith=campaign.org.path, kind=OrgKind.COMMITTEE).exclude(pk=campaign.org_id)
    return [o for o in below if o.pk not in taken and can(user, MANAGE, o)]


@transaction.atomic
def derive_plan(superior: Campaign, org: Organization, *, actor) -> Campaign:
    """Create ``org``'s own campaign from the published ``superior`` campaign: same title,
    period, items (with ``source_item`` links) and evidence rules; status draft, review not
    yet asked. ``org`` must be a committee below the superior's committee that ``actor``
    manages (``PermissionDenied`` otherwise); ``ValidationError`` when the superior is not
    published or ``org`` derived from it already. Audited with ``actor`` and a ``derive``
    event on the new campaign. Queries: a few per item (items are copied one by one, each
    audited; a plan has ~60)."""
    if org.kind != OrgKind.COMMITTEE or org.pk == superior.org_id or not org.path.startswith(
            superior.org.path):
        raise ValidationError(_("只有上级党委之下的党委可以分解本级任务清单。"))
    if not can(actor, MANAGE, org):
        raise PermissionDenied(_("只有本级党委办公室可以分解任务清单。"))
    if superior.status != CampaignStatus.PUBLISHED:
        raise ValidationError(_("上级任务清单发布后才能分解。"))
    if Campaign.objects.filter(derived_from=superior, org=org).exists():
        raise ValidationError(_("本单位已从该清单分解过任务清单。"))
    source_plan = superior.plan
    items = list(source_plan.items.prefetch_related("rules").order_by("line_first", "position", "pk"))
    with audit_actor(actor):
        campaign = Campaign.objects.create(
            org=org, title=superior.title, start=superior.start, end=superior.end,
            created_by=actor if getattr(actor, "is_authenticated", False) else None,
            derived_from=superior)
        plan = Plan.objects.create(campaign=campaign, source_name=source_plan.source_name,
                                   preamble=source_plan.preamble)
        copies: dict[int, PlanItem] = {}
        for item in _parents_first(items):
            copy = PlanItem.objects.create(
                plan=plan, parent=copies.get(item.parent_id), source_item=item,
                **{name: getattr(item, name) for name in ITEM_FIELDS})
            copies[item.pk] = copy
            for rule in item.rules.all():
                EvidenceRule.objects.create(item=copy, **{n: getattr(rule, n) for n in RULE_FIELDS})
    record_event(campaign, "derive", actor=actor,
                 comment=_("由上级任务清单“%(title)s”（%(org)s）分解") % {
                     "title": superior.title, "org": superior.org.name})
    return campaign


def _parents_first(items: list[PlanItem]) -> list[PlanItem]:
    """``items`` ordered so that every parent comes before its children."""
    by_parent: dict[int | None, list[PlanItem]] = {}
    for item in items:
        by_parent.setdefault(item.parent_id, []).append(item)
    ordered, stack = [], list(reversed(by_parent.get(None, [])))
    while stack:
        item = stack.pop()
        ordered.append(item)
        stack.extend(reversed(by_parent.get(item.pk, [])))
    return ordered


def latest_due(item: PlanItem) -> dt.date | None:
    """The latest deadline ``item`` may have: its superior item's (``source_item``) deadline,
    or, for a task the unit added, its parent's superior item's; ``None`` when free."""
    source = item.source_item
    if source is None and item.parent_id:
        source = item.parent.source_item
    return source.due if source is not None else None


def check_due(item: PlanItem, due: dt.date | None, ongoing: bool = False) -> None:
    """Refuse a deadline later than the superior's (issue 12 §1: a unit may set earlier
    deadlines, never later ones). ``due`` is the deadline asked for ``item`` (a ``PlanItem``
    of a derived plan, saved or not); ``ongoing`` whether it is asked as 长期坚持. Raises
    ``ValidationError`` on the ``due`` field naming the superior's date."""
    limit = latest_due(item)
    if limit is None:
        return
    if ongoing or due is None or due > limit:
        raise ValidationError({"due": _("完成时限不能晚于上级清单的 %(date)s。") % {
            "date": limit.isoformat()}})


@transaction.atomic
def add_item(plan: Plan, data: dict, *, actor) -> PlanItem:
    """Add a task to ``plan`` (a unit's own addition, issue 12 §1): ``data`` = {"parent":
    PlanItem of the plan or None, "title": str, "text": str, "responsible": a
    ``Responsible`` value, "due": date or None, "recurrence": RRULE str}. The deadline may
    not be later than the parent's superior item (:func:`check_due`). Evidence rules are
    suggested from the wording, as at import. ``PermissionDenied`` when ``actor`` does not
    manage the plan's committee; ``ValidationError`` for a missing title, a parent of
    another plan or a late deadline. Audited; a derived plan goes back to review."""
    campaign = plan.campaign
    if not can(actor, MANAGE, campaign.org):
        raise PermissionDenied(_("只有党委办公室可以修改任务清单。"))
    parent = data.get("parent")
    if parent is not None and parent.plan_id != plan.pk:
        raise ValidationError({"parent": _("上级条目不属于本清单。")})
    title = (data.get("title") or "").strip()
    if not title:
        raise ValidationError({"title": _("请填写任务标题。")})
    due = data.get("due")
    label, ref = new_number(plan, parent)
    item = PlanItem(
        plan=plan, parent=parent, kind=ItemKind.TASK, title=title[:500],
        text=data.get("text") or "", responsible=data.get("responsible") or "",
        due=due, due_workday=last_workday_on_or_before(due) if due and not is_workday(due) else None,
        recurrence=data.get("recurrence") or "", position=plan.items.filter(parent=parent).count(),
        label=label, ref=ref,
        line_first=parent.line_last if parent else 0, line_last=parent.line_last if parent else 0)
    if campaign.derived_from_id:
        check_due(item, due)
    with audit_actor(actor):
        item.save()
        for n, rule in enumerate(suggest_rules(item.text or item.title, "", 1)):
            EvidenceRule.objects.create(item=item, position=n, **rule)
    record_event(item, "add", actor=actor, comment=_("本级增加任务"))
    plan_changed(campaign, actor=actor)
    return item


def new_number(plan: Plan, parent: PlanItem | None) -> tuple[str, str]:
    """The (label, ref) of a task added as ``parent``'s last child (None: at the top) of
    ``plan``: numbered like its siblings, else in the style the plan uses below such a
    parent, else the standard next level (``importer.numbering.next_label``: below 三、 after
    1. and 2. → "3.", "三.3"). The ref is dotted as the importer's (``services.outline_ref``)
    and made unique in the plan with a "+n" suffix if ever taken. One query."""
    from .services import outline_ref

    rows = list(plan.items.values_list("pk", "parent_id", "label", "ref", "position"))
    labels = {pk: label for pk, _parent, label, _ref, _pos in rows}
    parent_id = parent.pk if parent else None
    siblings = [row[2] for row in sorted(rows, key=lambda r: (r[4], r[0])) if row[1] == parent_id]
    below = styles_below([(labels.get(row[1], ""), row[2]) for row in rows])
    label = next_label(siblings, parent.label if parent else "", below)
    ref = base = outline_ref(parent.ref if parent else "", label)[:60]
    taken = {row[3] for row in rows}
    n = 1
    while ref in taken:
        n += 1
        ref = f"{base}+{n}"
    return label, ref


def plan_changed(campaign: Campaign, *, actor) -> None:
    """A derived plan was edited: an approved (or submitted) plan goes back to draft
    review, so the superior sees the change before it counts as final again (the stored
    row is read and locked: ``campaign`` may be stale)."""
    if not campaign.derived_from_id:
        return
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if locked.review_status in (ReviewStatus.APPROVED, ReviewStatus.SUBMITTED):
        before = locked.review_status
        with audit_actor(actor):
            locked.review_status = campaign.review_status = ReviewStatus.DRAFT
            locked.save(update_fields=["review_status", "updated_at"])
        record_event(campaign, "review_reset", actor=actor, from_state=before,
                     to_state=ReviewStatus.DRAFT, comment=_("清单已修改，需重新报上级审核"))


def current_round(campaign: Campaign) -> int:
    """How many times ``campaign`` was submitted for review (0: never)."""
    return campaign.reviews.filter(action=PlanReviewAction.SUBMIT).count()


@transaction.atomic
def submit_for_review(campaign: Campaign, *, actor, comment: str = "") -> PlanReview:
    """The unit submits its derived plan to the superior (a new round). Allowed to the
    unit's office (``MANAGE`` on the campaign's committee) while the plan is a draft or was
    returned. ``PermissionDenied`` otherwise; ``ValidationError`` for a plan not derived or
    already submitted/approved. Audited, with a ``submit_review`` event."""
    locked = Campaign.objects.select_for_update().get(pk=campaign.pk)
    if not locked.derived_from_id:
        raise ValidationError(_("只有由上级清单分解的任务清单需要报上级审核。"))
    if not can(actor, MANAGE, locked.org):
        raise PermissionDenied(_("只有本级党委办公室可以报送上级审核。"))
    if locked.review_status not in (ReviewStatus.DRAFT, ReviewStatus.RETURNED):
        raise ValidationError(_("该清单已报审或已审核通过。"))
    return _step(locked, PlanReviewAction.SUBMIT, ReviewStatus.SUBMITTED, actor, comment,
                 current_round(locked) + 1)


@transaction.atomic
def review_plan(campaign: Campaign, action: str, *, actor, comment: str = "") -> PlanReview:
    """The superior approves (``"approve"``) or returns (``"return"``, comment required) a
    submitted derived plan (审核把关, seed 四.2). Allowed to the superior's office: ``MANAGE``
    on the committee of the campaign it was derived from, and not the unit's own office
    alone. ``PermissionDenied`` otherwise; ``ValidationError`` when the plan is not waiting
    for review, for an unknown action or a return without comment. Audited."""
    locked = Campaign.objects.select_for_update(of=("self",)).select_related("derived_from__org").get(
        pk=campaign.pk)
    if not locked.derived_from_id or not can(actor, MANAGE, locked.derived_from.org):
        raise PermissionDenied(_("只有上级党委办公室可以审核分解的任务清单。"))
    if action not in (PlanReviewAction.APPROVE, PlanReviewAction.RETURN):
        raise ValidationError(_("未知的审核操作。"))
    if locked.review_status != ReviewStatus.SUBMITTED:
        raise ValidationError(_("该清单不在待审核状态。"))
    if action == PlanReviewAction.RETURN and not comment.strip():
        raise ValidationError({"comment": _("退回时请填写修改意见。")})
    target = ReviewStatus.APPROVED if action == PlanReviewAction.APPROVE else ReviewStatus.RETURNED
    return _step(locked, action, target, actor, comment, current_round(locked))


def _step(campaign: Campaign, action: str, target: str, actor, comment: str, round_: int):
    before = campaign.review_status
    with audit_actor(actor):
        campaign.review_status = target
        campaign.save(update_fields=["review_status", "updated_at"])
        step = PlanReview.objects.create(
            campaign=campaign, round=round_, action=action, comment=comment.strip(),
            actor=actor if getattr(actor, "is_authenticated", False) else None)
    record_event(campaign, f"review_{action}", actor=actor, from_state=before or "draft",
                 to_state=target, comment=comment.strip())
    return step


def require_final(campaign: Campaign) -> None:
    """Refuse to publish a derived plan the superior has not approved (``ValidationError``);
    reads the stored review status (``campaign`` may be a stale instance)."""
    if campaign.derived_from_id and Campaign.objects.filter(pk=campaign.pk).values_list(
            "review_status", flat=True).first() != ReviewStatus.APPROVED:
        raise ValidationError(_("本清单由上级清单分解，须经上级审核通过后才能发布。"))


def changes(campaign: Campaign) -> dict:
    """What a derived plan changed from its superior's, for the reviewer: {"added": [items
    the unit added], "earlier": [(item, superior's due)] for tasks due earlier, "removed":
    [superior items not in the plan]}. Three queries."""
    if not campaign.derived_from_id:
        return {"added": [], "earlier": [], "removed": []}
    items = list(campaign.plan.items.select_related("source_item").order_by("line_first", "position"))
    kept = {i.source_item_id for i in items if i.source_item_id}
    return {
        "added": [i for i in items if i.source_item_id is None],
        "earlier": [(i, i.source_item.due) for i in items if i.source_item_id and i.due
                    and i.source_item.due and i.due < i.source_item.due],
        "removed": list(PlanItem.objects.filter(plan__campaign_id=campaign.derived_from_id)
                        .exclude(pk__in=kept).order_by("line_first", "position")),
    }

"""The superior's review (审核把关, seed 四.2; issue 12 §1) of a unit's leadership-team
problem list, the way ``plans.levels`` reviews a derived plan: the unit's office submits its
list (a new round), an office of the superior approves it or returns it with comments; every
step is a :class:`~.models.ProblemListReview` row, audited, with a domain event. The list's
status is that of its last step (none: not submitted).
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Count, Max
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import CHANGE, REVIEW, can
from taizhang.core.status import record_event
from taizhang.orgs.models import Organization, OrgKind

from .models import ListReviewAction, Problem, ProblemLevel, ProblemListReview

DRAFT, SUBMITTED, APPROVED, RETURNED, CHANGED = "", "submitted", "approved", "returned", "changed"
STATUS_OF = {ListReviewAction.SUBMIT: SUBMITTED, ListReviewAction.APPROVE: APPROVED,
             ListReviewAction.RETURN: RETURNED}
STATUS_LABELS = {DRAFT: gettext_lazy("未报审"), SUBMITTED: gettext_lazy("待上级审核"),
                 APPROVED: gettext_lazy("上级已审核"), RETURNED: gettext_lazy("上级退回"),
                 CHANGED: gettext_lazy("审核后已修改，需重新报审")}


#: The short words of the superior's roll-up table (各单位整改情况) for each status.
ROLLUP_LABELS = {DRAFT: gettext_lazy("未报审"), SUBMITTED: gettext_lazy("待审核"),
                 RETURNED: gettext_lazy("已退回"), APPROVED: gettext_lazy("已审核"),
                 CHANGED: gettext_lazy("审核后已修改")}
#: The mark of a problem list or ledger whose unit's list the superior has not approved
#: (seed 四.2 审核把关: not final until reviewed; marked, never refused).
NOT_APPROVED = gettext_lazy("未经上级审核")


def status(unit: Organization) -> str:
    """The list's status: "" (never submitted), "submitted", "approved", "returned", or
    "changed" — approved, but a leadership problem was added, edited or removed since, so
    it is not final until approved again. Two queries at most."""
    return statuses([unit])[unit.pk]


def statuses(units) -> dict[int, str]:
    """{unit id: status} (as :func:`status`) of every organization in ``units``: two
    queries at most whatever their number (the steps of all of them, then the leadership
    problems of the approved ones)."""
    ids = [u.pk for u in units]
    last: dict[int, ProblemListReview] = {}
    for step in ProblemListReview.objects.filter(org_id__in=ids).order_by("created_at", "pk"):
        last[step.org_id] = step
    approved = [pk for pk, step in last.items() if step.action == ListReviewAction.APPROVE]
    current = {row["org_id"]: row for row in Problem.objects.filter(
        org_id__in=approved, level=ProblemLevel.LEADERSHIP).order_by().values("org_id").annotate(
        n=Count("pk"), changed=Max("updated_at"))} if approved else {}
    result = {}
    for pk in ids:
        step = last.get(pk)
        if step is None:
            result[pk] = DRAFT
            continue
        result[pk] = STATUS_OF[step.action]
        if step.action == ListReviewAction.APPROVE:
            now = current.get(pk, {"n": 0, "changed": None})
            if now["n"] != step.problems or (now["changed"] and now["changed"] > step.created_at):
                result[pk] = CHANGED
    return result


def unapproved_mark(org: Organization | None) -> str:
    """:data:`NOT_APPROVED` when ``org`` is a unit committee with a superior (its list is
    reviewed, :func:`may_submit`) and its list is not approved as it stands (any status but
    "approved"); "" otherwise (a root committee, a branch, no organization). The problem
    report and the ledger exports of the unit carry it (marked, never refused). Two queries
    at most."""
    if org is None or not may_submit(None, org):
        return ""
    return "" if status(org) == APPROVED else str(NOT_APPROVED)


def superior(unit: Organization) -> Organization | None:
    """The organization that reviews ``unit``'s list: its parent (``None`` for a root)."""
    return Organization.objects.get_parent(unit) if unit.depth > 1 else None


def may_submit(user, unit: Organization) -> bool:
    """A unit committee with a superior, and ``user`` may change ``unit``."""
    return unit.kind == OrgKind.COMMITTEE and unit.depth > 1 and (user is None or can(user, CHANGE, unit))


def may_review(user, unit: Organization) -> bool:
    """``user`` may review in the superior (the unit's own office may not approve its list)."""
    parent = superior(unit)
    return parent is not None and (user is None or can(user, REVIEW, parent))


def submit(unit: Organization, *, actor, comment: str = "") -> ProblemListReview:
    """The unit submits its leadership problem list (a new round). Raises PermissionDenied
    without the "change" action on ``unit`` or for an organization without a superior,
    ValidationError when the list is already submitted or approved."""
    if not may_submit(actor, unit):
        raise PermissionDenied(_("只有有上级党组织的单位党委可以报送问题清单审核。"))
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=unit.pk).first()
        before = status(unit)
        if before not in (DRAFT, RETURNED, CHANGED):
            raise ValidationError(_("问题清单已报上级审核或已审核通过。"))
        rounds = ProblemListReview.objects.filter(org=unit, action=ListReviewAction.SUBMIT).count()
        return _step(unit, ListReviewAction.SUBMIT, actor, comment, rounds + 1, before)


def review(unit: Organization, action: str, *, actor, comment: str = "") -> ProblemListReview:
    """The superior approves (``"approve"``) or returns (``"return"``, comment required) the
    submitted list. Raises PermissionDenied without the "review" action on the superior or
    when the reviewer submitted this round (four eyes), ValidationError when not submitted,
    for an unknown action or a return without comment."""
    if not may_review(actor, unit):
        raise PermissionDenied(_("只有上级党组织可以审核问题清单。"))
    if action not in (ListReviewAction.APPROVE, ListReviewAction.RETURN):
        raise ValidationError(_("未知的审核操作：%(action)s") % {"action": action})
    if action == ListReviewAction.RETURN and not comment.strip():
        raise ValidationError(_("退回修改须填写意见。"))
    with transaction.atomic():
        Organization.objects.select_for_update().filter(pk=unit.pk).first()
        last = ProblemListReview.objects.filter(org=unit).order_by("-created_at", "-pk").first()
        if last is None or last.action != ListReviewAction.SUBMIT:
            raise ValidationError(_("问题清单未报上级审核。"))
        if actor is not None and last.actor_id == getattr(actor, "pk", None):
            raise PermissionDenied(_("不能审核自己报送的问题清单。"))
        return _step(unit, action, actor, comment, last.round, SUBMITTED)


def _step(unit, action, actor, comment, round_, before) -> ProblemListReview:
    problems = Problem.objects.filter(org=unit, level=ProblemLevel.LEADERSHIP).count()
    with audit_actor(actor):
        step = ProblemListReview.objects.create(
            org=unit, round=round_, action=action, comment=comment.strip(), problems=problems,
            actor=actor if getattr(actor, "is_authenticated", False) else None)
    record_event(step, f"list_review_{action}", actor=actor, from_state=before or "draft",
                 to_state=STATUS_OF[action], comment=comment.strip())
    return step

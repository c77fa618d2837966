"""Pages where the work is done and reviewed: an assignment with its periods, evidence
progress, submissions and review actions; the committee's review queue; editing a task's
evidence rules."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.scoping import CHANGE, MANAGE, REVIEW, can
from django.contrib.contenttypes.models import ContentType

from taizhang.core import sources
from taizhang.core.models import Event
from taizhang.core.status import VERB_LABELS, IllegalTransition

from . import counting, evidence, review, services
from .forms import ItemEditForm, RuleFormSet, SubmissionForm
from .models import Assignment, Campaign, EvidencePer, Occurrence, PlanItem, Submission

def record_add_url(kind: str) -> str | None:
    """The page where a record of evidence ``kind`` is entered, with the kind preset (from
    the registered source: its add page and the code's ``add_query``)."""
    from django.urls import NoReverseMatch, reverse

    found = sources.resolve(kind)
    if found is None:
        return None
    source, ev = found
    name = source.url_name("add")
    if not name:
        return None
    try:
        return reverse(name) + ev.add_query
    except NoReverseMatch:
        return None


def _progress(item: PlanItem, targets: list[evidence.Target]) -> None:
    """Count ``targets`` and give each its ``rows``: per record rule its label, what is
    counted (书记本人, 每名党员, 班子成员每人), count of needed, and the names of the members who
    still owe a per-person rule (one query for all names)."""
    evidence.count(targets)
    names = counting.owing_names(targets)
    rules = list(item.rules.all())
    known = [r for r in rules if evidence.record_rule(r) is not None]
    for target in targets:
        target.rows = [
            {"rule": rule, "label": sources.evidence_label(rule.record_kind),
             "per": "" if rule.per == EvidencePer.RECORD else rule.get_per_display(),
             "count": c, "needed": n, "met": n > 0 and c >= n,
             "owing": [names[pk] for pk in target.owing.get(slot, ()) if pk in names]}
            for slot, (rule, (c, n)) in enumerate(zip(known, target.results, strict=True))
        ]
        if known:  # a part no app records yet (建章立制) is answered by the submission
            target.rows += [{"rule": rule, "label": evidence.evidence_label(rule.record_kind),
                             "submission": True} for rule in rules if rule not in known]


@login_required
def assignment_detail(request, pk):
    """One task of one organization: periods, evidence progress, submissions, review."""
    assignment = get_object_or_404(
        Assignment.objects.visible_to(request.user).select_related("item__plan__campaign", "org"),
        pk=pk)
    item = assignment.item
    occurrences = list(assignment.occurrences.select_related("assignment__item__plan__campaign",
                                                             "assignment__org"))
    targets = evidence.targets_for(occurrences, [] if occurrences else [assignment])
    _progress(item, targets)
    user = request.user
    org = assignment.org
    by_records = evidence.has_record_rules(item)
    review.mark_four_eyes(user, [t.obj for t in targets])  # issue 12 §4: not one's own submission
    period_events = []
    if occurrences:
        by_pk = {occ.pk: occ for occ in occurrences}
        period_events = list(Event.objects.filter(
            content_type=ContentType.objects.get_for_model(Occurrence), object_id__in=by_pk,
        ).select_related("actor").order_by("created_at", "pk"))
        for event in period_events:
            event.verb_label = VERB_LABELS.get(event.verb, event.verb)
            event.period = by_pk[event.object_id].period_start
    return render(request, "plans/assignment_detail.html", {
        "object": assignment,
        "item": item,
        "periods_done": sum(1 for occ in occurrences if occ.status == "done"),
        "period_events": period_events,
        "targets": targets,
        "by_records": by_records,
        "add_links": [(sources.evidence_label(r.record_kind), record_add_url(r.record_kind))
                      for r in item.rules.all() if record_add_url(r.record_kind)],
        "submissions": Submission.objects.filter(assignment=assignment).select_related(
            "submitted_by", "occurrence"),
        "can_change": can(user, CHANGE, org),
        "can_review": can(user, REVIEW, org),
        "form": SubmissionForm(),
    })


def _target(request, kind: str, pk: int):
    if kind == "assignment":
        return get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)
    if kind == "occurrence":
        return get_object_or_404(Occurrence.objects.visible_to(request.user), pk=pk)
    raise PermissionDenied


def _back(target):
    assignment = target if isinstance(target, Assignment) else target.assignment
    return redirect(assignment)


@require_POST
@login_required
def submit(request, kind, pk):
    """A branch submits its work on an assignment or one period of it."""
    target = _target(request, kind, pk)
    form = SubmissionForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("请填写完成情况。"))
        return _back(target)
    try:
        review.submit_work(target, request.user, form.cleaned_data["text"],
                           request.FILES.getlist("files"))
    except (IllegalTransition, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已提交，等待党委审核。"))
    return _back(target)


@require_POST
@login_required
def decide(request, kind, pk, action):
    """The committee approves, confirms or returns an assignment or a period."""
    target = _target(request, kind, pk)
    try:
        review.review(target, action, request.user, request.POST.get("comment", ""))
    except (IllegalTransition, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已%(action)s。") % {"action": str(review.REVIEW_ACTIONS[action])})
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)  # e.g. the review queue with its filter
    return _back(target)


@login_required
def review_queue(request):
    """The committee's queue: submissions and record-completed work waiting for review."""
    campaign = None
    if request.GET.get("campaign"):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user),
                                     pk=request.GET["campaign"])
    assignments, occurrences = review.review_queue(request.user, campaign=campaign)
    review.mark_four_eyes(request.user, [*assignments, *occurrences])
    return render(request, "plans/review_queue.html", {
        "assignments": assignments, "occurrences": occurrences, "campaign": campaign,
        "campaigns": Campaign.objects.visible_to(request.user).only("pk", "title"),
    })


@login_required
def item_edit(request, pk):
    """Edit a task: title, deadline, recurrence, responsible level and its evidence rules."""
    item = get_object_or_404(PlanItem.objects.visible_to(request.user).select_related(
        "plan__campaign__org"), pk=pk)
    campaign = item.plan.campaign
    if not can(request.user, MANAGE, campaign.org):
        raise PermissionDenied
    form = ItemEditForm(request.POST or None, instance=item)
    rules = RuleFormSet(request.POST or None, instance=item, prefix="rules")
    if request.method == "POST" and form.is_valid() and rules.is_valid():
        services.update_item(item, actor=request.user, form=form, rules_formset=rules)
        messages.success(request, _("已保存。截止时间、周期或责任层级有变化时，请重新发布。"))
        return redirect(campaign)
    return render(request, "plans/item_edit.html", {
        "item": item, "form": form, "rules": rules, "campaign": campaign})


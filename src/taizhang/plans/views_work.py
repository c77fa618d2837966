"""Pages where the work is done and reviewed: an assignment with its periods, evidence
progress, submissions and review actions; the committee's review queue; editing a task's
evidence rules."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.http import Http404, QueryDict
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.generic import LOADED_AT_FIELD, StaleObject, loaded_version, refuse_if_stale
from taizhang.core.scoping import CHANGE, MANAGE, REVIEW, can, scope_paths
from django.contrib.contenttypes.models import ContentType

from taizhang.core import sources
from taizhang.core.models import Event
from taizhang.core.status import VERB_LABELS, IllegalTransition

from . import counting, delegation, evidence, review, services
from .forms import ItemEditForm, RuleFormSet, SubmissionForm
from .models import Assignment, Campaign, EvidencePer, Occurrence, PlanItem, Submission

def record_add_url(kind: str, org=None, day: dt.date | None = None,
                   back: str | None = None) -> str | None:
    """The page where a record of evidence ``kind`` is entered, with the kind preset (from
    the registered source: its add page and the code's ``add_query``), and, when given, the
    organization ``org`` and the date ``day`` preset in the source's ``org_field`` and
    ``date_field`` (the add page takes any form field's initial value from its query), and
    ``back`` (a path of this site, e.g. the task's page) as ``next``: saving returns there
    (``core.generic.safe_next``)."""
    from django.urls import NoReverseMatch, reverse

    found = sources.resolve(kind)
    if found is None:
        return None
    source, ev = found
    name = source.url_name("add")
    if not name:
        return None
    try:
        url = reverse(name)
    except NoReverseMatch:
        return None
    query = QueryDict(ev.add_query.lstrip("?"), mutable=True)
    if org is not None and "__" not in source.org_field:
        query[source.org_field] = str(org.pk)
    if day is not None and "__" not in source.date_field:
        query[source.date_field] = day.isoformat()
    if back:
        query["next"] = back
    return f"{url}?{query.urlencode()}" if query else url


def entry_day(period: tuple[dt.date, dt.date] | None, window: tuple[dt.date, dt.date],
              due: dt.date | None = None, today: dt.date | None = None) -> dt.date:
    """The date a new record for a task's target defaults to: today when it lies inside the
    target's period (``period``, else the campaign ``window`` ended by ``due``), otherwise
    the period's nearest end (its start when the period is still ahead, its last day when
    it has passed), so a record entered from a task always counts for it (issue 15 §2)."""
    today = today or timezone.localdate()
    start, end = period or window
    if period is None and due is not None:
        end = min(end, due)
    if end < start:
        end = start
    return min(max(today, start), end)


def add_links(item: PlanItem, target) -> list[tuple[str, str]]:
    """The (label, url) of the add page of every record rule of ``item``, each preset with
    the rule's kind, the target's organization and a date inside its period (see
    :func:`record_add_url`, :func:`entry_day`); saving the record returns to the task's page."""
    obj = target.obj
    day = entry_day(target.period, target.campaign_window, getattr(obj, "due", None))
    back = obj.get_absolute_url() if isinstance(obj, Assignment) else reverse(
        "plans:assignment_detail", args=[obj.assignment_id])
    links = []
    for rule in item.rules.all():
        url = record_add_url(rule.record_kind, target.org, day, back)
        if url:
            links.append((sources.evidence_label(rule.record_kind), url))
    return links


def _current(targets: list) -> object | None:
    """The target a new record most likely belongs to: the period containing today, else
    the first one not yet done, else the last."""
    today = timezone.localdate()
    for target in targets:
        if target.period and target.period[0] <= today <= target.period[1]:
            return target
    open_ = [t for t in targets if t.obj.status in ("pending", "returned")]
    if open_:
        return open_[0]
    return targets[-1] if targets else None


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
    for target in targets:
        target.add_links = add_links(item, target)
    current = _current(targets)
    user = request.user
    org = assignment.org
    by_records = evidence.has_record_rules(item)
    delegated_to = delegation.delegation_of(assignment)  # done on the unit's copy
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
        "add_links": add_links(item, current) if current is not None else [],
        "submissions": Submission.objects.filter(assignment=assignment).select_related(
            "submitted_by", "occurrence"),
        "delegated_to": delegated_to,
        "can_change": can(user, CHANGE, org) and delegated_to is None,
        "can_review": can(user, REVIEW, org) and delegated_to is None,
        "form": SubmissionForm(),
    })


def _target(request, kind: str, pk: int):
    if kind == "assignment":
        return get_object_or_404(Assignment.objects.visible_to(request.user), pk=pk)
    if kind == "occurrence":
        return get_object_or_404(Occurrence.objects.visible_to(request.user), pk=pk)
    raise PermissionDenied(_("不支持的办理对象。"))


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
    """The committee's queue: what needs a decision, submissions first with their text and
    files, then work completed by records of tasks the office marked as needing review;
    filtered by campaign and status (``?status=submitted|records``); bulk approval. Refused
    (403, with the reason) to a user who reviews nowhere."""
    if scope_paths(request.user, REVIEW) == []:
        raise PermissionDenied(_("只有党委的审核人员可以使用审核把关。"))
    campaign = None
    if request.GET.get("campaign"):
        campaign = get_object_or_404(Campaign.objects.visible_to(request.user),
                                     pk=request.GET["campaign"])
    status = request.GET.get("status") if request.GET.get("status") in review.QUEUE_STATUSES else None
    assignments, occurrences = review.review_queue(request.user, campaign=campaign, status=status)
    review.mark_four_eyes(request.user, [*assignments, *occurrences])
    return render(request, "plans/review_queue.html", {
        "assignments": assignments, "occurrences": occurrences, "campaign": campaign,
        "rows": review.queue_rows(assignments, occurrences),
        "status": status, "statuses": review.QUEUE_STATUSES.items(),
        "campaigns": Campaign.objects.visible_to(request.user).only("pk", "title"),
    })


@require_POST
@login_required
def review_bulk(request):
    """Approve (submissions) or confirm (record-completed work) every ticked row of the
    queue at once (``target``: "assignment-<pk>" / "occurrence-<pk>", repeated); rows
    outside the user's scope are not found (404). Back to the queue with its filters."""
    wanted = {"assignment": [], "occurrence": []}
    for value in request.POST.getlist("target"):
        kind, _sep, pk = value.partition("-")
        if kind in wanted and pk.isdigit():
            wanted[kind].append(int(pk))
    targets = [*Assignment.objects.visible_to(request.user).filter(pk__in=wanted["assignment"]),
               *Occurrence.objects.visible_to(request.user).filter(pk__in=wanted["occurrence"])]
    if len(targets) != len(wanted["assignment"]) + len(wanted["occurrence"]):
        raise Http404(_("所选事项不存在或不在您的管理范围内。"))
    if not targets:
        messages.error(request, _("请先勾选要通过的事项。"))
    else:
        done, refused = review.review_many(targets, request.user)
        if done:
            messages.success(request, _("已批量通过 %(n)d 项。") % {"n": done})
        for text in refused:
            messages.error(request, text)
    back = request.POST.get("next", "")
    if back and url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()}):
        return redirect(back)
    return redirect("plans:review_queue")


@login_required
def item_edit(request, pk):
    """Edit a task: title, deadline, recurrence, responsible level and its evidence rules."""
    item = get_object_or_404(PlanItem.objects.visible_to(request.user).select_related(
        "plan__campaign__org"), pk=pk)
    campaign = item.plan.campaign
    if not can(request.user, MANAGE, campaign.org):
        raise PermissionDenied(_("只有党委办公室可以修改任务。"))
    form = ItemEditForm(request.POST or None, instance=item)
    rules = RuleFormSet(request.POST or None, instance=item, prefix="rules")
    loaded_at = request.POST.get(LOADED_AT_FIELD) or loaded_version(item)
    if request.method == "POST" and form.is_valid() and rules.is_valid():
        try:
            with transaction.atomic():
                refuse_if_stale(item, request.POST.get(LOADED_AT_FIELD))
                services.update_item(item, actor=request.user, form=form, rules_formset=rules)
        except StaleObject as exc:
            form.add_error(None, exc.message)
        else:
            messages.success(request, _("已保存。截止时间、周期或责任层级有变化时，请重新发布。"))
            return redirect(campaign)
    return render(request, "plans/item_edit.html", {
        "item": item, "form": form, "rules": rules, "campaign": campaign, "loaded_at": loaded_at})


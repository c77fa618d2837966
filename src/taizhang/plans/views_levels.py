"""Pages of plans over several levels (issue 12 §1): derive a unit's plan from the superior's,
add a task to it, and the superior's review of it (审核把关, seed 四.2). The writes are
``plans.levels``'; every object is read through the scoping mechanism."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.generic import DoubleSubmit
from taizhang.core.onetime import OneTimePost
from taizhang.core.scoping import MANAGE, can
from taizhang.orgs.models import Organization

from . import levels
from .forms import ItemAddForm, PlanReviewForm
from .models import Campaign, PlanItem, PlanReviewAction, ReviewStatus


def _error_text(exc: ValidationError) -> str:
    return "；".join(str(m) for m in exc.messages)


@require_POST
@login_required
def derive(request, pk):
    """Derive the chosen unit committee's plan (POST ``org``) from the published campaign
    ``pk`` of its superior; then open the new plan. A replayed POST (one-time token) opens
    the plan the first one derived."""
    once = OneTimePost(request)
    if replay := once.replayed():
        return replay
    superior = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("org"), pk=pk)
    org = get_object_or_404(Organization.objects.restrict(request.user, MANAGE),
                            pk=request.POST.get("org") or 0)
    try:
        with transaction.atomic():
            campaign = levels.derive_plan(superior, org, actor=request.user)
            once.consume(campaign.get_absolute_url())
    except DoubleSubmit as exc:
        return once.redirect(exc.url)
    except ValidationError as exc:
        messages.error(request, _error_text(exc))
        return redirect(superior)
    messages.success(request, _("已分解为本单位任务清单：可增加任务、提前完成时限，然后报上级审核。"))
    return redirect(campaign)


@login_required
def item_add(request, pk):
    """Add a task to campaign ``pk``'s plan (the committee office of the campaign). The form
    carries a one-time token: a replayed POST adds nothing and opens the plan."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user).select_related("org"), pk=pk)
    if not can(request.user, MANAGE, campaign.org):
        raise PermissionDenied(_("只有党委办公室可以修改任务清单。"))
    once = OneTimePost(request)
    if replay := once.replayed():
        return replay
    plan = campaign.plan
    form = ItemAddForm(request.POST or None, plan=plan)
    if request.method == "POST" and form.is_valid():
        try:
            with transaction.atomic():
                levels.add_item(plan, form.cleaned_data, actor=request.user)
                once.consume(campaign.get_absolute_url())
        except DoubleSubmit as exc:
            return once.redirect(exc.url)
        except ValidationError as exc:
            for field, errors in exc.message_dict.items():
                form.add_error(field if field in form.fields else None, errors)
        else:
            messages.success(request, _("已增加任务。请重新发布以分解到各党组织。"))
            return redirect(campaign)
    return render(request, "core/object_edit.html", {"form": form, "opts": PlanItem._meta,
                                                     "form_token": once.token()})


@login_required
def plan_review(request, pk):
    """The review of a derived plan: its rounds; the unit submits, the superior approves or
    returns with a comment (POST ``action``)."""
    campaign = get_object_or_404(
        Campaign.objects.visible_to(request.user).select_related("org", "derived_from__org"),
        pk=pk, derived_from__isnull=False)
    superior = campaign.derived_from
    can_submit = (can(request.user, MANAGE, campaign.org)
                  and campaign.review_status in (ReviewStatus.DRAFT, ReviewStatus.RETURNED))
    can_decide = (can(request.user, MANAGE, superior.org)
                  and campaign.review_status == ReviewStatus.SUBMITTED)
    form = PlanReviewForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        action = request.POST.get("action")
        comment = form.cleaned_data["comment"]
        try:
            if action == PlanReviewAction.SUBMIT:
                levels.submit_for_review(campaign, actor=request.user, comment=comment)
            else:
                levels.review_plan(campaign, action, actor=request.user, comment=comment)
        except ValidationError as exc:
            messages.error(request, _error_text(exc))
        else:
            messages.success(request, _("已记录。"))
            return redirect("plans:plan_review", pk=campaign.pk)
    return render(request, "plans/plan_review.html", {
        "campaign": campaign, "superior": superior, "form": form,
        "rounds": campaign.reviews.select_related("actor"),
        "can_submit": can_submit, "can_decide": can_decide,
        "changes": levels.changes(campaign),
    })

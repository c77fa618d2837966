"""Pages of the evaluation app: the 民主评议 list (filters, Excel ledger), detail, add/edit,
and the committee view of 专题组织生活会 and 民主评议 across branches (:mod:`.branchlife`).
Views are thin (``core.generic``); writes go through :mod:`.services`."""

from __future__ import annotations

from django.contrib.auth.decorators import login_required
from django.db.models import F, Max
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.generic import ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.orgs.models import Organization, OrgKind
from taizhang.plans.models import Campaign

from . import services
from .branchlife import branch_life
from .filtersets import AppraisalFilterSet
from .forms import AppraisalForm
from .models import Appraisal
from .tables import AppraisalTable


class AppraisalListView(ObjectListView):
    model = Appraisal
    table_class = AppraisalTable
    filterset_class = AppraisalFilterSet
    add_url_name = "evaluation:appraisal_add"
    export_url_name = "evaluation:appraisal_export"
    title = "民主评议党员"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "member")


class AppraisalDetailView(ObjectDetailView):
    model = Appraisal

    def get_queryset(self):
        return super().get_queryset().select_related("org", "member")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["edit_url"] = reverse("evaluation:appraisal_edit", args=[self.object.pk])
        return ctx


class AppraisalEditView(ObjectEditView):
    """Add or edit through ``services.save_appraisal``; its errors are shown on the form."""

    model = Appraisal
    form_class = AppraisalForm

    def save(self, form):
        return services.save_appraisal(form.instance, actor=self.request.user)



class AppraisalExportView(SourceExportView):
    source_code = "appraisal"

# --- 专题组织生活会 and 民主评议 across branches (issue 10 §2) -------------------------------

ROOT_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def _chosen_root(request, roots):
    """The ``?org=`` organization among ``roots`` (else 404), or the user's topmost one."""
    org_id = request.GET.get("org")
    if org_id:
        if not str(org_id).isdigit():
            raise Http404
        return get_object_or_404(roots, pk=org_id)
    top = roots.order_by("depth", "path").first()
    if top is None:
        raise Http404(_("没有可查看的党组织。"))
    return top


@login_required
def branch_life_view(request):
    """Committee view of seed 二.13 / 三.6: each branch's 专题组织生活会 (attendance, the
    leaders' 双重组织生活) and its 民主评议 progress (graded n of N, 优秀 ≤ 1/3), late branches
    named. ``?org=`` (a committee, general branch or branch visible to the user; 404 otherwise),
    ``?year=`` (default: the campaign's first year, else the latest year graded in the
    subtree, else this year), ``?campaign=`` (a campaign visible to the user with start and
    end: its period is the meetings' window and its end the deadline). A fixed number of
    queries (:func:`.branchlife.branch_life`)."""
    roots = Organization.objects.visible_to(request.user).filter(kind__in=ROOT_KINDS)
    root = _chosen_root(request, roots)
    today = timezone.localdate()
    campaigns = Campaign.objects.visible_to(request.user).filter(
        start__isnull=False, end__isnull=False, end__gte=F("start")).order_by("-start", "pk")
    campaign = None
    if request.GET.get("campaign"):
        if not request.GET["campaign"].isdigit():
            raise Http404
        campaign = get_object_or_404(campaigns, pk=request.GET["campaign"])
    year = request.GET.get("year", "")
    if year:
        if not year.isdigit() or not services.MIN_YEAR <= int(year) <= services.MAX_YEAR:
            raise Http404(_("年度不正确"))
        year = int(year)
    elif campaign is not None:
        year = campaign.start.year
    else:
        year = (Appraisal.objects.filter(org__path__startswith=root.path)
                .aggregate(y=Max("year"))["y"] or today.year)
    window = (campaign.start, campaign.end) if campaign is not None else None
    report = branch_life(root, year, today, window)
    return render(request, "evaluation/branch_life.html", {
        "report": report, "root": root, "roots": roots, "year": year,
        "years": range(min(year, today.year) - 2, max(year, today.year) + 1),
        "campaign": campaign, "campaigns": campaigns,
    })

"""Pages of the democratic app before the meeting: 征求意见 (list, Excel, detail, add/edit,
delete, make a problem), 对照检查材料 (the same, plus submit / review rounds) and the talk
matrix. Views are thin (``core.generic``); writes go through :mod:`.services`."""

from __future__ import annotations

import datetime as dt

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.scoping import CHANGE, VIEW, can
from taizhang.core.status import IllegalTransition
from taizhang.orgs.models import LeadershipTeam, Organization

from . import services
from .filtersets import OpinionFilterSet, SelfExaminationFilterSet
from .forms import OpinionForm, ReviewForm, SelfExaminationForm, SupervisionForm
from .models import ExamStatus, ExamVersion, LifeMeeting, Opinion, SelfExamination, Supervision
from .preparation import materials, talk_matrix
from .tables import OpinionTable, SelfExaminationTable


# -- 征求意见 ------------------------------------------------------------------------------------

class OpinionListView(ObjectListView):
    """Opinions gathered before the meeting, by source, with answers (filters, Excel)."""

    model = Opinion
    table_class = OpinionTable
    filterset_class = OpinionFilterSet
    add_url_name = "democratic:opinion_add"
    export_url_name = "democratic:opinion_export"
    title = gettext_lazy("征求意见")

    def get_queryset(self):
        return super().get_queryset().select_related("org", "addressee__member")


class OpinionDetailView(ObjectDetailView):
    model = Opinion
    template_name = "democratic/opinion_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "addressee__member")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(edit_url=reverse("democratic:opinion_edit", args=[self.object.pk]),
                   delete_url=reverse("democratic:opinion_delete", args=[self.object.pk]))
        return ctx


class OpinionEditView(ObjectEditView):
    model = Opinion
    form_class = OpinionForm

    def save(self, form):
        return services.save_opinion(form.instance, actor=self.request.user)


class OpinionDeleteView(ObjectDeleteView):
    model = Opinion
    success_url_name = "democratic:opinion_list"
    delete_service = staticmethod(services.delete_opinion)


class OpinionExportView(SourceExportView):
    source_code = "opinion"


@login_required
@require_POST
def opinion_problem(request, pk: int):
    """Turn the opinion into a problem of the problem list (its source record) and open it."""
    opinion = get_object_or_404(Opinion.objects.restrict(request.user, VIEW), pk=pk)
    if not can(request.user, CHANGE, opinion.org):
        raise PermissionDenied(_("您无权修改该组织的数据。"))
    problem = services.make_problem(opinion, actor=request.user)
    messages.success(request, _("已列入问题清单。"))
    return redirect(problem.get_absolute_url())


# -- 对照检查材料 ----------------------------------------------------------------------------------

class ExamListView(ObjectListView):
    model = SelfExamination
    table_class = SelfExaminationTable
    filterset_class = SelfExaminationFilterSet
    add_url_name = "democratic:exam_add"
    export_url_name = "democratic:exam_export"
    title = gettext_lazy("对照检查材料")

    def get_queryset(self):
        return super().get_queryset().select_related("org", "leader__member")


class ExamDetailView(ObjectDetailView):
    """A material with its versions, its review rounds and the actions the user may take."""

    model = SelfExamination
    template_name = "democratic/exam_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "leader__member", "team")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        exam = self.object
        user = self.request.user
        parent = Organization.objects.get_parent(exam.org)
        reviewer = (can(user, CHANGE, parent) if exam.status == ExamStatus.OFFICE_APPROVED and parent is not None
                    else exam.status == ExamStatus.SUBMITTED and ctx["can_change"])
        ctx.update(edit_url=reverse("democratic:exam_edit", args=[exam.pk]) if exam.status != ExamStatus.APPROVED else None,
                   delete_url=reverse("democratic:exam_delete", args=[exam.pk]),
                   versions=exam.versions.all(), reviews=exam.reviews.select_related("version", "reviewer"),
                   may_submit=ctx["can_change"] and exam.status in (ExamStatus.DRAFT, ExamStatus.RETURNED),
                   may_review=reviewer, review_form=ReviewForm(),
                   move_url=reverse("democratic:exam_move", args=[exam.pk]))
        return ctx


class ExamEditView(ObjectEditView):
    model = SelfExamination
    form_class = SelfExaminationForm

    def save(self, form):
        return services.save_exam(form.instance, actor=self.request.user, document=form.cleaned_data.get("upload"))

    def form_invalid(self, form):
        """A browser never sends a chosen file again: say it must be re-chosen (issue: an
        upload vanished silently when another field had an error)."""
        chosen = form.files.get("upload")
        if chosen is not None and not form.has_error("upload"):
            form.add_error("upload", _("表单有错误，所选文件“%(name)s”未保存，请重新选择文件后再保存。")
                           % {"name": chosen.name})
        return super().form_invalid(form)


class ExamDeleteView(ObjectDeleteView):
    model = SelfExamination
    success_url_name = "democratic:exam_list"
    delete_service = staticmethod(services.delete_exam)


class ExamExportView(SourceExportView):
    source_code = "self_examination"


@login_required
@require_POST
def exam_move(request, pk: int):
    """POST ``action`` = submit | approve | return_for_revision (with ``comment``)."""
    exam = get_object_or_404(SelfExamination.objects.restrict(request.user, VIEW), pk=pk)
    action = request.POST.get("action", "")
    try:
        services.move_exam(exam, action, actor=request.user, comment=request.POST.get("comment", ""))
    except (IllegalTransition, ValidationError) as exc:
        messages.error(request, "；".join(getattr(exc, "messages", [str(exc)])))
    else:
        messages.success(request, _("已保存。"))
    return redirect(exam.get_absolute_url())


@login_required
def exam_version_file(request, pk: int, number: int):
    """Download the Word file of version ``number`` of a material the user may see."""
    from pathlib import PurePath

    from django.core.files.storage import default_storage
    from django.http import FileResponse, Http404

    version = get_object_or_404(ExamVersion.objects.visible_to(request.user).select_related("exam"),
                                exam_id=pk, number=number)
    if not version.document or not default_storage.exists(version.document):
        raise Http404
    name = f"{version.exam.title}（第{version.number}版）{PurePath(version.document).suffix}"
    return FileResponse(default_storage.open(version.document, "rb"), as_attachment=True, filename=name)


# -- 谈心谈话矩阵 -----------------------------------------------------------------------------------

def prep_window(team, year: int) -> tuple[dt.date, dt.date]:
    """From 1 January of ``year`` to the day of that year's meeting, else to 31 March of the
    next year (the meeting of a year is often held early the next), never after today."""
    held = LifeMeeting.objects.filter(team=team, year=year).order_by("date").values_list("date", flat=True).first()
    end = held or dt.date(year + 1, 3, 31)
    return dt.date(year, 1, 1), min(end, max(timezone.localdate(), dt.date(year, 1, 1)))


def _latest_year(team) -> int:
    """The latest year the team prepared or held a meeting for, else the current year."""
    years = [model.objects.filter(team=team).order_by("-year").values_list("year", flat=True).first()
             for model in (LifeMeeting, SelfExamination, Opinion)] if team is not None else []
    return max([y for y in years if y] or [timezone.localdate().year])


@login_required
def matrix(request):
    """The talk matrix of a team (``?org=`` with a team, ``?year=``, by default the latest year
    with a meeting, a material or an opinion): the grid of members, the
    member ↔ department-head pairs, the missing pairs named, coverage n of N; and the state of
    the year's materials."""
    # The teams of organizations the user sees as his own (a branch sees the committee's team
    # members, not the committee's talks).
    teams = (LeadershipTeam.objects.filter(org__in=Organization.objects.visible_to(request.user))
             .select_related("org").order_by("org__path"))
    team = None
    if request.GET.get("org"):
        team = teams.filter(org_id=request.GET["org"]).first()
        if team is None:
            raise PermissionDenied(_("没有可查看的领导班子。"))
    team = team or teams.first()
    try:
        year = int(request.GET.get("year") or _latest_year(team))
    except ValueError:
        year = _latest_year(team)
    ctx = {"teams": teams, "team": team, "year": year}
    if team is not None:
        start, end = prep_window(team, year)
        may_add = can(request.user, CHANGE, team.org)
        ctx.update(matrix=talk_matrix(team, start, end), materials=materials(team, year), may_add=may_add,
                   supervision_form=SupervisionForm(team=team) if may_add else None,
                   supervisions=Supervision.objects.filter(leader__team=team).select_related("leader__member", "head"))
    return render(request, "democratic/matrix.html", ctx)


def _team_to_change(request, org_id):
    team = get_object_or_404(LeadershipTeam.objects.filter(org__in=Organization.objects.visible_to(request.user)),
                             org_id=org_id)
    if not can(request.user, CHANGE, team.org):
        raise PermissionDenied(_("您无权修改该组织的数据。"))
    return team


@login_required
@require_POST
def supervision_add(request, org: int):
    """Add a supervised department of a member of the team of organization ``org``."""
    team = _team_to_change(request, org)
    form = SupervisionForm(request.POST, team=team)
    if form.is_valid():
        try:
            services.set_supervision(form.cleaned_data["leader"], form.cleaned_data["department"],
                                     form.cleaned_data["head"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已保存。"))
    else:
        messages.error(request, "；".join(f"{form.fields[k].label}：{'、'.join(v)}" for k, v in form.errors.items()))
    return redirect(reverse("democratic:matrix") + f"?org={team.org_id}")


@login_required
@require_POST
def supervision_delete(request, pk: int):
    """Delete a supervised-department row."""
    obj = get_object_or_404(Supervision.objects.filter(
        leader__team__org__in=Organization.objects.visible_to(request.user)).select_related("leader__team__org"), pk=pk)
    services.remove_supervision(obj, actor=request.user)
    return redirect(reverse("democratic:matrix") + f"?org={obj.leader.team.org_id}")

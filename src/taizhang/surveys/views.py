"""Office pages of the surveys app: list (filters, Excel), detail with results, add/edit,
delete, the token batch (generate, print with QR codes), results Excel and an opinion made
a problem. The respondents' public page is in :mod:`.views_public`. Writes go through
:mod:`.services`."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taizhang.core.excel import xlsx_response
from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.scoping import CHANGE, VIEW

from . import services
from .exports import RESULT_COLUMNS, result_rows
from .filtersets import SurveyFilterSet
from .forms import SurveyForm, TokenBatchForm
from .models import Survey, SurveyResponse
from .tables import SurveyTable


class SurveyListView(ObjectListView):
    """The surveys of the user's organizations (filters, Excel)."""

    model = Survey
    table_class = SurveyTable
    filterset_class = SurveyFilterSet
    add_url_name = "surveys:survey_add"
    export_url_name = "surveys:survey_export"
    title = gettext_lazy("群众满意度测评")
    template_name = "surveys/survey_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org").order_by("org__path", "-start", "pk")

    def get_context_data(self, **kwargs):
        """Adds ``org_results``: the filtered surveys' results per organization."""
        ctx = super().get_context_data(**kwargs)
        ctx["org_results"] = services.org_results(self.object_list)
        return ctx


class SurveyDetailView(ObjectDetailView):
    """A survey: its results per item (counts, satisfaction rate, a bar per item), the
    token batch (used n of N), and the free opinions with "转为问题"."""

    model = Survey
    template_name = "surveys/survey_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "campaign")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        item_results, overall = services.results(obj)
        tokens = obj.tokens.all()
        ctx.update(edit_url=reverse("surveys:survey_edit", args=[obj.pk]),
                   delete_url=reverse("surveys:survey_delete", args=[obj.pk]),
                   item_results=item_results, overall=overall,
                   n_tokens=tokens.count(), n_used=tokens.filter(used_on__isnull=False).count(),
                   opinions=obj.responses.exclude(opinion="").select_related("problem").order_by("pk"),
                   batch_form=TokenBatchForm())
        return ctx


class SurveyEditView(ObjectEditView):
    model = Survey
    form_class = SurveyForm

    def save(self, form):
        return services.save_survey(form.instance, actor=self.request.user, items=form.cleaned_data["items"])



class SurveyDeleteView(ObjectDeleteView):
    model = Survey
    success_url_name = "surveys:survey_list"
    delete_service = staticmethod(services.delete_survey)


class SurveyExportView(SourceExportView):
    source_code = "survey"


def _visible(request, pk) -> Survey:
    return get_object_or_404(Survey.objects.restrict(request.user, VIEW).select_related("org"), pk=pk)


def _changeable(request, pk) -> Survey:
    survey = _visible(request, pk)
    if not Survey.objects.restrict(request.user, CHANGE).filter(pk=pk).exists():
        raise PermissionDenied(_("您的账号只有查看权限，不能修改此测评。"))
    return survey


@login_required
def survey_results_export(request, pk: int):
    """One survey's results per item as Excel."""
    survey = _visible(request, pk)
    item_results, overall = services.results(survey)
    title = f"{survey.title}测评结果"
    return xlsx_response(f"{title}.xlsx", "测评结果", RESULT_COLUMNS, result_rows(item_results, overall))


@require_POST
@login_required
def survey_tokens_issue(request, pk: int):
    """Generate a batch of one-time links (POST ``count``)."""
    survey = _changeable(request, pk)
    form = TokenBatchForm(request.POST)
    if form.is_valid():
        services.issue_tokens(survey, form.cleaned_data["count"], actor=request.user)
        messages.success(request, gettext_lazy("已生成测评链接。"))
    else:
        messages.error(request, gettext_lazy("生成链接数须在 1 至 500 之间。"))
    return redirect(reverse("surveys:survey_tokens", args=[pk]))


@login_required
def survey_tokens(request, pk: int):
    """The unused links of a survey with their QR codes (inline SVG made locally by segno),
    one card each, to print or send. Only users who may change the survey see them."""
    survey = _changeable(request, pk)
    cards = []
    for row in survey.tokens.filter(used_on__isnull=True).order_by("pk"):
        url = request.build_absolute_uri(reverse("surveys:answer", args=[row.token]))
        cards.append((url, segno.make(url, error="m").svg_inline(scale=3, border=2)))
    response = render(request, "surveys/tokens.html", {"survey": survey, "cards": cards,
                                                       "batch_form": TokenBatchForm()})
    response["Cache-Control"] = "private, no-store"
    return response


@require_POST
@login_required
def opinion_to_problem(request, pk: int):
    """Enter one response's opinion in the problem list (POST)."""
    response = get_object_or_404(SurveyResponse.objects.select_related("survey__org"), pk=pk)
    _changeable(request, response.survey_id)
    try:
        problem = services.opinion_to_problem(response, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
        return redirect(response.survey.get_absolute_url() + "#opinions")
    return redirect(problem.get_absolute_url())

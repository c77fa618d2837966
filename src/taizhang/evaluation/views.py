"""Pages of the evaluation app: the 民主评议 list (filters, Excel ledger), detail, add/edit.
Views are thin (``core.generic``); writes go through :mod:`.services`."""

from __future__ import annotations

from django.urls import reverse

from taizhang.core.generic import ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView

from . import services
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
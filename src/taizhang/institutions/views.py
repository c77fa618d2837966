"""Pages of the institutions app: the 建章立制 register and the typical cases, each with
list (filters, Excel), detail, add/edit and delete. Views are thin (``core.generic``);
writes go through :mod:`.services`."""

from __future__ import annotations

from django.db.models import Count
from django.urls import reverse
from django.utils.translation import gettext_lazy

from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.scoping import VIEW

from . import services
from .filtersets import InstitutionFilterSet, TypicalCaseFilterSet
from .forms import InstitutionForm, TypicalCaseForm
from .models import Institution, TypicalCase
from .tables import InstitutionTable, TypicalCaseTable


# -- 建章立制 ------------------------------------------------------------------------------

class InstitutionListView(ObjectListView):
    """The register of rules and mechanisms, per organization and campaign (filters)."""

    model = Institution
    table_class = InstitutionTable
    filterset_class = InstitutionFilterSet
    add_url_name = "institutions:institution_add"
    export_url_name = "institutions:institution_export"
    title = gettext_lazy("建章立制台账")

    def get_queryset(self):
        return (super().get_queryset().select_related("org").annotate(n_problems=Count("problems"))
                .order_by("org__path", "-date", "pk"))


class InstitutionDetailView(ObjectDetailView):
    model = Institution
    template_name = "institutions/institution_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "campaign")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        ctx.update(edit_url=reverse("institutions:institution_edit", args=[obj.pk]),
                   delete_url=reverse("institutions:institution_delete", args=[obj.pk]),
                   problems=obj.problems.restrict(self.request.user, VIEW).order_by("number"),
                   measures=obj.measures.restrict(self.request.user, VIEW).order_by("pk"),
                   cases=obj.cases.restrict(self.request.user, VIEW))
        return ctx


class InstitutionEditView(ObjectEditView):
    model = Institution
    form_class = InstitutionForm

    def save(self, form):
        data = form.cleaned_data
        return services.save_institution(form.instance, actor=self.request.user,
                                         problems=data.get("problems") or [], measures=data.get("measures") or [])


class InstitutionDeleteView(ObjectDeleteView):
    model = Institution
    success_url_name = "institutions:institution_list"
    delete_service = staticmethod(services.delete_institution)


class InstitutionExportView(SourceExportView):
    source_code = "institution"


# -- 典型案例 / 经验做法 ---------------------------------------------------------------------

class CaseListView(ObjectListView):
    model = TypicalCase
    table_class = TypicalCaseTable
    filterset_class = TypicalCaseFilterSet
    add_url_name = "institutions:case_add"
    export_url_name = "institutions:case_export"
    title = gettext_lazy("典型案例和经验做法")

    def get_queryset(self):
        return super().get_queryset().select_related("org", "institution")


class CaseDetailView(ObjectDetailView):
    model = TypicalCase
    template_name = "institutions/case_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "campaign", "institution")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj = self.object
        source = None
        model = obj.source_content_type.model_class() if obj.source_content_type_id else None
        if model is not None and hasattr(model.objects, "visible_to"):
            source = model.objects.visible_to(self.request.user).filter(pk=obj.source_object_id).first()
        ctx.update(edit_url=reverse("institutions:case_edit", args=[obj.pk]),
                   delete_url=reverse("institutions:case_delete", args=[obj.pk]), source=source,
                   source_url=_url_of(source))
        return ctx


def _url_of(obj) -> str | None:
    try:
        return obj.get_absolute_url() if obj is not None else None
    except Exception:  # a record kind without a detail page is shown without a link
        return None


class CaseEditView(ObjectEditView):
    model = TypicalCase
    form_class = TypicalCaseForm

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None and self.request.GET.get("source"):
            initial["source"] = self.request.GET["source"]
        return initial

    def save(self, form):
        return services.save_case(form.instance, actor=self.request.user,
                                  source_record=form.cleaned_data.get("source"))


class CaseDeleteView(ObjectDeleteView):
    model = TypicalCase
    success_url_name = "institutions:case_list"
    delete_service = staticmethod(services.delete_case)


class CaseExportView(SourceExportView):
    source_code = "typical_case"
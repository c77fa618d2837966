"""Pages of the volunteering app: for each registered kind (:mod:`.sources`) a list
(filters, paging, Excel ledger), detail (history, attachments), add/edit/delete, built from
its declaration by :func:`views_for`; and the per-member volunteer hours (page and Excel).
Views are thin (``core.generic``); writes go through :mod:`.services`."""

from __future__ import annotations

from django.contrib.auth.mixins import LoginRequiredMixin
from django.core.paginator import Paginator
from django.db.models import Count
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.generic import View

from taizhang.core.excel import xlsx_response
from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.sources import Source

from . import services
from .exports import HOURS_COLUMNS, HOURS_TITLE, hours_rows, member_hours
from .filtersets import VolunteerActivityFilterSet
from .models import VolunteerActivity


class KindListView(ObjectListView):
    kind: Source

    def get_template_names(self):
        return [self.kind.options.get("list_template", "core/object_list.html")]

    def get_queryset(self):
        queryset = super().get_queryset().select_related(*self.kind.related)
        if self.model is VolunteerActivity:
            queryset = queryset.annotate(participant_count=Count("participants")).order_by(
                *self.model._meta.ordering)
        return queryset


class KindDetailView(ObjectDetailView):
    kind: Source

    def get_queryset(self):
        return super().get_queryset().select_related(*self.kind.related)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(edit_url=reverse(self.kind.url_name("edit"), args=[self.object.pk]))
        return ctx


class KindEditView(ObjectEditView):
    """Add or edit through :func:`.services.save_record`; its errors are shown on the form
    (nothing written)."""

    kind: Source

    def save(self, form):
        m2m = {"participants": form.cleaned_data["participants"]} if "participants" in form.cleaned_data else None
        return services.save_record(form.instance, actor=self.request.user, m2m=m2m)



class KindDeleteView(ObjectDeleteView):
    kind: Source
    delete_service = staticmethod(services.delete_record)

    def get_success_url(self):
        return reverse(self.kind.url_name("list"))


class KindExportView(SourceExportView):
    """The kind's ledger (``core.generic.SourceExportView``)."""

    kind: Source


def views_for(kind: Source) -> dict:
    """The six view callables of the source ``kind`` (``core.sources``) keyed by action."""
    model = kind.model_class
    attrs = {"kind": kind, "model": model}
    list_attrs = {**attrs, "table_class": kind.part("table"), "filterset_class": kind.part("filterset"),
                  "add_url_name": kind.url_name("add"), "export_url_name": kind.url_name("export")}
    edit_attrs = {**attrs, "form_class": kind.part("form")}
    name = model.__name__
    return {
        "list": type(f"{name}List", (KindListView,), list_attrs).as_view(),
        "detail": type(f"{name}Detail", (KindDetailView,), attrs).as_view(),
        "add": type(f"{name}Add", (KindEditView,), edit_attrs).as_view(),
        "edit": type(f"{name}Edit", (KindEditView,), edit_attrs).as_view(),
        "delete": type(f"{name}Delete", (KindDeleteView,), attrs).as_view(),
        "export": type(f"{name}Export", (KindExportView,), attrs).as_view(),
    }


def _filtered_activities(request):
    visible = VolunteerActivity.objects.visible_to(request.user)
    return VolunteerActivityFilterSet(request.GET, queryset=visible, request=request)


class HoursView(LoginRequiredMixin, View):
    """党员志愿服务时长: per member, the visible activities' count and total hours in the
    filter's organization and period (the activity list's filters), :data:`PER_PAGE`
    members a page; the total is of every member in the filter."""

    PER_PAGE = 100

    def get(self, request):
        filterset = _filtered_activities(request)
        rows = member_hours(filterset.qs)
        page = Paginator(rows, self.PER_PAGE).get_page(request.GET.get("page"))
        query = request.GET.copy()
        query.pop("page", None)
        return render(request, "volunteering/hours.html", {
            "filter": filterset, "rows": page.object_list, "page_obj": page, "members": len(rows),
            "page_query": query.urlencode(), "title": _("党员志愿服务时长"),
            "total": sum((r["hours"] for r in rows), start=0),
            "export_url": reverse("volunteering:hours_export"), "query_string": request.GET.urlencode(),
        })


class HoursExportView(LoginRequiredMixin, View):
    """The per-member hours ledger (see :class:`HoursView`) as an Excel file."""

    def get(self, request):
        activities = _filtered_activities(request).qs
        return xlsx_response(f"{HOURS_TITLE}.xlsx", HOURS_TITLE, HOURS_COLUMNS, hours_rows(activities))

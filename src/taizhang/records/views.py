"""Pages of the records app: list (filters, paging, Excel ledger), detail (history,
attachments, related problems), add/edit/delete for every record kind.

Views are thin: each kind is one :class:`RecordKind` declaration, turned into the six
generic views below (``core.generic``); writes go through :mod:`.services`. Meeting and
study forms add the attendance checklist (:class:`.forms.AttendanceChecklist`); meetings
also motions (``views_meetings``).
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.urls import reverse
from django.utils.translation import gettext as _

from taizhang.core.sources import Source, sources
from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.scoping import CHANGE, can
from taizhang.core.status import org_of

from . import forms, services
from .models import (
    attach_counts,
    Lecture,
    Meeting,
    Reading,
    Suggestion,
)


def _url(source, action: str) -> str:
    return source.url_name(action)


class RecordListView(ObjectListView):
    kind: Source

    def get_queryset(self):
        return super().get_queryset().select_related(*self.kind.related)

    def annotate_rows(self, rows: list) -> None:
        """Attendance counts (``with_counts``) of the shown rows only, in one query."""
        if self.kind.options.get("counts") and rows:
            attach_counts(rows)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        if not forms.changeable_orgs(self.request.user).exists():
            ctx["add_url"] = None
        return ctx


class RecordDetailView(ObjectDetailView):
    kind: Source

    def get_template_names(self):
        return [self.kind.options.get("detail_template", "records/record_detail.html")]

    def get_queryset(self):
        return super().get_queryset().select_related(*self.kind.related)

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.update(edit_url=reverse(_url(self.kind, "edit"), args=[self.object.pk]),
                   delete_url=reverse(_url(self.kind, "delete"), args=[self.object.pk]),
                   list_url=reverse(_url(self.kind, "list")),
                   has_problems=hasattr(self.object, "problem_prefill"))
        obj = self.object
        if hasattr(obj, "attendance_counts"):
            ctx.update(counts=obj.attendance_counts(),
                       attendance=obj.attendance.select_related("member").order_by("pk"))
        if isinstance(obj, Meeting):
            if obj.sign_in_enabled and ctx.get("can_change"):  # the QR code's address, as text
                ctx["sign_in_url"] = self.request.build_absolute_uri(
                    reverse("records:sign_in", args=[obj.sign_in_token]))
            ctx.update(motions=obj.motions.all(),
                       elections=obj.election_results.select_related("candidate"),
                       lecture=Lecture.objects.filter(meeting=obj).select_related("speaker").first())
        if isinstance(obj, Suggestion):
            ctx["answer_form"] = forms.AnswerForm()
        return ctx


class RecordEditView(ObjectEditView):
    """Add or edit one record through ``services.save_record``; service validation errors
    are shown on the form (nothing written). A new record's form takes starting values from
    the query string for its own fields (``core.generic.ObjectEditView.get_initial``:
    ``?party_a=&party_b=&purpose=`` from a missing pair of the 民主生活会 talk matrix); the
    form still limits every choice to what the user may pick."""

    kind: Source

    def get_template_names(self):
        return [self.kind.options.get("edit_template", "core/object_edit.html")]

    def save(self, form):
        m2m = {f.name: form.cleaned_data[f.name] for f in form.instance._meta.many_to_many
               if f.name in form.cleaned_data}
        return services.save_record(form.instance, actor=self.request.user, m2m=m2m or None)



class RecordDeleteView(ObjectDeleteView):
    kind: Source
    delete_service = staticmethod(services.delete_record)

    def get_success_url(self):
        return reverse(_url(self.kind, "list"))


class RecordExportView(SourceExportView):
    """The kind's ledger (``core.generic.SourceExportView``)."""

    kind: Source


def views_for(kind: Source, edit_view=RecordEditView, detail_view=RecordDetailView) -> dict:
    """The six view callables of the source ``kind`` (``core.sources``) keyed by action."""
    model = kind.model_class
    form = kind.part("form")
    attrs = {"kind": kind, "model": model}
    list_attrs = {**attrs, "table_class": kind.part("table"), "filterset_class": kind.part("filterset"),
                  "add_url_name": _url(kind, "add"), "export_url_name": _url(kind, "export")}
    name = model.__name__
    return {
        "list": type(f"{name}List", (RecordListView,), list_attrs).as_view(),
        "detail": type(f"{name}Detail", (detail_view,), attrs).as_view(),
        "add": type(f"{name}Add", (edit_view,), {**attrs, "form_class": form}).as_view(),
        "edit": type(f"{name}Edit", (edit_view,), {**attrs, "form_class": form}).as_view(),
        "delete": type(f"{name}Delete", (RecordDeleteView,), attrs).as_view(),
        "export": type(f"{name}Export", (RecordExportView,), attrs).as_view(),
    }


class AttendedEditView(RecordEditView):
    """Edit view of a record with an attendance checklist (meetings, study sessions).

    On GET, ``?org=&kind=`` (sent by htmx when the org or kind select changes) rebuild the
    checklist for that org and kind; the org must be one the user may change.
    """

    edit_template = "records/attended_form.html"

    def get_template_names(self):
        return ["records/attended_form.html"]

    def chosen(self, data):
        org = self.object.org if self.object else None
        kind = getattr(self.object, "kind", None)
        org_id = data.get("org")
        if org_id and str(org_id).isdigit():
            org = forms.changeable_orgs(self.request.user).filter(pk=org_id).first() or org
        if data.get("kind"):
            kind = data["kind"]
        elif kind is None and self.model is Meeting:
            kind = "branch_committee_meeting"
        if org is None:
            org = forms.default_org(self.request.user, kind)
        return org, kind

    def get_initial(self):
        """The query string's initial values (``core.generic.ObjectEditView``: ``?org=&kind=``
        of a new record); a new leadership-team meeting (民主生活会, 党委会 …) without ``?org=``
        opens on the organization of a team, with the team as attendees, not on the user's
        first branch (``forms.default_org``)."""
        initial = super().get_initial()
        kind = initial.get("kind")
        if self.object is None and not initial.get("org") and kind:
            org = forms.default_org(self.request.user, kind)
            if org is not None:
                initial["org"] = org.pk
        return initial

    def checklist(self):
        data = self.request.POST if self.request.method == "POST" else self.request.GET
        org, kind = self.chosen(data)
        team = None
        if self.model is Meeting:
            from .models import TEAM_KINDS

            team = getattr(self.object, "team", None) if self.object else None
            if team is None and kind in TEAM_KINDS:
                team = getattr(org, "leadership_team", None) if org is not None and hasattr(org, "leadership_team") else None
        same = self.object is not None and org == self.object.org
        return forms.AttendanceChecklist(org, kind, team, record=self.object if same else None,
                                         data=self.request.POST if self.request.method == "POST" else None)

    def motions(self):
        if self.model is not Meeting:
            return None
        queryset = self.object.motions.all() if self.object else Motion.objects.none()
        return forms.MotionFormSet(self.request.POST or None, queryset=queryset, prefix="motion")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx.setdefault("checklist", self.checklist())
        ctx.setdefault("motion_formset", self.motions())
        return ctx

    def post(self, request, *args, **kwargs):
        self._checklist = self.checklist()
        self._motions = self.motions()
        return super().post(request, *args, **kwargs)

    def form_invalid(self, form):
        return self.render_to_response(self.get_context_data(
            form=form, checklist=self._checklist, motion_formset=self._motions))

    def save(self, form):
        rows = self._checklist.cleaned_rows()
        if self._checklist.errors:
            raise ValidationError({"attendance": self._checklist.errors})
        instance = form.instance
        if self.model is Meeting:
            if self._motions is not None and not self._motions.is_valid():
                raise ValidationError({"motions": _("表决事项填写有误。")})
            motions = [f.cleaned_data for f in self._motions.forms if f.cleaned_data] if self._motions else None
            fields = {name: form.cleaned_data[name] for name in form.Meta.fields}
            if instance.pk:
                return services.update_meeting(instance, actor=self.request.user, attendance=rows,
                                               motions=motions, **fields)
            org, kind, date = fields.pop("org"), fields.pop("kind"), fields.pop("date")
            return services.create_meeting(org, kind, date, actor=self.request.user,
                                           attendance=rows, motions=motions, **fields)
        with transaction.atomic():
            services.save_record(instance, actor=self.request.user,
                                 m2m={"readings": form.cleaned_data.get("readings", [])})
            services.set_attendance(instance, rows, actor=self.request.user)
        return instance


from .models import Motion  # noqa: E402  (used above; kept after the views for readability)



def kinds() -> dict:
    """The records app's registered sources by URL slug (``core.sources``)."""
    return {source.slug: source for source in sources("records")}



def can_change(user, obj) -> bool:
    return can(user, CHANGE, org_of(obj))


__all__ = ["kinds", "AttendedEditView", "views_for", "Reading"]

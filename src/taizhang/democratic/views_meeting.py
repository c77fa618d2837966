"""Pages of the 民主生活会 record: list, Excel, detail (attendance and quorum, preparation
status, statements, 15-day report, problems raised), add/edit, delete, statements, problems."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.scoping import CHANGE, VIEW, can
from taizhang.orgs.models import LeadershipMember

from . import services
from .filtersets import LifeMeetingFilterSet
from .forms import LifeMeetingForm
from .models import LifeMeeting
from .preparation import quorum_of, readiness, report_state
from .tables import LifeMeetingTable

class LifeMeetingListView(ObjectListView):
    model = LifeMeeting
    table_class = LifeMeetingTable
    filterset_class = LifeMeetingFilterSet
    add_url_name = "democratic:meeting_add"
    export_url_name = "democratic:meeting_export"
    title = gettext_lazy("民主生活会")
    template_name = "democratic/meeting_list.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org")


class LifeMeetingDetailView(ObjectDetailView):
    model = LifeMeeting
    template_name = "democratic/meeting_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "team", "meeting")

    def get_context_data(self, **kwargs):
        from django.utils import timezone

        ctx = super().get_context_data(**kwargs)
        obj = self.object
        attendance = obj.meeting.attendance.select_related("member") if obj.meeting_id else []
        prep = readiness(obj)
        said = {s.leader_id: s for s in obj.statements.all()}
        # One row per team member: his material (status as now) and what he said at the meeting.
        people = [(lm, prep.materials.by_whose.get(lm.pk), said.get(lm.pk)) for lm in prep.materials.leaders]
        ctx.update(edit_url=reverse("democratic:meeting_edit", args=[obj.pk]),
                   delete_url=reverse("democratic:meeting_delete", args=[obj.pk]),
                   quorum=quorum_of(obj), report=report_state(obj, timezone.localdate()),
                   prep=prep, attendance=attendance, people=people,
                   team_exam=prep.materials.by_whose.get(None))
        return ctx


class LifeMeetingEditView(ObjectEditView):
    model = LifeMeeting
    form_class = LifeMeetingForm

    def get_initial(self):
        initial = super().get_initial()
        if self.object is None and self.request.GET.get("org"):
            initial["org"] = self.request.GET["org"]
        return initial

    def save(self, form):
        return services.save_life_meeting(form.instance, actor=self.request.user, absent=form.absences())


class LifeMeetingDeleteView(ObjectDeleteView):
    model = LifeMeeting
    success_url_name = "democratic:meeting_list"
    delete_service = staticmethod(services.delete_life_meeting)


class LifeMeetingExportView(SourceExportView):
    source_code = "life_meeting"


class StatementForm(forms.Form):
    self_criticism = forms.CharField(label=_("对照检查发言"), required=False,
                                     widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    criticism_received = forms.CharField(label=_("收到的批评意见"), required=False,
                                         widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    criticism_given = forms.CharField(label=_("提出的批评意见"), required=False,
                                      widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


def _changeable(request, pk):
    obj = get_object_or_404(LifeMeeting.objects.restrict(request.user, VIEW), pk=pk)
    if not can(request.user, CHANGE, obj.org):
        raise PermissionDenied(_("您无权修改此记录。"))
    return obj


@login_required
def statements(request, pk: int):
    """Each team member's 对照检查 and the criticism received and given, one form per member."""
    obj = _changeable(request, pk)
    leaders = list(LeadershipMember.objects.filter(team=obj.team).select_related("member").order_by("order", "pk"))
    current = {s.leader_id: s for s in obj.statements.all()}
    forms_ = []
    for lm in leaders:
        s = current.get(lm.pk)
        initial = {k: getattr(s, k) for k in ("self_criticism", "criticism_received", "criticism_given")} if s else {}
        forms_.append((lm, StatementForm(request.POST or None, prefix=f"s{lm.pk}", initial=initial)))
    if request.method == "POST" and all(f.is_valid() for _lm, f in forms_):
        try:
            services.set_statements(obj, [{"leader": lm, **f.cleaned_data} for lm, f in forms_], actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            messages.success(request, _("已保存。"))
            return redirect(obj.get_absolute_url())
    return render(request, "democratic/statements.html", {"object": obj, "forms": forms_})

"""Pages of the role models app: list (filters, Excel), detail with its status moves and
公示 objections, add/edit/delete, and the per-campaign publicity page. Views are thin
(``core.generic``); writes go through :mod:`.services`."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taizhang.core.generic import ObjectDeleteView, ObjectDetailView, ObjectEditView, ObjectListView, SourceExportView
from taizhang.core.scoping import CHANGE, REVIEW, can
from taizhang.core.status import IllegalTransition
from taizhang.plans.models import Campaign

from . import services
from .filtersets import RoleModelFilterSet
from .forms import HandlingForm, MoveForm, ObjectionForm, RoleModelForm
from .models import EDITABLE_STATUSES, SELECTED_STATUSES, Objection, RoleModel
from .tables import RoleModelTable

MOVE_LABELS = {
    "select": gettext_lazy("选树"), "publicise": gettext_lazy("公示"), "announce": gettext_lazy("公布"),
    "return_for_revision": gettext_lazy("退回修改"), "reject": gettext_lazy("不予选树"),
    "resubmit": gettext_lazy("重新提交"),
}


def error_text(exc: ValidationError) -> str:
    return "；".join(m for ms in getattr(exc, "message_dict", {"": exc.messages}).values() for m in ms)


class RoleModelListView(ObjectListView):
    model = RoleModel
    table_class = RoleModelTable
    filterset_class = RoleModelFilterSet
    add_url_name = "rolemodels:rolemodel_add"
    export_url_name = "rolemodels:rolemodel_export"
    title = gettext_lazy("先进典型")

    def get_queryset(self):
        return super().get_queryset().select_related("org", "member")


class RoleModelDetailView(ObjectDetailView):
    model = RoleModel
    template_name = "rolemodels/rolemodel_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "member", "selector", "campaign")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        obj, user = self.object, self.request.user
        may_review = can(user, REVIEW, obj.selector)
        ctx["can_change"] = ctx["can_change"] and obj.status in EDITABLE_STATUSES
        moves = []
        for name in obj.get_available_status_transitions():
            action, field = services.TRANSITIONS[name.name]
            if can(user, action, getattr(obj, field)):
                moves.append((name.name, MOVE_LABELS[name.name]))
        ctx.update(
            edit_url=reverse("rolemodels:rolemodel_edit", args=[obj.pk]),
            delete_url=reverse("rolemodels:rolemodel_delete", args=[obj.pk]) if ctx["can_change"] else None,
            moves=moves, move_form=MoveForm(), may_review=may_review,
            objections=Objection.objects.visible_to(user).filter(role_model=obj),
            objection_form=ObjectionForm() if may_review and obj.status == "publicised" else None,
            handling_form=HandlingForm(),
        )
        return ctx


class RoleModelEditView(ObjectEditView):
    """Add or edit a nomination through ``services.save_role_model``."""

    model = RoleModel
    form_class = RoleModelForm

    def save(self, form):
        return services.save_role_model(form.instance, actor=self.request.user)



class RoleModelDeleteView(ObjectDeleteView):
    model = RoleModel
    scope_action = CHANGE
    success_url_name = "rolemodels:rolemodel_list"
    delete_service = staticmethod(services.delete_role_model)


class RoleModelExportView(SourceExportView):
    source_code = "role_model"


@login_required
@require_POST
def rolemodel_move(request, pk, name):
    """POST a status move (``name``) of a visible role model; errors come back as messages."""
    obj = get_object_or_404(RoleModel.objects.visible_to(request.user).select_related("selector", "org"), pk=pk)
    form = MoveForm(request.POST)
    form.is_valid()
    data = form.cleaned_data
    try:
        services.move(obj, name, actor=request.user, comment=data.get("comment", ""), on=data.get("on"),
                      start=data.get("start"), end=data.get("end"))
        messages.success(request, _("已%(move)s。") % {"move": MOVE_LABELS.get(name, name)})
    except (IllegalTransition, ValidationError) as exc:
        messages.error(request, error_text(exc) if isinstance(exc, ValidationError) else str(exc))
    return HttpResponseRedirect(obj.get_absolute_url())


@login_required
@require_POST
def objection_add(request, pk):
    """POST an objection to a publicised role model (needs "review" on its committee)."""
    obj = get_object_or_404(RoleModel.objects.visible_to(request.user).select_related("selector"), pk=pk)
    form = ObjectionForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("请填写收到日期和反映内容。"))
        return HttpResponseRedirect(obj.get_absolute_url())
    try:
        services.add_objection(obj, actor=request.user, **form.cleaned_data)
        messages.success(request, _("已登记公示异议。"))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return HttpResponseRedirect(obj.get_absolute_url())


@login_required
@require_POST
def objection_handle(request, pk):
    """POST how an objection was handled (needs "review" on its organization)."""
    objection = get_object_or_404(Objection.objects.visible_to(request.user).select_related("role_model"), pk=pk)
    form = HandlingForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError({"handling": [_("请填写核查处理情况")]})
        services.handle_objection(objection, actor=request.user, handling=form.cleaned_data["handling"])
        messages.success(request, _("已记录处理情况。"))
    except ValidationError as exc:
        messages.error(request, error_text(exc))
    return HttpResponseRedirect(objection.role_model.get_absolute_url())


@login_required
def publicity(request, campaign_pk):
    """The publicity page of a campaign: its selected, publicised and announced role models
    that the user may see (a branch sees its own and the committee's public ones)."""
    campaign = get_object_or_404(Campaign.objects.visible_to(request.user), pk=campaign_pk)
    models = (RoleModel.objects.visible_to(request.user).filter(campaign=campaign, status__in=SELECTED_STATUSES)
              .select_related("org", "member").order_by("-status", "publicity_start", "pk"))
    return render(request, "rolemodels/publicity.html", {"campaign": campaign, "models": models})

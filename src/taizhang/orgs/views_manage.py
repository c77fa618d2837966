"""Pages with which the committee office manages its subtree (issue 12 §2): add and edit
organizations, grant and revoke roles. The writes are ``orgs.manage``'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from taizhang.core.scoping import MANAGE, can

from . import manage
from .models import Organization, OrgKind, Role, RoleAssignment

DATE = forms.DateInput(attrs={"type": "date", "class": "form-control"}, format="%Y-%m-%d")


class OrganizationForm(forms.Form):
    name = forms.CharField(label=gettext_lazy("名称"), max_length=100,
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    kind = forms.ChoiceField(label=gettext_lazy("类型"), choices=OrgKind.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))
    code = forms.CharField(label=gettext_lazy("编码（可留空自动生成）"), max_length=32, required=False,
                           widget=forms.TextInput(attrs={"class": "form-control"}))
    committee_elected_on = forms.DateField(label=gettext_lazy("本届委员会选举日期"), required=False,
                                           widget=DATE)


class RoleForm(forms.Form):
    user = forms.ModelChoiceField(label=gettext_lazy("账号"), queryset=None,
                                  widget=forms.Select(attrs={"class": "form-select"}))
    role = forms.ChoiceField(label=gettext_lazy("角色"), choices=Role.choices,
                             widget=forms.Select(attrs={"class": "form-select"}))

    def __init__(self, *args, actor, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["user"].queryset = manage.grantable_users(actor)
        self.fields["user"].label_from_instance = lambda u: (
            f"{u.first_name} ({u.username})" if u.first_name else u.username)


def _managed(request, pk):
    org = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk)
    if not can(request.user, MANAGE, org):
        raise PermissionDenied(_("只有该组织的管理人员可以管理组织。"))
    return org


def _apply_errors(form, exc: ValidationError):
    if hasattr(exc, "error_dict"):
        for field, errors in exc.message_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc.messages)


@login_required
def organization_add(request, pk: int):
    """Add a child organization under ``pk``."""
    parent = _managed(request, pk)
    form = OrganizationForm(request.POST or None, initial={"kind": (manage.CHILD_KINDS[parent.kind] or ("",))[-1]})
    form.fields["kind"].choices = [(k, OrgKind(k).label) for k in manage.CHILD_KINDS[parent.kind]]
    if request.method == "POST" and form.is_valid():
        try:
            child = manage.add_organization(parent, form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已新增组织。"))
            return redirect(child)
    return render(request, "orgs/organization_form.html", {"form": form, "parent": parent})


@login_required
def organization_edit(request, pk: int):
    """Rename an organization and set its election date."""
    org = _managed(request, pk)
    form = OrganizationForm(request.POST or None, initial={
        "name": org.name, "kind": org.kind, "code": org.code,
        "committee_elected_on": org.committee_elected_on})
    for name in ("kind", "code"):
        form.fields[name].disabled = True
    if request.method == "POST" and form.is_valid():
        try:
            manage.update_organization(org, actor=request.user, name=form.cleaned_data["name"],
                                       committee_elected_on=form.cleaned_data["committee_elected_on"])
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已保存。"))
            return redirect(org)
    return render(request, "orgs/organization_form.html", {"form": form, "org": org})


@login_required
def roles(request, pk: int):
    """The role assignments of an organization's subtree; grant one (POST)."""
    org = _managed(request, pk)
    form = RoleForm(request.POST or None, actor=request.user)
    if request.method == "POST" and form.is_valid():
        try:
            manage.grant_role(org, form.cleaned_data["user"], form.cleaned_data["role"], actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已授予角色。"))
            return redirect("orgs:roles", pk=org.pk)
    return render(request, "orgs/roles.html", {
        "org": org, "form": form, "assignments": manage.roles_below(org)})


@require_POST
@login_required
def role_revoke(request, pk: int):
    """Take a role away (the office of its organization)."""
    assignment = get_object_or_404(RoleAssignment.objects.restrict(request.user, MANAGE)
                                   .select_related("org", "user"), pk=pk)
    try:
        manage.revoke_role(assignment, actor=request.user)
    except ValidationError as exc:
        messages.error(request, "；".join(exc.messages))
    else:
        messages.success(request, _("已取消角色。"))
    return redirect("orgs:roles", pk=assignment.org_id)

"""Pages of members' accounts (issue 12 §2): the office creates accounts for a branch's
members in bulk and downloads the one-time passwords; a user changes the one-time password
at first sign-in. The writes are ``orgs.accounts``'."""

from __future__ import annotations

from django import forms
from django.contrib import messages
from django.contrib.auth import update_session_auth_hash
from django.contrib.auth.decorators import login_required
from django.contrib.auth.forms import PasswordChangeForm
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.scoping import MANAGE, scope_paths

from . import accounts
from .models import Member, Organization, OrgKind


class AccountsForm(forms.Form):
    """Which branch, which members (none ticked: every member of the branch without an
    account) and the username rule."""

    org = forms.ModelChoiceField(label=gettext_lazy("党支部"), queryset=Organization.objects.none(),
                                 widget=forms.Select(attrs={"class": "form-select"}))
    rule = forms.ChoiceField(label=gettext_lazy("用户名规则"), choices=list(accounts.RULES.items()),
                             initial="phone", widget=forms.RadioSelect)
    members = forms.ModelMultipleChoiceField(
        label=gettext_lazy("党员（不选则为该支部全部尚无账号的在册党员）"), required=False,
        queryset=Member.objects.none(), widget=forms.CheckboxSelectMultiple)

    def __init__(self, *args, user, org=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.restrict(user, MANAGE).filter(
            kind=OrgKind.BRANCH)
        members = Member.objects.restrict(user, MANAGE).filter(is_active=True, user__isnull=True)
        self.fields["members"].queryset = members.filter(org=org) if org else members.none()


@login_required
def accounts_create(request):
    """GET: pick a branch (``?org=``), its members and the rule; POST: create the accounts
    and download the one-time passwords as an Excel sheet (shown once, never stored)."""
    if scope_paths(request.user, MANAGE) == []:
        raise PermissionDenied(_("只有组织的管理人员（党委办公室）可以开通党员账号。"))
    org = None
    org_id = request.POST.get("org") or request.GET.get("org")
    if org_id and str(org_id).isdigit():
        org = Organization.objects.restrict(request.user, MANAGE).filter(
            pk=org_id, kind=OrgKind.BRANCH).first()
    form = AccountsForm(request.POST or None, user=request.user, org=org,
                        initial={"org": org} if org else None)
    if request.method == "POST" and form.is_valid():
        branch = form.cleaned_data["org"]
        chosen = form.cleaned_data["members"] or Member.objects.filter(
            org=branch, is_active=True, user__isnull=True).order_by("name")
        try:
            issued = accounts.create_accounts(chosen, form.cleaned_data["rule"], actor=request.user)
        except ValidationError as exc:
            messages.error(request, "；".join(exc.messages))
        else:
            stamp = timezone.localtime().strftime("%Y%m%d%H%M")
            return accounts.issued_sheet(issued, f"账号-{branch.name}-{stamp}.xlsx")
    return render(request, "orgs/accounts_create.html", {
        "form": form, "org": org,
        "with_account": Member.objects.filter(org=org, user__isnull=False).count() if org else 0})


@login_required
def password_change(request):
    """Change one's password (required at first sign-in with a one-time password)."""
    form = PasswordChangeForm(request.user, request.POST or None)
    for field in form.fields.values():
        field.widget.attrs["class"] = "form-control"
    if request.method == "POST" and form.is_valid():
        user = form.save()
        update_session_auth_hash(request, user)
        accounts.password_changed(user)
        request.session.pop(accounts.SESSION_KEY, None)
        messages.success(request, _("密码已修改。"))
        return redirect("home")
    return render(request, "orgs/password_change.html", {
        "form": form, "forced": accounts.must_change(request.user)})

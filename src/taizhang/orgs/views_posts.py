"""The posts (职务) page of an organization (issue 12 §2): its officers by post, appoint a
member, end a tenure, the history. Only the office of the organization or of an ancestor
(``MANAGE``) opens it; the writes are :mod:`.posts`'."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.scoping import MANAGE
from taizhang.core.widgets import QuickSelect

from . import posts
from .models import Position, PositionRole
from .views_manage import DATE, _apply_errors, _managed


class AppointForm(forms.Form):
    """Appoint a member of the organization to one of its posts."""

    role = forms.ChoiceField(label=gettext_lazy("职务"), widget=forms.Select(attrs={"class": "form-select"}))
    member = forms.ModelChoiceField(label=gettext_lazy("党员"), queryset=None,
                                    widget=QuickSelect(attrs={"class": "form-select"}))
    started_on = forms.DateField(label=gettext_lazy("任职日期"), widget=DATE)

    def __init__(self, *args, org, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [(r, PositionRole(r).label) for r in posts.KIND_POSTS[org.kind]]
        members = posts.eligible_members(org)
        self.fields["member"].queryset = members
        if org.kind in ("branch", "group"):
            self.fields["member"].label_from_instance = lambda m: m.name
        else:  # a committee's subtree: say which branch each member is in
            self.fields["member"].label_from_instance = lambda m: f"{m.name}（{m.org.name}）"


class EndForm(forms.Form):
    """End a tenure: date and reason."""

    ended_on = forms.DateField(label=gettext_lazy("离任日期"), widget=DATE)
    reason = forms.CharField(label=gettext_lazy("离任原因"), max_length=200, required=False,
                             widget=forms.TextInput(attrs={"class": "form-control",
                                                           "placeholder": gettext_lazy("如：换届、调离、免职")}))


@login_required
def org_posts(request, pk: int):
    """An organization's officers by post with the history; appoint (POST)."""
    org = _managed(request, pk)
    form = AppointForm(request.POST or None, org=org, initial={"started_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            posts.appoint({"org": org, **form.cleaned_data}, actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已任命。"))
            return redirect("orgs:posts", pk=org.pk)
    return render(request, "orgs/posts.html", {"org": org, "form": form, **posts.posts_of(org)})


@login_required
def post_end(request, pk: int):
    """End one tenure (form on GET, write on POST)."""
    position = get_object_or_404(Position.objects.restrict(request.user, MANAGE)
                                 .select_related("org", "member"), pk=pk)
    form = EndForm(request.POST or None, initial={"ended_on": dt.date.today()})
    if request.method == "POST" and form.is_valid():
        try:
            posts.end_tenure(position, form.cleaned_data, actor=request.user)
        except ValidationError as exc:
            _apply_errors(form, exc)
        else:
            messages.success(request, _("已结束任职。"))
            return redirect("orgs:posts", pk=position.org_id)
    return render(request, "orgs/post_end.html", {"position": position, "org": position.org, "form": form})

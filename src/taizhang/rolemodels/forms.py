"""Forms of the role models app: the nomination (choices limited to where the user may
change things), a status move (with its dates and reason) and an objection."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.orgs.fields import MemberChoiceField, OrgChoiceField
from taizhang.orgs.models import Member, Organization
from taizhang.plans.models import Campaign

from .models import RoleModel

DATE = {"type": "date"}


def style(form) -> None:
    """Tabler classes on every widget."""
    for field in form.fields.values():
        widget = field.widget
        css = "form-select" if isinstance(widget, forms.Select) else "form-control"
        widget.attrs.setdefault("class", css)


class RoleModelForm(forms.ModelForm):
    """Nominating organization, campaign, member or collective, honour, deeds, date.
    ``user`` limits the choices; the rules are the service's."""

    class Meta:
        model = RoleModel
        fields = ["org", "campaign", "kind", "member", "collective", "title", "deeds", "nominated_on"]
        widgets = {"nominated_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "deeds": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.restrict(user, CHANGE)
        self.fields["org"] = OrgChoiceField(queryset=orgs, label=_("推荐组织"), action=CHANGE)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        members = Member.objects.filter(org__in=orgs, is_active=True).select_related("org").order_by("org__path", "name")
        if self.instance.pk and self.instance.member_id:
            members = members | Member.objects.filter(pk=self.instance.member_id).select_related("org")
        self.fields["member"] = MemberChoiceField(queryset=members, required=False, label=_("党员"), action=CHANGE)
        if not self.instance.pk:
            self.initial.setdefault("nominated_on", timezone.localdate())
            first = orgs.order_by("-depth", "path").first()
            self.initial.setdefault("org", first.pk if first else None)
        style(self)


class MoveForm(forms.Form):
    """A status move: its dates (selection / 公示 period / announcement) and comment."""

    on = forms.DateField(label=_("日期"), required=False, widget=forms.DateInput(attrs=DATE))
    start = forms.DateField(label=_("公示开始"), required=False, widget=forms.DateInput(attrs=DATE))
    end = forms.DateField(label=_("公示结束"), required=False, widget=forms.DateInput(attrs=DATE))
    comment = forms.CharField(label=_("说明或理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class ObjectionForm(forms.Form):
    """An objection received during the 公示."""

    received_on = forms.DateField(label=_("收到日期"), widget=forms.DateInput(attrs=DATE))
    text = forms.CharField(label=_("反映内容"), widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class HandlingForm(forms.Form):
    """How an objection was checked and handled."""

    handling = forms.CharField(label=_("核查处理情况"), widget=forms.Textarea(attrs={"rows": 2}))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)

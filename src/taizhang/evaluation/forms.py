"""The add/edit form of an appraisal: organization choices limited to where the user may
change things, members to the active members of those organizations."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.orgs.fields import MemberChoiceField, OrgChoiceField
from taizhang.orgs.models import Member, Organization, OrgKind

from .models import Appraisal


class AppraisalForm(forms.ModelForm):
    """Org, member, year, grade, date, follow-up. ``user`` limits the choices; the rules
    (member of the org, no 优秀 for a 预备党员) are the service's."""

    class Meta:
        model = Appraisal
        fields = ["org", "member", "year", "grade", "rated_on", "follow_up"]
        widgets = {"rated_on": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "follow_up": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.restrict(user, CHANGE)
        self.fields["org"] = OrgChoiceField(queryset=orgs, label=_("党支部"), action=CHANGE, show="kind")
        members = Member.objects.filter(org__in=orgs, is_active=True).select_related("org").order_by(
            "org__path", "name")
        if self.instance.pk:  # keep the current member selectable even if no longer on the roll
            members = members | Member.objects.filter(pk=self.instance.member_id).select_related("org")
        self.fields["member"] = MemberChoiceField(queryset=members, label=_("党员"), action=CHANGE, show="status")
        if not self.instance.pk:
            today = timezone.localdate()
            first = orgs.filter(kind=OrgKind.BRANCH).first() or orgs.first()
            self.initial.setdefault("org", first.pk if first else None)
            self.initial.setdefault("year", today.year)
            self.initial.setdefault("rated_on", today)
        for field in self.fields.values():
            widget = field.widget
            css = "form-select" if isinstance(widget, forms.Select) else "form-control"
            widget.attrs.setdefault("class", css)

"""Entry forms of posts, activities and registrations.

``user`` limits the organization choices to where the user may change things and the
members to the active members the user may see; the rules (a member of the organization,
positive hours, dates) are the service's (:mod:`.services`), shown on the form.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.orgs.fields import MemberChoiceField, MembersChoiceField, OrgChoiceField
from taizhang.orgs.models import Member, Organization, OrgKind

from .models import CommunityRegistration, ModelPost, VolunteerActivity


def members_for(user, keep=()):
    """Active members ``user`` may see (branch then name), plus the members in ``keep``
    (pks of the current values, kept selectable after leaving the roll)."""
    members = Member.objects.visible_to(user).filter(is_active=True)
    if keep:
        members = members | Member.objects.filter(pk__in=keep)
    return members.select_related("org").order_by("org__path", "name")


class VolunteeringForm(forms.ModelForm):
    """Base form: organization and member choices limited by ``user``; the organization
    defaults to the user's first branch, dates to today; Tabler classes."""

    date_fields: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.restrict(user, CHANGE)
        self.fields["org"] = OrgChoiceField(queryset=orgs, label=_("组织"), action=CHANGE, show="kind")
        if "member" in self.fields:
            keep = [self.instance.member_id] if self.instance.member_id else []
            field = self.fields["member"]
            self.fields["member"] = MemberChoiceField(queryset=members_for(user, keep), label=field.label)
        if not self.instance.pk:
            first = orgs.filter(kind=OrgKind.BRANCH).first() or orgs.first()
            self.initial.setdefault("org", first.pk if first else None)
            for name in self.date_fields:
                self.initial.setdefault(name, timezone.localdate())
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            if isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3


class ModelPostForm(VolunteeringForm):
    date_fields = ("start",)

    class Meta:
        model = ModelPost
        fields = ["org", "name", "member", "commitment", "start", "end"]
        widgets = {"start": forms.DateInput(), "end": forms.DateInput()}


class VolunteerActivityForm(VolunteeringForm):
    """An activity with its participants (a multiple choice of members)."""

    date_fields = ("date",)

    class Meta:
        model = VolunteerActivity
        fields = ["org", "team", "date", "place", "participants", "hours", "content"]
        widgets = {"date": forms.DateInput()}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, user=user, **kwargs)
        keep = list(self.instance.participants.values_list("pk", flat=True)) if self.instance.pk else []
        self.fields["participants"] = MembersChoiceField(
            queryset=members_for(user, keep), label=_("参加党员"),
            help_text=_("按住 Ctrl（苹果电脑为 Command）可多选。"))
        self.fields["participants"].widget.attrs.update({"class": "form-select", "size": 10})


class CommunityRegistrationForm(VolunteeringForm):
    date_fields = ("registered_on",)

    class Meta:
        model = CommunityRegistration
        fields = ["org", "member", "community", "registered_on", "commitment"]
        widgets = {"registered_on": forms.DateInput()}

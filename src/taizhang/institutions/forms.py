"""Forms of the institutions app; choices limited to where the user may change things."""

from __future__ import annotations

from django import forms
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.orgs.fields import OrgChoiceField
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign
from taizhang.rectification.models import Problem, Rectification

from .models import Institution, TypicalCase

DATE = {"type": "date"}


def style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        css = "form-select" if isinstance(widget, forms.Select | forms.SelectMultiple) else "form-control"
        widget.attrs.setdefault("class", css)


class _Base(forms.ModelForm):
    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.orgs = Organization.objects.restrict(user, CHANGE)
        self.fields["org"] = OrgChoiceField(queryset=self.orgs, label=self.fields["org"].label, action=CHANGE)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            first = self.orgs.order_by("depth", "path").first()
            self.initial.setdefault("org", first.pk if first else None)


class InstitutionForm(_Base):
    """Organization, campaign, name, action, date, 文号, content, and the problems and
    measures it answers (those of the organizations the user may change)."""

    class Meta:
        model = Institution
        fields = ["org", "campaign", "name", "action", "date", "doc_number", "summary", "problems", "measures"]
        widgets = {"date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 4})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["problems"].queryset = Problem.objects.filter(org__in=self.orgs).order_by("org__path", "number")
        self.fields["measures"].queryset = Rectification.objects.filter(org__in=self.orgs).order_by("org__path", "pk")
        self.fields["problems"].required = self.fields["measures"].required = False
        style(self)


class TypicalCaseForm(_Base):
    """Organization, campaign, kind, title, date, content, the institution it became, and
    (hidden, from the add link of a record) ``source`` = "<content type id>:<object id>"."""

    source = forms.CharField(required=False, widget=forms.HiddenInput)

    class Meta:
        model = TypicalCase
        fields = ["org", "campaign", "kind", "title", "date", "summary", "institution"]
        widgets = {"date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["institution"].queryset = Institution.objects.visible_to(self.user).select_related("org")
        style(self)

    def clean_source(self):
        """The visible record named by ``source``, or None; an unknown or hidden one is an error."""
        value = (self.cleaned_data.get("source") or "").strip()
        if not value:
            return None
        try:
            ct_id, obj_id = (int(v) for v in value.split(":", 1))
            model = ContentType.objects.get_for_id(ct_id).model_class()
            return model.objects.visible_to(self.user).get(pk=obj_id)
        except (ValueError, ContentType.DoesNotExist, AttributeError, Exception):
            raise ValidationError(_("来源记录不存在或无权查看")) from None

"""Forms of the surveys app: the office's survey form (items one per line)."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.orgs.fields import OrgChoiceField
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign

from .models import Survey

DATE = {"type": "date"}


class SurveyForm(forms.ModelForm):
    """Organization (where the user may change), campaign, title, intro, period and the
    items, one per line (``cleaned_data["items"]``: list of texts)."""

    items = forms.CharField(label=_("测评项目（每行一项）"), widget=forms.Textarea(attrs={"rows": 6}))

    class Meta:
        model = Survey
        fields = ["org", "campaign", "title", "intro", "start", "end"]
        widgets = {"start": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "end": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "intro": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        orgs = Organization.objects.restrict(user, CHANGE)
        self.fields["org"] = OrgChoiceField(queryset=orgs, label=self.fields["org"].label, action=CHANGE)
        self.fields["campaign"].queryset = Campaign.objects.visible_to(user)
        if self.instance.pk:
            self.initial["items"] = "\n".join(self.instance.items.values_list("text", flat=True))
        else:
            self.initial.setdefault("start", timezone.localdate())
            first = orgs.order_by("depth", "path").first()
            self.initial.setdefault("org", first.pk if first else None)
        for field in self.fields.values():
            css = "form-select" if isinstance(field.widget, forms.Select) else "form-control"
            field.widget.attrs.setdefault("class", css)

    def clean_items(self):
        return [line.strip() for line in self.cleaned_data["items"].splitlines() if line.strip()]


class TokenBatchForm(forms.Form):
    """How many one-time links to generate (1…500)."""

    count = forms.IntegerField(label=_("生成链接数"), min_value=1, max_value=500, initial=50)

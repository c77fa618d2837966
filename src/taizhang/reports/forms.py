"""Forms of the reports pages: what a report is about, and a template upload."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import MANAGE
from taizhang.democratic.models import LifeMeeting
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign
from taizhang.records.models import Meeting

from .kinds import KINDS


class ParamsForm(forms.Form):
    """The parameters of a report page (GET); only the fields the report uses are kept."""

    campaign = forms.ModelChoiceField(label=_("主题教育"), queryset=Campaign.objects.none(), required=False)
    org = forms.CharField(label=_("组织编码"), required=False, max_length=32,
                          help_text=_("留空：全部可见组织（总结：主题教育所属党委）"))
    meeting = forms.ModelChoiceField(label=_("会议"), queryset=Meeting.objects.none(), required=False)
    life_meeting = forms.ModelChoiceField(label=_("民主生活会"), queryset=LifeMeeting.objects.none(), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    records = forms.CharField(label=_("编入简报的记录"), required=False, max_length=2000,
                              help_text=_("记录类型:编号，以空格或逗号分隔，如 meeting:12 lecture:3"))

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        used = set(kind.needs) | set(kind.accepts)
        for name in list(self.fields):
            if name not in used:
                del self.fields[name]
        if "campaign" in self.fields:
            self.fields["campaign"].queryset = Campaign.objects.visible_to(user).exclude(status="draft")
        if "meeting" in self.fields:
            # The newest meetings the user may see (a screenful); any other by ?meeting=ID.
            recent = Meeting.objects.visible_to(user).select_related("org").order_by("-date", "-pk")
            ids = list(recent.values_list("pk", flat=True)[:50])
            if self.data.get("meeting", "").isdigit():
                ids.append(int(self.data["meeting"]))
            self.fields["meeting"].queryset = Meeting.objects.visible_to(user).filter(pk__in=ids).select_related("org")
            self.fields["meeting"].label_from_instance = lambda m: f"{m.org.name} {m}"
        if "life_meeting" in self.fields:
            self.fields["life_meeting"].queryset = LifeMeeting.objects.visible_to(user).select_related("org")
            self.fields["life_meeting"].label_from_instance = lambda m: f"{m.org.name} {m.year} {m.title}"
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")

    def raw(self) -> dict:
        """The cleaned values as ``params.resolve`` reads them."""
        data = self.cleaned_data
        return {"campaign": data.get("campaign") and data["campaign"].pk, "org": data.get("org") or "",
                "meeting": data.get("meeting") and data["meeting"].pk,
                "life_meeting": data.get("life_meeting") and data["life_meeting"].pk, "year": data.get("year"),
                "records": [r for r in re.split(r"[\s,，、]+", data.get("records") or "") if r]}


class TemplateUploadForm(forms.Form):
    """An office's own Word template of a report, for an organization it manages."""

    kind = forms.ChoiceField(label=_("报告"), choices=())
    org = forms.ModelChoiceField(label=_("组织"), queryset=Organization.objects.none())
    file = forms.FileField(label=_("Word 模板（.docx）"))

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].choices = [(k.code, k.label) for k in KINDS.values() if k.output == "docx"]
        # Committees and general branches the user manages (never a screenful of branches).
        self.fields["org"].queryset = (Organization.objects.restrict(user, MANAGE)
                                       .exclude(kind__in=["branch", "group"]).order_by("path"))
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select" if isinstance(field.widget, forms.Select)
                                          else "form-control")

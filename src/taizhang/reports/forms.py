"""Forms of the reports pages: what a report is about, and a template upload."""

from __future__ import annotations

import re

from django import forms
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import MANAGE
from taizhang.core.sources import sources
from taizhang.core.uploads import state_limit
from taizhang.core.widgets import QuickSelect
from taizhang.democratic.models import LifeMeeting
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign
from taizhang.records.models import Meeting

from .kinds import KINDS


#: How many of the newest records of each kind the brief offers (a screenful; any other stays
#: selectable by ``?records=kind:id``).
RECENT_RECORDS = 15


class RecordsField(forms.MultipleChoiceField):
    """Records picked for a brief, as "kind:id" values with readable labels. A value outside
    the offered list is passed on: ``params.resolve`` and the brief name it (unknown kind,
    not visible) in Chinese."""

    def valid_value(self, value):
        return True


def split_refs(values) -> list[str]:
    """"kind:id" references from the selected values, each of which may itself hold several
    separated by spaces or commas (the older text field, links and the command)."""
    return [r for v in values or [] for r in re.split(r"[\s,，、]+", str(v)) if r]


def record_choices(user, selected: list[str]) -> list:
    """Option groups per registered record kind (those with a menu): the newest
    :data:`RECENT_RECORDS` the user may see, labelled "organization · date · title", plus the
    ``selected`` references not among them (labelled the same when visible). One query per
    kind."""
    groups, offered = [], set()
    wanted: dict[str, set[int]] = {}
    for ref in selected:
        code, _sep, pk = ref.partition(":")
        if pk.isdigit():
            wanted.setdefault(code, set()).add(int(pk))
    for source in sources():
        if not source.menu:
            continue
        model = source.model_class
        rows = model.objects.visible_to(user).select_related(*source.related)
        recent = list(rows.order_by(f"-{source.date_field}", "-pk")[:RECENT_RECORDS])
        extra = wanted.get(source.code, set()) - {o.pk for o in recent}
        if extra:
            recent += list(rows.filter(pk__in=extra))
        if not recent:
            continue
        options = []
        for obj in recent:
            org = getattr(obj, source.org_field.split("__")[0], None) if source.org_field else None
            day = getattr(obj, source.date_field, None)
            label = " · ".join(str(x) for x in (getattr(org, "name", ""), day or "", obj) if x)
            value = f"{source.code}:{obj.pk}"
            offered.add(value)
            options.append((value, label))
        groups.append((str(source.label), options))
    rest = [(ref, ref) for ref in selected if ref not in offered]
    return groups + ([(str(_("其他")), rest)] if rest else [])


class ParamsForm(forms.Form):
    """The parameters of a report page (GET); only the fields the report uses are kept."""

    campaign = forms.ModelChoiceField(label=_("主题教育"), queryset=Campaign.objects.none(), required=False)
    org = forms.ChoiceField(label=_("组织"), required=False, widget=QuickSelect,
                            help_text=_("留空：全部可见组织（总结：主题教育所属党委）"))
    meeting = forms.ModelChoiceField(label=_("会议"), queryset=Meeting.objects.none(), required=False)
    life_meeting = forms.ModelChoiceField(label=_("民主生活会"), queryset=LifeMeeting.objects.none(), required=False)
    year = forms.IntegerField(label=_("年度"), required=False, min_value=2000, max_value=2100)
    records = RecordsField(label=_("编入简报的记录"), required=False,
                           widget=forms.SelectMultiple(attrs={"size": 10}),
                           help_text=_("按住 Ctrl（或 ⌘）可多选；按所选顺序编入"))

    def __init__(self, *args, kind, user, **kwargs):
        super().__init__(*args, **kwargs)
        used = set(kind.needs) | set(kind.accepts)
        for name in list(self.fields):
            if name not in used:
                del self.fields[name]
        if "org" in self.fields:
            # Organizations in scope by name and code (the value stays the code: links and
            # the command pass ``org=CODE``). One query; a rendered-in-Python select for a
            # city's thousand organizations (core.widgets.QuickSelect).
            orgs = Organization.objects.visible_to(user).values_list("code", "name")
            self.fields["org"].choices = [("", _("（全部可见组织）"))] + [
                (code, f"{name}（{code}）") for code, name in orgs]
        if "records" in self.fields:
            selected = split_refs(self.data.getlist("records") if hasattr(self.data, "getlist")
                                  else self.data.get("records") or [])
            self.fields["records"].choices = record_choices(user, selected)
            if self.is_bound:
                self.data = self.data.copy()
                if hasattr(self.data, "setlist"):
                    self.data.setlist("records", selected)
                else:
                    self.data["records"] = selected
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
        state_limit(self)

    def raw(self) -> dict:
        """The cleaned values as ``params.resolve`` reads them."""
        data = self.cleaned_data
        return {"campaign": data.get("campaign") and data["campaign"].pk, "org": data.get("org") or "",
                "meeting": data.get("meeting") and data["meeting"].pk,
                "life_meeting": data.get("life_meeting") and data["life_meeting"].pk, "year": data.get("year"),
                "records": split_refs(data.get("records"))}


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
        state_limit(self)

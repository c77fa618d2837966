"""Forms of the plans app: upload a task list, edit the parsed draft before confirming."""

from __future__ import annotations

import datetime as dt

from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import MANAGE
from taizhang.core.uploads import check_upload
from taizhang.core.workdays import is_workday, last_workday_on_or_before
from taizhang.orgs.fields import OrgChoiceField
from taizhang.orgs.models import Organization, OrgKind

from .evidence import evidence_choices
from .levels import check_due
from .models import Campaign, EvidenceRule, ItemKind, PlanItem, Responsible

UPLOAD_SUFFIXES = {".txt", ".md", ".docx", ".xlsx", ".xls", ".et", ".pdf", ".doc", ".wps"}

RECURRENCE_CHOICES = [
    ("", _("不重复")),
    ("FREQ=WEEKLY", _("每周")),
    ("FREQ=MONTHLY", _("每月")),
    ("FREQ=MONTHLY;INTERVAL=3", _("每季度")),
    ("FREQ=MONTHLY;INTERVAL=6", _("每半年")),
    ("FREQ=YEARLY", _("每年")),
]


class PlanUploadForm(forms.Form):
    """Upload a task-list document for an organization the user manages."""

    file = forms.FileField(label=_("任务清单文件"),
                           help_text=_("支持 .txt .md .docx .xlsx .xls .pdf；.doc/.wps 需服务器安装 LibreOffice"),
                           error_messages={"empty": _("文件是空的。")})
    org = OrgChoiceField(label=_("所属党组织"), queryset=Organization.objects.none(), action=MANAGE,
                         kinds=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH])

    @staticmethod
    def organizations(user):
        """The organizations ``user`` may import a task list for: committees and general
        branches where they hold "manage"."""
        return Organization.objects.restrict(user, MANAGE).filter(
            kind__in=[OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH]
        )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = self.organizations(user)
        self.fields["org"].queryset = qs
        if qs.count() == 1:
            self.fields["org"].initial = qs.first().pk

    def full_clean(self):
        super().full_clean()
        # Name the user's file in every message about it ("清单.docx：文件为空").
        upload = self.files.get("file") if self.files else None
        if upload is not None and "file" in self._errors:
            prefix = f"{upload.name}："
            self._errors["file"] = self.error_class(
                [m if m.startswith(prefix) else prefix + m for m in self._errors["file"]]
            )

    def clean_file(self):
        """The type and size check every import shares (``core.uploads.check_upload``)."""
        upload = self.cleaned_data["file"]
        check_upload(upload, UPLOAD_SUFFIXES,
                     wrong_type=_("不支持的文件类型 %(suffix)s，请上传 .txt、.docx、.xlsx 或 .pdf。"))
        return upload


NODE_FIELDS = ("title", "kind", "responsible", "due", "recurrence", "evidence")


def flatten(nodes: list[dict], prefix: str = "", depth: int = 0):
    """Yield (key, depth, node) for every node of a draft tree; key is like "0-2-1"."""
    for n, node in enumerate(nodes):
        key = f"{prefix}-{n}" if prefix else str(n)
        yield key, depth, node
        yield from flatten(node.get("children") or [], key, depth + 1)


def recurrence_choices(current: str | None):
    choices = list(RECURRENCE_CHOICES)
    if current and current not in dict(choices):
        choices.append((current, current))
    return choices


class DraftEditForm(forms.Form):
    """One form for the whole parsed tree; fields are named ``<key>-<field>`` per node.

    ``apply()`` writes the cleaned values back into the draft dict, recomputing
    ``due_workday`` with the working-day calendar when a deadline was edited.
    """

    title = forms.CharField(label=_("名称"), max_length=200)

    def __init__(self, *args, draft: dict, keys=None, **kwargs):
        """``keys``: the rows of the page being edited (``plans.preview``), None for all."""
        super().__init__(*args, **kwargs)
        self.draft = draft
        self.keys = set(keys) if keys is not None else None
        self.fields["title"].initial = draft.get("title")
        if draft.get("year_needed"):
            # The table's dates name no year and nothing else did (issue 16 §1): asked once,
            # every date of the draft is then read with it.
            self.fields["year"] = forms.IntegerField(
                label=_("年份"), min_value=2000, max_value=2100, required=False,
                help_text=_("表格中的日期没有写年份，请填写，所有日期将按此年份读取"))
        self.rows = []
        for key, depth, node in flatten(draft.get("items") or []):
            if self.keys is not None and key not in self.keys:
                continue
            self.fields[f"{key}-title"] = forms.CharField(
                max_length=500, initial=node.get("title"), required=True)
            self.fields[f"{key}-kind"] = forms.ChoiceField(
                choices=ItemKind.choices, initial=node.get("kind"))
            self.fields[f"{key}-responsible"] = forms.ChoiceField(
                choices=[("", "—"), *Responsible.choices], initial=node.get("responsible") or "",
                required=False)
            self.fields[f"{key}-due"] = forms.DateField(
                initial=node.get("due"), required=False,
                widget=forms.DateInput(attrs={"type": "date"}))
            self.fields[f"{key}-recurrence"] = forms.ChoiceField(
                choices=recurrence_choices(node.get("recurrence")),
                initial=node.get("recurrence") or "", required=False)
            self.fields[f"{key}-evidence"] = forms.ChoiceField(
                choices=[("", "—"), *evidence_choices(node.get("evidence"))],
                initial=node.get("evidence") or "",
                required=False)
            self.rows.append({"key": key, "depth": depth, "node": node,
                              "fields": [self[f"{key}-{name}"] for name in NODE_FIELDS]})
        for field in self.fields.values():
            css = "form-select form-select-sm" if isinstance(field, forms.ChoiceField) \
                else "form-control form-control-sm"
            field.widget.attrs.setdefault("class", css)

    def apply(self) -> dict:
        """Return the draft with the user's edits (call after ``is_valid()``)."""
        data = self.cleaned_data
        self.draft["title"] = data["title"]
        if data.get("year"):
            self.apply_year(data["year"])
        for key, _depth, node in flatten(self.draft.get("items") or []):
            if self.keys is not None and key not in self.keys:
                continue
            node["title"] = data[f"{key}-title"]
            node["kind"] = data[f"{key}-kind"]
            node["responsible"] = data[f"{key}-responsible"] or None
            node["recurrence"] = data[f"{key}-recurrence"] or None
            node["evidence"] = data[f"{key}-evidence"] or None
            due: dt.date | None = data[f"{key}-due"]
            if (due.isoformat() if due else None) != node.get("due"):
                node["due"] = due.isoformat() if due else None
                node["due_workday"] = (
                    last_workday_on_or_before(due).isoformat() if due and not is_workday(due)
                    else None
                )
        return self.draft

    def apply_year(self, year: int) -> None:
        """Read every node's deadline cell as written again with ``year``; the fields of
        the page then show those dates (an edit made on the same page still wins)."""
        from .importer.dates import parse_deadline

        latest, rolled = 0, False  # a schedule from December into January: the next year
        for key, _depth, node in flatten(self.draft.get("items") or []):
            found = parse_deadline(node.get("deadline_text") or "", year=year)
            if found is None or found.due is None:
                continue
            dates = []
            for day in found.dates:
                rolled = rolled or latest - day.month >= 6
                if rolled and day.month < 7:
                    day = day.replace(year=year + 1, day=min(day.day, 28) if day.month == 2 else day.day)
                elif not rolled:
                    latest = max(latest, day.month)
                dates.append(day)
            due = min(dates)
            node["due"] = due.isoformat()
            node["due_workday"] = (last_workday_on_or_before(due).isoformat()
                                   if not is_workday(due) else None)
            field = f"{key}-due"
            if field in self.cleaned_data and self.cleaned_data[field] is None:
                self.cleaned_data[field] = due
        self.draft["year_needed"] = False


class SubmissionForm(forms.Form):
    """A branch's written answer to a task no record proves (attachments optional)."""

    text = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs={
        "rows": 3, "class": "form-control", "placeholder": _("简要说明完成情况，不需要另附证明材料")}))


class ItemEditForm(forms.ModelForm):
    """Edit a plan task after import; the working-day deadline is recomputed on save."""

    class Meta:
        model = PlanItem
        fields = ["title", "kind", "responsible", "due", "ongoing", "recurrence", "text",
                  "records_need_review"]
        widgets = {"due": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "text": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["recurrence"] = forms.ChoiceField(
            label=_("周期"), required=False,
            choices=recurrence_choices(self.instance.recurrence))
        for field in self.fields.values():
            css = "form-select" if isinstance(field, forms.ChoiceField) else (
                "form-check-input" if isinstance(field, forms.BooleanField) else "form-control")
            field.widget.attrs.setdefault("class", css)

    def clean(self):
        data = super().clean()
        due = data.get("due")
        self.instance.due_workday = (
            last_workday_on_or_before(due) if due and not is_workday(due) else None)
        if self.instance.plan_id and self.instance.plan.campaign.derived_from_id and "due" in data:
            try:
                check_due(self.instance, due, bool(data.get("ongoing")))
            except ValidationError as exc:
                self.add_error(None, exc)
        return data


#: Labels of evidence codes the engine knows but the importer never suggests.
def rule_kind_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The record kinds a task's evidence rule may name (``plans.evidence.evidence_choices``:
    every registered evidence code, then the importer's codes no app declares yet), plus
    ``current`` when it is none of these. A code without a registered source is answered by
    a submission (DESIGN.md "Evidence rules")."""
    return [("", "—"), *evidence_choices(current)]


class RuleForm(forms.ModelForm):
    record_kind = forms.ChoiceField(label=_("记录类型"), choices=rule_kind_choices)

    class Meta:
        model = EvidenceRule
        fields = ["record_kind", "per", "min_count", "window"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["record_kind"].choices = rule_kind_choices(self.instance.record_kind)
        for name, field in self.fields.items():
            css = "form-select" if isinstance(field, forms.ChoiceField) else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-control-sm")


RuleFormSet = forms.inlineformset_factory(
    PlanItem, EvidenceRule, form=RuleForm, extra=1, can_delete=True)


class CampaignForm(forms.ModelForm):
    """The campaign's name and period (the period the importer found, or none: then set it
    here before publishing, so recurring tasks get their periods)."""

    class Meta:
        model = Campaign
        fields = ["title", "start", "end"]
        widgets = {"start": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "end": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

    # the period is checked by Campaign.clean (models.period_problem), which the form runs


class ItemAddForm(forms.Form):
    """A task the unit adds to its plan (issue 12 §1), under a section or task of the plan."""

    parent = forms.ModelChoiceField(label=_("所属条目"), queryset=PlanItem.objects.none(),
                                    required=False)
    title = forms.CharField(label=_("标题"), max_length=500)
    responsible = forms.ChoiceField(label=_("责任层级"), choices=Responsible.choices)
    due = forms.DateField(label=_("完成时限"), required=False,
                          widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"))
    recurrence = forms.ChoiceField(label=_("周期"), choices=RECURRENCE_CHOICES, required=False)
    text = forms.CharField(label=_("内容"), required=False, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, plan, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["parent"].queryset = plan.items.exclude(kind=ItemKind.NOTE).order_by(
            "line_first", "position")
        for field in self.fields.values():
            field.widget.attrs.setdefault(
                "class", "form-select" if isinstance(field, forms.ChoiceField) else "form-control")


class PlanReviewForm(forms.Form):
    """The comment of a review step (required when returning)."""

    comment = forms.CharField(label=_("意见"), required=False,
                              widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))


# The roles a table column may be given in the preview (keys of ``importer.overrides.ROLES``).
COLUMN_ROLE_CHOICES = [
    ("task", _("任务")), ("measure", _("措施")), ("deadline", _("完成时限")),
    ("units", _("责任单位")), ("people", _("负责人")), ("lead", _("牵头单位")),
    ("seq", _("序号")), ("subseq", _("子项编号")), ("remark", _("备注")), ("ignore", _("不导入")),
]


class TableLayoutForm(forms.Form):
    """The sheet read and each header column's role, as the importer took them
    (``draft["layout"]``, see ``importer.overrides.layout_of``); changing them reads the kept
    upload again. Fields: ``sheet`` (one of the workbook's sheets) and ``col-<index>`` per
    header column (a :data:`COLUMN_ROLE_CHOICES` key)."""

    sheet = forms.ChoiceField(label=_("工作表"))

    def __init__(self, *args, layout: dict, **kwargs):
        super().__init__(*args, **kwargs)
        self.layout = layout
        self.fields["sheet"].choices = [(name, name) for name in layout.get("sheets") or []]
        self.fields["sheet"].initial = layout.get("sheet")
        self.column_fields = []
        for column in layout.get("columns") or []:
            name = f"col-{column['index']}"
            self.fields[name] = forms.ChoiceField(
                label=f"{column['index'] + 1}. {column['header'] or '—'}",
                choices=COLUMN_ROLE_CHOICES, initial=column["role"])
            self.column_fields.append(self[name])
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-select form-select-sm")

    def overrides(self) -> dict:
        """{"sheet": name or None, "columns": {index: role} or None} for ``parse_file``
        (call after ``is_valid()``): a sheet other than the one read is read by its own
        header, so the columns of the old one are not applied to it."""
        sheet = self.cleaned_data["sheet"]
        if sheet != self.layout.get("sheet"):
            return {"sheet": sheet, "columns": None}
        columns = {int(name[4:]): role for name, role in self.cleaned_data.items() if name.startswith("col-")}
        return {"sheet": sheet if self.layout.get("picked") else None, "columns": columns}

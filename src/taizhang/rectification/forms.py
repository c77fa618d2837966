"""Forms of the rectification app. Organization and leader choices are limited to what the
user may see or change (the form receives ``user``)."""

from __future__ import annotations

from pathlib import Path

from django import forms
from django.conf import settings
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.core.uploads import state_limit
from taizhang.orgs.fields import OrgChoiceField
from taizhang.orgs.models import LeadershipMember, Organization

from .models import Problem, ProblemSource, Rectification, RectificationKind, deadline_error

DATE = forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d")
TEXT = {"rows": 3}


def style_fields(form) -> None:
    """Tabler/Bootstrap classes on every visible widget (as elsewhere on the site):
    form-select for choices, form-check-input for checkboxes, form-control otherwise."""
    for field in form.fields.values():
        widget = field.widget
        if widget.is_hidden:
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class StyledForm(forms.Form):
    """A form whose widgets carry the site's classes (:func:`style_fields`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


def leader_choices(user):
    """Leadership-team members the user may see (a branch reads its committee's team)."""
    return LeadershipMember.objects.visible_to(user).select_related("member").order_by("team", "order")


class LeaderChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member.name}（{obj.title}）"


class ProblemForm(forms.ModelForm):
    """A problem: organization (where the user may change), source, category, level, text."""

    org = OrgChoiceField(label=_("组织"), queryset=Organization.objects.none(), action=CHANGE)

    class Meta:
        model = Problem
        fields = ["org", "source", "category", "level", "found_on", "found_by", "description", "remarks"]
        widgets = {"found_on": DATE, "description": forms.Textarea(attrs={
            "rows": 4, "hx-get": "", "hx-trigger": "keyup changed delay:600ms",
            "hx-target": "#similar", "hx-include": "[name=org]"}), "remarks": forms.Textarea(attrs=TEXT)}

    def __init__(self, *args, user=None, similar_url: str = "", **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["org"].queryset = Organization.objects.restrict(user, CHANGE)
        self.fields["source"].queryset = ProblemSource.objects.filter(is_active=True)
        self.fields["description"].widget.attrs["hx-get"] = similar_url
        if self.instance.pk:
            self.fields["org"].disabled = True
        elif not self.initial.get("org"):
            # Like the record forms: the user's first branch (a secretary has one), not a blank.
            orgs = self.fields["org"].queryset
            first = orgs.filter(kind="branch").first() or orgs.first()
            self.initial["org"] = first.pk if first else None
        style_fields(self)


class MeasureForm(forms.ModelForm):
    """A measure; the deadline is editable only while none is set (then: extension request).
    ``version`` carries the version the editor started from (optimistic locking)."""

    leader = LeaderChoiceField(label=_("责任领导"), queryset=LeadershipMember.objects.none(),
                               required=False)
    department_org = OrgChoiceField(label=_("责任组织"), queryset=Organization.objects.none(),
                                    required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Rectification
        fields = ["measure", "target", "kind", "deadline", "milestone", "leader", "leader_name",
                  "department_org", "department", "person"]
        widgets = {"deadline": DATE, "measure": forms.Textarea(attrs=TEXT),
                   "target": forms.Textarea(attrs={"rows": 2})}
        help_texts = {"leader_name": _("责任领导不在班子名单中时填写姓名"),
                      "department": _("如办公室、财务科等（不一定是党组织）"),
                      "deadline": _("遇节假日自动提示前一个工作日；设定后如需调整请申请延期")}

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = leader_choices(user)
        self.fields["department_org"].queryset = Organization.objects.visible_to(user)
        if self.instance.pk:
            self.fields["version"].initial = self.instance.version
            if self.instance.deadline:
                self.fields["deadline"].disabled = True
        style_fields(self)

    def clean(self):
        data = super().clean()
        if data.get("kind") == RectificationKind.DEADLINE and not data.get("deadline"):
            self.add_error("deadline", _("限期整改的措施必须填写整改时限。"))
        if not data.get("leader") and not data.get("leader_name"):
            self.add_error("leader", _("请选择或填写责任领导。"))
        problem = self.instance.problem if self.instance.problem_id else None
        late = deadline_error(problem, data.get("deadline")) if "deadline" not in self.errors else None
        if late:
            self.add_error("deadline", late)
        return data


class UpdateForm(StyledForm):
    """A rolling progress update with an optional file."""

    reported_on = forms.DateField(label=_("日期"), widget=DATE)
    done = forms.CharField(label=_("已开展工作"), widget=forms.Textarea(attrs=TEXT))
    difficulties = forms.CharField(label=_("存在困难"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    next_step = forms.CharField(label=_("下一步计划"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    help_needed = forms.CharField(label=_("需要协调事项"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("附件（可选）"), required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state_limit(self)

    def clean_file(self):
        return _checked_file(self.cleaned_data.get("file"))


class CompleteForm(StyledForm):
    """申报完成: 完成情况 and evidence (a description or a file)."""

    completion_note = forms.CharField(label=_("完成情况"), widget=forms.Textarea(attrs=TEXT))
    evidence = forms.CharField(label=_("佐证材料说明"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    file = forms.FileField(label=_("佐证附件（可选）"), required=False)
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        state_limit(self)

    def clean_file(self):
        return _checked_file(self.cleaned_data.get("file"))


class TransitionForm(StyledForm):
    """A move of a measure: the reviewer's comment or reason, and the version read."""

    comment = forms.CharField(label=_("意见/理由"), required=False, widget=forms.Textarea(attrs={"rows": 2}))
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)


class ExtensionForm(StyledForm):
    """An extension request: the new deadline and the reason."""

    new_deadline = forms.DateField(label=_("申请延至"), widget=DATE)
    reason = forms.CharField(label=_("延期理由"), widget=forms.Textarea(attrs={"rows": 2}))


class LedgerUploadForm(StyledForm):
    """A ledger workbook and the organization whose problem list it goes into (its type and
    size are checked, naming it, by the import view: ``core.uploads.check_upload``)."""

    file = forms.FileField(label=_("台账文件"), help_text=_("支持 .xlsx（也可 .xls、.et、.ods）"))
    org = OrgChoiceField(label=_("导入到"), queryset=Organization.objects.none(), action=CHANGE)

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        qs = Organization.objects.restrict(user, CHANGE).exclude(kind="group")
        self.fields["org"].queryset = qs
        first = qs.first()
        if first is not None:
            self.fields["org"].initial = first.pk



def _checked_file(upload):
    if upload is None:
        return None
    if upload.size > settings.TAIZHANG_MAX_UPLOAD_BYTES:
        raise forms.ValidationError(_("文件过大（上限 %(mb)s MB）。") % {
            "mb": f"{settings.TAIZHANG_MAX_UPLOAD_BYTES / (1024 * 1024):g}"})
    from taizhang.core.views_attachments import BLOCKED_SUFFIXES

    if Path(upload.name).suffix.lower() in BLOCKED_SUFFIXES:
        raise forms.ValidationError(_("不允许上传此类文件。"))
    return upload

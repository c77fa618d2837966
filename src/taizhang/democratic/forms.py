"""Forms of the democratic app; organizations limited to those with a leadership team where
the user may change things, leaders to those teams' members."""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE
from taizhang.orgs.models import LeadershipMember, Organization

from .models import LifeMeeting, Opinion, SelfExamination

DATE = {"type": "date"}


def style(form) -> None:
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput):
            css = "form-check-input"
        elif isinstance(widget, forms.Select | forms.SelectMultiple):
            css = "form-select"
        else:
            css = "form-control"
        widget.attrs.setdefault("class", css)


class LeaderField(forms.ModelChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member.name}（{obj.title}）"


class LeadersField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, obj):
        return f"{obj.member.name}（{obj.title}）"


class _Base(forms.ModelForm):
    """Organization: those with a leadership team the user may change (the first one by
    default); dates default to today, the year to the current one."""

    leader_fields: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.orgs = Organization.objects.restrict(user, CHANGE).filter(leadership_team__isnull=False)
        self.fields["org"].queryset = self.orgs
        self.fields["org"].help_text = _("有领导班子的组织")
        leaders = LeadershipMember.objects.filter(team__org__in=self.orgs).select_related("member", "team")
        for name in self.leader_fields:
            old = self.fields[name]
            self.fields[name] = LeaderField(queryset=leaders, required=False, label=old.label, help_text=old.help_text)
        if not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
            self.initial.setdefault("year", timezone.localdate().year)
            first = self.orgs.order_by("depth", "path").first()
            if self.initial.get("org") not in {o.pk for o in self.orgs}:
                self.initial["org"] = first.pk if first else None


class OpinionForm(_Base):
    """An opinion: organization, year, date, channel, who gave it, text, to whom, answer."""

    leader_fields = ("addressee",)

    class Meta:
        model = Opinion
        fields = ["org", "year", "date", "channel", "giver", "text", "addressee", "answer", "answered_on"]
        widgets = {"date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "answered_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "text": forms.Textarea(attrs={"rows": 4}), "answer": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style(self)


class SelfExaminationForm(_Base):
    """A material: organization, year, whose (empty = the team's), title, date, text or a
    Word file (a new version on every change), and whether the superior reviews it."""

    leader_fields = ("leader",)
    upload = forms.FileField(label=_("上传 Word 文件"), required=False, help_text=_("仅限 .docx；上传后保存为新版本"))

    class Meta:
        model = SelfExamination
        fields = ["org", "year", "leader", "title", "date", "content", "needs_superior"]
        widgets = {"date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"), "content": forms.Textarea(attrs={"rows": 12})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        self.fields["title"].help_text = _("留空则自动生成")
        style(self)


class LifeMeetingForm(_Base):
    """The meeting record: organization (its leadership team attends), year, theme, date,
    place, the superior's observers, members on leave (with the reason), the summary, the
    report's date and the circle it is notified to."""

    absent = LeadersField(queryset=LeadershipMember.objects.none(), required=False, label=_("请假的班子成员"),
                          widget=forms.CheckboxSelectMultiple)
    absence_reason = forms.CharField(label=_("请假原因"), required=False, max_length=200)

    class Meta:
        model = LifeMeeting
        fields = ["org", "year", "title", "date", "place", "observers", "summary", "reported_on", "notice_scope"]
        widgets = {"date": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "reported_on": forms.DateInput(attrs=DATE, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 6})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["absent"].queryset = LeadershipMember.objects.filter(team__org__in=self.orgs).select_related(
            "member").order_by("team", "order")
        meeting = self.instance.meeting if self.instance.pk else None
        if meeting is not None:
            rows = [a for a in meeting.attendance.all() if a.status != "present"]
            self.initial.setdefault("absent", list(LeadershipMember.objects.filter(
                team=self.instance.team, member__in=[a.member_id for a in rows]).values_list("pk", flat=True)))
            self.initial.setdefault("absence_reason", next((a.reason for a in rows if a.reason), ""))
        style(self)
        self.fields["absent"].widget.attrs["class"] = "form-check-input"

    def absences(self) -> dict:
        """{member: reason} of the members on leave."""
        reason = self.cleaned_data.get("absence_reason") or str(_("请假"))
        return {lm.member: reason for lm in self.cleaned_data.get("absent") or []}


class ReviewForm(forms.Form):
    """A review round: approve, or return with comments."""

    comment = forms.CharField(label=_("审核意见"), required=False, widget=forms.Textarea(attrs={"rows": 3,
                                                                                             "class": "form-control"}))


class SupervisionForm(forms.Form):
    """A supervised department of a team member and its head (the talk matrix's third pairs)."""

    leader = LeaderField(queryset=LeadershipMember.objects.none(), label=_("班子成员"))
    department = forms.CharField(label=_("分管部门"), max_length=100)
    head = forms.ModelChoiceField(queryset=LeadershipMember.objects.none(), label=_("部门负责人"))

    def __init__(self, *args, team=None, **kwargs):
        from taizhang.orgs.models import Member

        super().__init__(*args, **kwargs)
        self.fields["leader"].queryset = LeadershipMember.objects.filter(team=team).select_related("member")
        self.fields["head"].queryset = (Member.objects.filter(org__path__startswith=team.org.path, is_active=True)
                                        .select_related("org").order_by("org__path", "name")) if team else \
            self.fields["head"].queryset
        style(self)

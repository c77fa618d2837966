"""Entry forms of the records app: quick to fill for a branch secretary (DESIGN.md step 4).

Only what the regulations need is required (the org, the date, the kind; a topic where a
record has nothing else to name it). Organization choices are limited to where the user may
change things; people to the members the user may see plus the leaders of superior teams
(a committee secretary lecturing a branch). Attendance is a checklist of the members (see
:class:`AttendanceChecklist`), parsed into the rows that ``services.set_attendance`` takes.
"""

from __future__ import annotations

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.badinput import is_out_of_range
from taizhang.core.scoping import CHANGE
from taizhang.orgs.fields import MemberChoiceField, MembersChoiceField, OrgChoiceField, pickable_members
from taizhang.orgs.models import Member, Organization, OrgKind

from . import services
from .models import (
    AttendanceStatus,
    Lecture,
    Meeting,
    MeetingKind,
    Motion,
    Reading,
    ResearchVisit,
    SelfStudy,
    StudySession,
    Suggestion,
    Talk,
)

NOT_EXPECTED = "none"  # checklist value: not among the expected attendees


def changeable_orgs(user):
    """Organizations where ``user`` may record (tree order)."""
    return Organization.objects.restrict(user, CHANGE)


def default_org(user, kind: str | None = None):
    """The organization a new record of ``kind`` opens on: for a leadership-team meeting
    (``TEAM_KINDS``: 党委会, 中心组学习, 民主生活会 …) the first changeable organization with a
    leadership team; otherwise (or when there is none) the first changeable branch, else the
    first changeable organization; None when the user may change nothing."""
    from .models import TEAM_KINDS

    orgs = changeable_orgs(user)
    if kind in TEAM_KINDS:
        team_org = orgs.filter(leadership_team__isnull=False).order_by("depth", "path").first()
        if team_org is not None:
            return team_org
    return orgs.filter(kind=OrgKind.BRANCH).first() or orgs.first()


def people_for(user):
    """Members ``user`` may pick: visible members and leaders of visible leadership teams
    (``orgs.fields.pickable_members``)."""
    return pickable_members(user)


class RecentModelChoiceIterator(forms.models.ModelChoiceIterator):
    """Choices of a :class:`RecentChoiceField`: the first ``display_limit`` rows of the
    queryset (its ordering, e.g. the most recent meetings) plus the rows currently chosen."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        rows = list(self.queryset[: self.field.display_limit])
        shown = {str(row.pk) for row in rows}
        # an id beyond the database's integer range (tampered) is never looked up: SQLite
        # raises OverflowError on it (issue 13 §4)
        missing = [pk for pk in self.field.keep_values if pk not in shown and not is_out_of_range(pk)]
        if missing:
            try:
                rows += list(self.queryset.filter(pk__in=missing))
            except (ValueError, TypeError):  # a tampered value: nothing more to show
                pass
        for row in rows:
            yield self.choice(row)

    def __len__(self):
        return sum(1 for _choice in self)

    def __bool__(self):
        return self.field.empty_label is not None or self.queryset.exists()


class RecentChoiceField(forms.ModelChoiceField):
    """A model choice that validates against the whole (scoped) queryset but renders only
    the first ``display_limit`` rows plus the current value, so a long list stays usable.

    Never slice the queryset of a ModelChoiceField: Django then cannot look the chosen row
    up and every choice is refused as "该选择不在可用的选项中". Set ``keep_values`` (pks as
    strings) to the bound or initial value so it is always among the rendered options.
    """

    iterator = RecentModelChoiceIterator

    def __init__(self, *args, display_limit: int = 200, **kwargs):
        self.display_limit = display_limit
        self.keep_values: list[str] = []
        super().__init__(*args, **kwargs)

    def __deepcopy__(self, memo):
        result = super().__deepcopy__(memo)
        result.keep_values = list(self.keep_values)
        return result


class RecordForm(forms.ModelForm):
    """Base form: ``user`` limits choices; Tabler classes; HTML5 date/time inputs; the org
    defaults to the user's first changeable branch and dates to today."""

    person_fields: tuple[str, ...] = ()

    def __init__(self, *args, user=None, **kwargs):
        self.user = user
        super().__init__(*args, **kwargs)
        orgs = changeable_orgs(user)
        if "org" in self.fields:
            self.fields["org"] = OrgChoiceField(queryset=orgs, label=_("组织"), action=CHANGE, show="kind")
            if not self.instance.pk and not self.initial.get("org"):
                first = orgs.filter(kind=OrgKind.BRANCH).first() or orgs.first()
                self.initial["org"] = first.pk if first else None
        people = people_for(user)
        for name in self.person_fields:
            if name in self.fields:
                field = self.fields[name]
                self.fields[name] = MemberChoiceField(queryset=people, required=field.required,
                                                      label=field.label, help_text=field.help_text)
        if "date" in self.fields and not self.instance.pk:
            self.initial.setdefault("date", timezone.localdate())
        for field in self.fields.values():
            widget = field.widget
            if isinstance(widget, forms.DateInput):
                widget.input_type = "date"
                widget.format = "%Y-%m-%d"
            elif isinstance(widget, forms.TimeInput):
                widget.input_type = "time"
                widget.format = "%H:%M"
            if isinstance(widget, forms.CheckboxInput):
                widget.attrs.setdefault("class", "form-check-input")
            elif isinstance(widget, (forms.Select, forms.SelectMultiple)):
                widget.attrs.setdefault("class", "form-select")
            else:
                widget.attrs.setdefault("class", "form-control")
            if isinstance(widget, forms.Textarea):
                widget.attrs["rows"] = 3


class AttendanceChecklist:
    """The attendance part of a meeting / study form.

    Shows every candidate member (default attendees, current rows and the other members of
    the org) with a status radio (出席 / 请假 / 缺席 / 不计入应到), a reason and the voting
    flag. POST names: ``att-<member id>``, ``reason-<member id>``, ``voting-<member id>``.
    """

    def __init__(self, org, kind=None, team=None, record=None, data=None):
        self.org, self.kind, self.team, self.record, self.data = org, kind, team, record, data
        self.rows = self._build()
        self.errors: list[str] = []

    def _build(self) -> list[dict]:
        if self.org is None:
            return []
        defaults = services.default_attendees(self.org, self.kind, self.team)
        existing = {a.member_id: a for a in self.record.attendance.select_related("member")} \
            if self.record is not None and self.record.pk else {}
        candidates = {m.pk: m for m in defaults}
        for row in existing.values():
            candidates.setdefault(row.member_id, row.member)
        if self.team is None:
            others = Member.objects.filter(is_active=True)
            others = others.filter(group=self.org) if self.org.kind == OrgKind.GROUP else others.filter(org=self.org)
            for m in others.order_by("name", "pk"):
                candidates.setdefault(m.pk, m)
        default_ids = {m.pk for m in defaults}
        rows = []
        for member in candidates.values():
            row = existing.get(member.pk)
            if row is not None:
                status, reason, voting = row.status, row.reason, row.voting
            elif existing:
                status, reason, voting = NOT_EXPECTED, "", member.status == "full"
            else:
                status = AttendanceStatus.PRESENT if member.pk in default_ids else NOT_EXPECTED
                reason, voting = "", member.status == "full"
            if self.data is not None:
                status = self.data.get(f"att-{member.pk}", status)
                reason = self.data.get(f"reason-{member.pk}", "")
                voting = bool(self.data.get(f"voting-{member.pk}"))
            rows.append({"member": member, "status": status, "reason": reason, "voting": voting,
                         "signed_in": bool(row and row.signed_in_at)})
        return rows

    def cleaned_rows(self) -> list[dict]:
        """Rows for ``services.set_attendance`` (members marked 不计入 left out)."""
        result = []
        for row in self.rows:
            if row["status"] == NOT_EXPECTED:
                continue
            if row["status"] not in AttendanceStatus.values:
                self.errors.append(_("%(name)s 的出席情况无效。") % {"name": row["member"].name})
                continue
            result.append({"member": row["member"], "status": row["status"],
                           "reason": row["reason"], "voting": row["voting"]})
        return result

    @property
    def choices(self):
        return [*AttendanceStatus.choices, (NOT_EXPECTED, _("不计入"))]

    def summary(self) -> dict:
        counted = [r for r in self.rows if r["status"] != NOT_EXPECTED]
        present = sum(1 for r in counted if r["status"] == AttendanceStatus.PRESENT)
        return {"expected": len(counted), "present": present, "absent": len(counted) - present}


class MeetingForm(RecordForm):
    """A meeting: kind, org, date and time, place, host, recorder, topics, minutes, decisions."""

    person_fields = ("host", "recorder")

    class Meta:
        model = Meeting
        fields = ["kind", "org", "title", "date", "start_time", "end_time", "place", "host",
                  "recorder", "topics", "minutes", "decisions", "invitees", "notes",
                  "sign_in_enabled"]
        widgets = {"date": forms.DateInput(), "start_time": forms.TimeInput(),
                   "end_time": forms.TimeInput(), "topics": forms.Textarea(),
                   "minutes": forms.Textarea(), "decisions": forms.Textarea(),
                   "notes": forms.Textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["kind"].initial = MeetingKind.BRANCH_COMMITTEE_MEETING
        self.fields["sign_in_enabled"].help_text = _("默认关闭；由记录人勾选出席情况即可，扫码签到只是可选的便利。")
        for name in ("kind", "org"):
            self.fields[name].widget.attrs.update({
                "hx-get": "", "hx-trigger": "change", "hx-target": "#attendance",
                "hx-select": "#attendance", "hx-swap": "outerHTML", "hx-include": "#object-form",
            })


class StudySessionForm(RecordForm):
    person_fields = ("leader",)

    class Meta:
        model = StudySession
        fields = ["kind", "theme", "org", "topic", "date", "place", "leader", "hours",
                  "readings", "speakers", "content", "outcomes"]
        widgets = {"date": forms.DateInput(), "content": forms.Textarea(), "outcomes": forms.Textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["readings"].queryset = Reading.objects.visible_to(self.user).select_related("campaign")
        self.fields["readings"].widget.attrs["size"] = 4
        self.fields["theme"].choices = [("", _("自选主题"))] + self.fields["theme"].choices[1:]
        self.fields["org"].widget.attrs.update({
            "hx-get": "", "hx-trigger": "change", "hx-target": "#attendance",
            "hx-select": "#attendance", "hx-swap": "outerHTML", "hx-include": "#object-form",
        })


class MotionForm(forms.ModelForm):
    class Meta:
        model = Motion
        fields = ["title", "kind", "yes", "no", "abstain"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["title"].required = False
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select form-select-sm" if name == "kind"
                                          else "form-control form-control-sm")
            if name in ("yes", "no", "abstain"):
                field.widget.attrs["style"] = "width:5rem"


MotionFormSet = forms.modelformset_factory(Motion, form=MotionForm, extra=1, can_delete=False)


class SelfStudyForm(RecordForm):
    person_fields = ("member",)

    class Meta:
        model = SelfStudy
        fields = ["org", "member", "reading", "title", "date", "hours", "notes"]
        widgets = {"date": forms.DateInput(), "notes": forms.Textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reading"].queryset = Reading.objects.visible_to(self.user)


class LectureForm(RecordForm):
    person_fields = ("speaker",)

    class Meta:
        model = Lecture
        fields = ["kind", "org", "title", "speaker", "co_speakers", "audience", "date", "place",
                  "audience_count", "meeting", "summary"]
        widgets = {"date": forms.DateInput(), "summary": forms.Textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        co_speakers = self.fields["co_speakers"]
        self.fields["co_speakers"] = MembersChoiceField(
            queryset=people_for(self.user), required=False, label=co_speakers.label,
            help_text=co_speakers.help_text)
        self.fields["co_speakers"].widget.attrs.update({"class": "form-select", "size": 6})
        self.fields["audience"] = OrgChoiceField(queryset=Organization.objects.visible_to(self.user),
                                                 label=_("听课对象"), required=False, show="kind",
                                                 help_text=_("不填则为本组织"))
        meeting = self.fields["meeting"]
        # Validate against every meeting the user may change; show the 200 most recent
        # (Meeting is ordered by date, newest first) plus the one already chosen.
        self.fields["meeting"] = RecentChoiceField(
            queryset=Meeting.objects.restrict(self.user, CHANGE).filter(
                kind__in=[MeetingKind.PARTY_LECTURE, MeetingKind.THEME_PARTY_DAY,
                          MeetingKind.BRANCH_GENERAL_MEETING, MeetingKind.GROUP_MEETING]),
            required=False, label=meeting.label, display_limit=200,
            help_text=_("在三会一课会议上讲的党课可关联该会议，出席情况不必重复填写。"))
        current = self["meeting"].value()
        self.fields["meeting"].keep_values = [str(current)] if current not in (None, "") else []
        for name in ("audience", "meeting"):
            self.fields[name].widget.attrs["class"] = "form-select"

    def clean(self):
        data = super().clean()
        if not data.get("audience") and data.get("org"):
            data["audience"] = data["org"]
            self.instance.audience = data["org"]
        return data


class ResearchVisitForm(RecordForm):
    person_fields = ("leader",)

    class Meta:
        model = ResearchVisit
        fields = ["org", "topic", "leader", "participants", "place", "date", "method",
                  "findings", "suggestions", "report_status", "report_title", "outcomes", "shared_on"]
        widgets = {"date": forms.DateInput(), "shared_on": forms.DateInput(),
                   "findings": forms.Textarea(), "suggestions": forms.Textarea(),
                   "outcomes": forms.Textarea()}


class TalkForm(RecordForm):
    person_fields = ("party_a", "party_b")

    class Meta:
        model = Talk
        fields = ["org", "party_a", "party_b", "date", "place", "relation", "mode", "purpose",
                  "topics", "opinions", "advice", "follow_up"]
        widgets = {"date": forms.DateInput(), "topics": forms.Textarea(),
                   "opinions": forms.Textarea(), "advice": forms.Textarea(),
                   "follow_up": forms.Textarea()}


class SuggestionForm(RecordForm):
    person_fields = ("member",)

    class Meta:
        model = Suggestion
        fields = ["org", "date", "anonymous", "member", "channel", "content"]
        widgets = {"date": forms.DateInput(), "content": forms.Textarea()}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["member"].required = False
        self.fields["member"].help_text = _("匿名时不记录提出人")


class ReadingForm(RecordForm):
    class Meta:
        model = Reading
        fields = ["org", "campaign", "title", "note", "order"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        from taizhang.plans.models import Campaign

        self.fields["campaign"].queryset = Campaign.objects.visible_to(self.user)


class AnswerForm(forms.Form):
    reply = forms.CharField(label=_("办理答复"), widget=forms.Textarea(attrs={"rows": 3, "class": "form-control"}))
    replied_on = forms.DateField(label=_("答复日期"), required=False,
                                 widget=forms.DateInput(attrs={"type": "date", "class": "form-control"}))


class MySuggestionForm(forms.Form):
    """A member's own suggestion to the branch (no office role needed)."""

    content = forms.CharField(label=_("意见建议内容"), widget=forms.Textarea(attrs={"rows": 5, "class": "form-control"}))
    anonymous = forms.BooleanField(label=_("匿名提交（不记录提出人）"), required=False,
                                   widget=forms.CheckboxInput(attrs={"class": "form-check-input"}))


class MySelfStudyForm(forms.ModelForm):
    """A member logging their own self-study."""

    class Meta:
        model = SelfStudy
        fields = ["reading", "title", "date", "hours", "notes"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, member=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["reading"].queryset = Reading.objects.filter(
            org__path__in=services.ancestor_paths(member.org)) if member else Reading.objects.none()
        self.initial.setdefault("date", timezone.localdate())
        for name, field in self.fields.items():
            field.widget.attrs.setdefault("class", "form-select" if name == "reading" else "form-control")


class MyMicroLectureForm(forms.ModelForm):
    """A member recording the 微党课 he or she gave (seed 三.2（2）"普通党员全员讲好微党课"):
    speaker, organization, audience and kind are the member's own and are not asked."""

    class Meta:
        model = Lecture
        fields = ["title", "date", "place", "audience_count", "summary"]
        widgets = {"date": forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
                   "summary": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.initial.setdefault("date", timezone.localdate())
        for field in self.fields.values():
            field.widget.attrs.setdefault("class", "form-control")

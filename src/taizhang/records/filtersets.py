"""Filters of the record lists (one FilterSet per kind for the page, the Excel ledger and the
API): organization subtree, date range, kind, text search. Organization choices are limited
to what the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import Organization

from .models import (
    Attendance,
    AttendanceStatus,
    Lecture,
    LectureKind,
    Meeting,
    MeetingKind,
    Reading,
    ReportStatus,
    ResearchVisit,
    SelfStudy,
    StudyKind,
    StudySession,
    StudyTheme,
    Suggestion,
    SuggestionStatus,
    Talk,
    TalkRelation,
)


def visible_orgs(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user)


class RecordFilterSet(django_filters.FilterSet):
    """``?org=`` (the org's whole subtree), ``?date_after=&date_before=`` (YYYY-MM-DD),
    ``?q=`` searched in ``search_fields``."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    date = django_filters.DateFromToRangeFilter(
        label=_("日期"), widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    search_fields: tuple[str, ...] = ()

    def in_subtree(self, queryset, name, value):
        field = queryset.model.scope_org_field
        return queryset.filter(**{f"{field}__path__startswith": value.path}) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name, field in self.form.fields.items():
            widget = field.widget
            css = "form-select form-select-sm" if hasattr(widget, "choices") and name != "date" else "form-control form-control-sm"
            if hasattr(widget, "widgets"):
                for sub in widget.widgets:
                    sub.attrs.setdefault("class", "form-control form-control-sm")
                    sub.input_type = "date"
            else:
                widget.attrs.setdefault("class", css)


class MeetingFilterSet(RecordFilterSet):
    kind = django_filters.MultipleChoiceFilter(choices=MeetingKind.choices, label=_("会议类型"))
    search_fields = ("title", "topics", "minutes", "place")

    class Meta:
        model = Meeting
        fields = ["org", "kind", "date", "q"]


class StudySessionFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=StudyKind.choices, label=_("学习形式"), empty_label=_("全部"))
    theme = django_filters.ChoiceFilter(choices=StudyTheme.choices, label=_("专题"), empty_label=_("全部"))
    search_fields = ("topic", "content", "speakers")

    class Meta:
        model = StudySession
        fields = ["org", "kind", "theme", "date", "q"]


class SelfStudyFilterSet(RecordFilterSet):
    search_fields = ("member__name", "title", "reading__title")

    class Meta:
        model = SelfStudy
        fields = ["org", "date", "q"]


class LectureFilterSet(RecordFilterSet):
    kind = django_filters.ChoiceFilter(choices=LectureKind.choices, label=_("类型"), empty_label=_("全部"))
    search_fields = ("title", "speaker__name")

    class Meta:
        model = Lecture
        fields = ["org", "kind", "date", "q"]


class ResearchVisitFilterSet(RecordFilterSet):
    report_status = django_filters.ChoiceFilter(choices=ReportStatus.choices, label=_("调研报告"),
                                                empty_label=_("全部"))
    search_fields = ("topic", "place", "findings", "leader__name")

    class Meta:
        model = ResearchVisit
        fields = ["org", "report_status", "date", "q"]


class TalkFilterSet(RecordFilterSet):
    relation = django_filters.ChoiceFilter(choices=TalkRelation.choices, label=_("关系类型"),
                                           empty_label=_("全部"))
    search_fields = ("party_a__name", "party_b__name", "topics")

    class Meta:
        model = Talk
        fields = ["org", "relation", "date", "q"]


class SuggestionFilterSet(RecordFilterSet):
    status = django_filters.ChoiceFilter(choices=SuggestionStatus.choices, label=_("办理状态"),
                                         empty_label=_("全部"))
    search_fields = ("content", "reply", "channel")

    class Meta:
        model = Suggestion
        fields = ["org", "status", "date", "q"]


def visible_campaigns(request):
    from taizhang.plans.models import Campaign

    return Campaign.objects.visible_to(request.user) if request else Campaign.objects.none()


class ReadingFilterSet(django_filters.FilterSet):
    campaign = django_filters.ModelChoiceFilter(queryset=visible_campaigns, label=_("主题教育"))

    class Meta:
        model = Reading
        fields = ["campaign"]


class AttendanceFilterSet(RecordFilterSet):
    """Attendance rows (the attendance ledger and the API): the meeting's org and date."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", field_name="meeting__org",
                          label=_("组织"))
    date = django_filters.DateFromToRangeFilter(field_name="meeting__date", label=_("日期"))
    kind = django_filters.MultipleChoiceFilter(field_name="meeting__kind", choices=MeetingKind.choices,
                                               label=_("会议类型"))
    status = django_filters.ChoiceFilter(choices=AttendanceStatus.choices, label=_("出席情况"))
    search_fields = ("member__name",)

    class Meta:
        model = Attendance
        fields = ["org", "kind", "date", "status", "meeting", "member", "q"]

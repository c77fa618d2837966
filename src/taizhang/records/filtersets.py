"""Filters of the record lists (one FilterSet per kind for the page, the Excel ledger and the
API): organization subtree, date range, kind, text search. Organization choices are limited
to what the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter, OrgScopedFilterSet, visible_orgs

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


class RecordFilterSet(OrgScopedFilterSet):
    """``?org=`` (the org's whole subtree), ``?date_after=&date_before=`` (YYYY-MM-DD),
    ``?q=`` searched in ``search_fields`` (``orgs.filtersets.OrgScopedFilterSet``)."""

    date = django_filters.DateFromToRangeFilter(
        label=_("日期"), widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))


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

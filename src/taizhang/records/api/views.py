"""REST endpoints of every record kind, scoped exactly like the pages
(``core.api.ScopedModelViewSet``); attendance rows are read-only endpoints (written as part
of their meeting / study session)."""

from django.db.models import Prefetch

from taizhang.core.api import ScopedModelViewSet, ScopedReadOnlyViewSet

from .. import filtersets, services
from ..models import (
    Attendance,
    Lecture,
    Meeting,
    Reading,
    ResearchVisit,
    SelfStudy,
    StudyAttendance,
    StudySession,
    Suggestion,
    Talk,
    attach_counts,
)
from . import serializers


class RecordViewSet(ScopedModelViewSet):
    """Deletes go through ``services.delete_record`` (audited, signalled)."""

    def perform_destroy(self, instance):
        self.check_change(instance)
        services.delete_record(instance, actor=self.request.user)


_rows = Attendance.objects.select_related("member").order_by("pk")


class PageCountsMixin:
    """Attendance counts for the page's rows only (one GROUP BY over them): the paginator's
    COUNT(*) then stays a plain count, not a count over a GROUP BY of every attendance row
    (issue 14). Without pagination the whole queryset is annotated (``with_counts``)."""

    def get_queryset(self):
        queryset = super().get_queryset()
        return queryset if self.paginator is not None else queryset.with_counts()

    def paginate_queryset(self, queryset):
        page = super().paginate_queryset(queryset)
        if page is not None:
            attach_counts(page)
        return page


class MeetingViewSet(PageCountsMixin, RecordViewSet):
    queryset = (Meeting.objects.order_by("-date", "-pk")
                .prefetch_related(Prefetch("attendance", queryset=_rows), "motions", "election_results"))
    serializer_class = serializers.MeetingSerializer
    filterset_class = filtersets.MeetingFilterSet


class StudySessionViewSet(PageCountsMixin, RecordViewSet):
    queryset = (StudySession.objects.order_by("-date", "-pk")
                .prefetch_related(Prefetch("attendance", queryset=StudyAttendance.objects.select_related("member")),
                                  "readings"))
    serializer_class = serializers.StudySessionSerializer
    filterset_class = filtersets.StudySessionFilterSet


class AttendanceViewSet(ScopedReadOnlyViewSet):
    queryset = Attendance.objects.select_related("member").order_by("meeting", "pk")
    serializer_class = serializers.AttendanceSerializer
    filterset_class = filtersets.AttendanceFilterSet


class StudyAttendanceViewSet(ScopedReadOnlyViewSet):
    queryset = StudyAttendance.objects.select_related("member").order_by("session", "pk")
    serializer_class = serializers.StudyAttendanceSerializer
    filterset_fields = ["session", "member", "status"]


class ReadingViewSet(RecordViewSet):
    queryset = Reading.objects.order_by("campaign", "order", "pk")
    serializer_class = serializers.ReadingSerializer
    filterset_fields = ["campaign"]


class SelfStudyViewSet(RecordViewSet):
    queryset = SelfStudy.objects.order_by("-date", "-pk")
    serializer_class = serializers.SelfStudySerializer
    filterset_class = filtersets.SelfStudyFilterSet


class LectureViewSet(RecordViewSet):
    queryset = Lecture.objects.order_by("-date", "-pk")
    serializer_class = serializers.LectureSerializer
    filterset_class = filtersets.LectureFilterSet


class ResearchVisitViewSet(RecordViewSet):
    queryset = ResearchVisit.objects.order_by("-date", "-pk")
    serializer_class = serializers.ResearchVisitSerializer
    filterset_class = filtersets.ResearchVisitFilterSet


class TalkViewSet(RecordViewSet):
    queryset = Talk.objects.order_by("-date", "-pk")
    serializer_class = serializers.TalkSerializer
    filterset_class = filtersets.TalkFilterSet


class SuggestionViewSet(RecordViewSet):
    queryset = Suggestion.objects.order_by("-date", "-pk")
    serializer_class = serializers.SuggestionSerializer
    filterset_class = filtersets.SuggestionFilterSet


def viewset_for(source):
    """The API viewset of a registered records source: its own (``source.viewset``), else a
    :class:`RecordViewSet` over its serializer and filterset, newest first."""
    if source.viewset:
        return source.part("viewset")
    model = source.model_class
    return type(f"{model.__name__}ViewSet", (RecordViewSet,), {
        "queryset": model.objects.order_by(f"-{source.date_field}", "-pk"),
        "serializer_class": source.part("serializer"),
        "filterset_class": source.part("filterset"),
    })

"""Serializers of the records API. Related-object choices are limited to what the caller
may see (a branch cannot name another branch's member or meeting); writes go through
:mod:`taizhang.records.services` (their ``ValidationError`` becomes a 400)."""

from __future__ import annotations

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db.models import QuerySet
from django.db.models.manager import BaseManager
from django.utils.translation import gettext as _
from rest_framework import serializers

from taizhang.orgs.models import Member

from .. import services
from ..forms import people_for
from ..models import (
    Attendance,
    AttendanceStatus,
    ElectionResult,
    Lecture,
    Meeting,
    Motion,
    Reading,
    ResearchVisit,
    SelfStudy,
    StudyAttendance,
    StudySession,
    Suggestion,
    Talk,
)


def _drf_error(exc: DjangoValidationError) -> serializers.ValidationError:
    return serializers.ValidationError(getattr(exc, "message_dict", None) or {"non_field_errors": exc.messages})


class ScopedChoicesMixin:
    """Limit every related field's queryset to rows the request's user may see."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return fields
        for field in fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is None:
                continue
            if queryset.model is Member:
                target.queryset = people_for(user)
            elif hasattr(queryset, "visible_to"):
                target.queryset = queryset.visible_to(user)
        return fields


class CountsMixin(serializers.Serializer):
    expected_count = serializers.IntegerField(read_only=True, help_text="应到人数")
    present_count = serializers.IntegerField(read_only=True, help_text="实到人数")
    absent_count = serializers.IntegerField(read_only=True, help_text="缺席人数（含请假）")
    leave_count = serializers.IntegerField(read_only=True, help_text="请假人数")


class MemberIdField(serializers.PrimaryKeyRelatedField):
    """A member named by id inside a list of rows: only the id's type is checked here; the
    enclosing :class:`MemberRowsListSerializer` resolves the ids of all rows at once."""

    def to_internal_value(self, data):
        if isinstance(data, bool):
            self.fail("incorrect_type", data_type=type(data).__name__)
        try:
            return int(data)
        except (TypeError, ValueError):
            self.fail("incorrect_type", data_type=type(data).__name__)


class MemberRowsListSerializer(serializers.ListSerializer):
    """Rows naming members (the child's ``member_fields``) in a constant number of queries
    however many rows: on input every id is looked up in one query among the members the
    caller may pick (:func:`~taizhang.records.forms.people_for`), on output the members are
    loaded with the rows (one query, or none when the rows were prefetched).

    Raises ``ValidationError`` listing the ids that are unknown or not the caller's to pick.
    """

    def to_internal_value(self, data):
        rows = super().to_internal_value(data)
        fields = self.child.member_fields
        ids = {row[f] for row in rows for f in fields if row.get(f) is not None}
        request = self.context.get("request")
        people = people_for(request.user) if request is not None else Member.objects.select_related("org")
        found = people.in_bulk(ids) if ids else {}
        missing = sorted(ids - set(found))
        if missing:
            raise serializers.ValidationError(
                _("党员不存在或不在可选范围内：%(ids)s") % {"ids": "、".join(map(str, missing))})
        for row in rows:
            for f in fields:
                if row.get(f) is not None:
                    row[f] = found[row[f]]
        return rows

    def to_representation(self, data):
        rows = data.all() if isinstance(data, BaseManager) else data
        if isinstance(rows, QuerySet) and rows._result_cache is None:
            rows = rows.select_related(*self.child.member_fields)
        return super().to_representation(rows)


class AttendanceRowSerializer(ScopedChoicesMixin, serializers.Serializer):
    """One attendee inside a meeting / study session payload (``member``: a member id)."""

    member_fields = ("member",)
    member = MemberIdField(queryset=Member.objects.all())
    member_name = serializers.CharField(source="member.name", read_only=True)
    status = serializers.ChoiceField(choices=AttendanceStatus.choices, default=AttendanceStatus.PRESENT)
    reason = serializers.CharField(required=False, allow_blank=True, default="")
    voting = serializers.BooleanField(required=False, allow_null=True, default=None)
    signed_in_at = serializers.DateTimeField(read_only=True)

    class Meta:
        list_serializer_class = MemberRowsListSerializer


class MotionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Motion
        fields = ["title", "kind", "yes", "no", "abstain", "declared_passed"]


class ElectionResultSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    """One candidate's result (``candidate``: a member id, optional)."""

    member_fields = ("candidate",)
    candidate = MemberIdField(queryset=Member.objects.all(), required=False, allow_null=True)

    class Meta:
        model = ElectionResult
        fields = ["post", "candidate", "candidate_name", "yes", "elected"]
        list_serializer_class = MemberRowsListSerializer


class MeetingSerializer(ScopedChoicesMixin, CountsMixin, serializers.ModelSerializer):
    """A meeting with its attendance, motions and election results (written as a whole:
    a given list replaces the stored one; omitted on create → the default attendees,
    all present)."""

    attendance = AttendanceRowSerializer(many=True, required=False)
    motions = MotionSerializer(many=True, required=False)
    election_results = ElectionResultSerializer(many=True, required=False)

    class Meta:
        model = Meeting
        fields = ["id", "org", "kind", "title", "date", "start_time", "end_time", "place", "team",
                  "host", "recorder", "topics", "minutes", "decisions", "invitees", "notes",
                  "sign_in_enabled", "expected_count", "present_count", "absent_count",
                  "leave_count", "attendance", "motions", "election_results"]

    def create(self, validated_data):
        data = dict(validated_data)
        try:
            return services.create_meeting(data.pop("org"), data.pop("kind"), data.pop("date"),
                                           actor=self.context["request"].user, **data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc

    def update(self, instance, validated_data):
        try:
            return services.update_meeting(instance, actor=self.context["request"].user, **validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class StudySessionSerializer(ScopedChoicesMixin, CountsMixin, serializers.ModelSerializer):
    attendance = AttendanceRowSerializer(many=True, required=False)

    class Meta:
        model = StudySession
        fields = ["id", "org", "kind", "theme", "topic", "date", "leader", "place", "hours",
                  "readings", "speakers", "content", "outcomes", "expected_count",
                  "present_count", "absent_count", "leave_count", "attendance"]

    def create(self, validated_data):
        data = dict(validated_data)
        try:
            return services.create_study_session(data.pop("org"), data.pop("date"), data.pop("topic"),
                                                 actor=self.context["request"].user, **data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc

    def update(self, instance, validated_data):
        try:
            return services.update_study_session(instance, actor=self.context["request"].user,
                                                 **validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class RecordSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    """Plain records: create/update through ``services.save_record``."""

    def _m2m(self, validated_data) -> dict:
        return {k: validated_data.pop(k) for k in list(validated_data)
                if self.Meta.model._meta.get_field(k).many_to_many}

    def create(self, validated_data):
        m2m = self._m2m(validated_data)
        try:
            return services.create_record(self.Meta.model, actor=self.context["request"].user,
                                          m2m=m2m or None, **validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc

    def update(self, instance, validated_data):
        m2m = self._m2m(validated_data)
        try:
            return services.update_record(instance, actor=self.context["request"].user,
                                          m2m=m2m or None, **validated_data)
        except DjangoValidationError as exc:
            raise _drf_error(exc) from exc


class AttendanceSerializer(serializers.ModelSerializer):
    """A meeting's attendance row (read-only; write through the meeting)."""

    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Attendance
        fields = ["id", "meeting", "member", "member_name", "status", "reason", "voting", "signed_in_at"]
        read_only_fields = fields


class StudyAttendanceSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = StudyAttendance
        fields = ["id", "session", "member", "member_name", "status", "reason", "voting"]
        read_only_fields = fields


class ReadingSerializer(RecordSerializer):
    class Meta:
        model = Reading
        fields = ["id", "org", "campaign", "title", "note", "order"]


class SelfStudySerializer(RecordSerializer):
    class Meta:
        model = SelfStudy
        fields = ["id", "org", "member", "reading", "title", "date", "hours", "notes"]


class LectureSerializer(RecordSerializer):
    class Meta:
        model = Lecture
        fields = ["id", "org", "kind", "title", "speaker", "co_speakers", "audience", "date",
                  "place", "audience_count", "meeting", "summary"]


class ResearchVisitSerializer(RecordSerializer):
    class Meta:
        model = ResearchVisit
        fields = ["id", "org", "topic", "leader", "participants", "place", "date", "method",
                  "findings", "suggestions", "report_status", "report_title", "outcomes", "shared_on"]


class TalkSerializer(RecordSerializer):
    class Meta:
        model = Talk
        fields = ["id", "org", "party_a", "party_b", "date", "place", "relation", "mode",
                  "purpose", "topics", "opinions", "advice", "follow_up"]


class SuggestionSerializer(RecordSerializer):
    """Status, reply and handler change only through the handling actions of the pages."""

    class Meta:
        model = Suggestion
        fields = ["id", "org", "date", "member", "anonymous", "channel", "content", "status",
                  "reply", "replied_on"]
        read_only_fields = ["status", "reply", "replied_on"]

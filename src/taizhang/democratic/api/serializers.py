"""Serializers of the democratic API. The team follows the organization (set by the service)."""

from rest_framework import serializers

from ..models import LifeMeeting, Opinion, SelfExamination


class OpinionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Opinion
        fields = ["id", "org", "team", "year", "date", "channel", "giver", "text", "addressee", "answer", "answered_on"]
        read_only_fields = ["team"]


class SelfExaminationSerializer(serializers.ModelSerializer):
    class Meta:
        model = SelfExamination
        fields = ["id", "org", "team", "year", "leader", "title", "date", "content", "needs_superior", "status",
                  "approved_on"]
        read_only_fields = ["team", "status", "approved_on"]


class LifeMeetingSerializer(serializers.ModelSerializer):
    class Meta:
        model = LifeMeeting
        fields = ["id", "org", "team", "year", "title", "date", "place", "observers", "summary", "reported_on",
                  "notice_scope", "meeting"]
        read_only_fields = ["team", "meeting"]

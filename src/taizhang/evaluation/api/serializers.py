"""Serializer of the evaluation API."""

from rest_framework import serializers

from ..models import Appraisal


class AppraisalSerializer(serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = Appraisal
        fields = ["id", "org", "member", "member_name", "year", "grade", "rated_on", "follow_up"]

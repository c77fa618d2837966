"""Serializers of the institutions API."""

from rest_framework import serializers

from ..models import Institution, TypicalCase


class InstitutionSerializer(serializers.ModelSerializer):
    class Meta:
        model = Institution
        fields = ["id", "org", "campaign", "name", "action", "date", "doc_number", "summary", "problems", "measures"]
        extra_kwargs = {"problems": {"required": False}, "measures": {"required": False}}


class TypicalCaseSerializer(serializers.ModelSerializer):
    class Meta:
        model = TypicalCase
        fields = ["id", "org", "campaign", "kind", "title", "date", "summary", "institution",
                  "source_content_type", "source_object_id"]
        read_only_fields = ["source_content_type", "source_object_id"]

"""Serializers of the surveys API (items as a list of texts; results read-only)."""

from rest_framework import serializers

from ..models import Survey


class SurveySerializer(serializers.ModelSerializer):
    items = serializers.ListField(child=serializers.CharField(max_length=300), required=False, write_only=True)

    class Meta:
        model = Survey
        fields = ["id", "org", "campaign", "title", "intro", "start", "end", "items", "response_count"]
        read_only_fields = ["response_count"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["items"] = [i.text for i in instance.items.all()]
        return data

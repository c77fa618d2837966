"""Serializers of the plans API."""

from rest_framework import serializers

from ..models import Assignment, Campaign, Occurrence, PlanItem


class CampaignSerializer(serializers.ModelSerializer):
    class Meta:
        model = Campaign
        fields = ["id", "title", "org", "start", "end", "status", "published_at"]


class PlanItemSerializer(serializers.ModelSerializer):
    campaign = serializers.IntegerField(source="plan.campaign_id", read_only=True)

    class Meta:
        model = PlanItem
        fields = ["id", "campaign", "parent", "ref", "label", "kind", "title", "text",
                  "responsible", "due", "due_workday", "ongoing", "recurrence", "min_count",
                  "evidence", "line_first", "line_last"]


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Assignment
        fields = ["id", "item", "org", "due", "status"]


class OccurrenceSerializer(serializers.ModelSerializer):
    org = serializers.IntegerField(source="assignment.org_id", read_only=True)

    class Meta:
        model = Occurrence
        fields = ["id", "assignment", "org", "period_start", "period_end", "due", "status"]

"""Read-only API of campaigns, plan items, assignments and occurrences, scoped like pages."""

from django_filters import rest_framework as filters

from taizhang.core.api import ScopedReadOnlyViewSet

from ..models import Assignment, Campaign, Occurrence, PlanItem
from . import serializers


class CampaignViewSet(ScopedReadOnlyViewSet):
    queryset = Campaign.objects.order_by("-created_at")
    serializer_class = serializers.CampaignSerializer
    filterset_fields = ["org", "status"]


class PlanItemViewSet(ScopedReadOnlyViewSet):
    queryset = PlanItem.objects.select_related("plan").order_by("plan", "line_first", "position")
    serializer_class = serializers.PlanItemSerializer
    filterset_fields = ["plan__campaign", "kind", "responsible"]


class AssignmentFilter(filters.FilterSet):
    campaign = filters.NumberFilter(field_name="item__plan__campaign")

    class Meta:
        model = Assignment
        fields = ["campaign", "org", "status", "item"]


class AssignmentViewSet(ScopedReadOnlyViewSet):
    queryset = Assignment.objects.order_by("pk")
    serializer_class = serializers.AssignmentSerializer
    filterset_class = AssignmentFilter


class OccurrenceViewSet(ScopedReadOnlyViewSet):
    queryset = Occurrence.objects.select_related("assignment").order_by("assignment", "period_start")
    serializer_class = serializers.OccurrenceSerializer
    filterset_fields = ["assignment", "status"]

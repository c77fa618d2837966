"""Serializer of the role models API (status and the later steps' dates are read-only:
they move only through the page's status moves)."""

from rest_framework import serializers

from ..models import RoleModel


class RoleModelSerializer(serializers.ModelSerializer):
    name = serializers.CharField(read_only=True)

    class Meta:
        model = RoleModel
        fields = ["id", "org", "campaign", "kind", "member", "collective", "name", "title", "deeds",
                  "nominated_on", "selector", "status", "selected_on", "publicity_start", "publicity_end",
                  "announced_on", "reason"]
        read_only_fields = ["selector", "status", "selected_on", "publicity_start", "publicity_end",
                            "announced_on", "reason"]

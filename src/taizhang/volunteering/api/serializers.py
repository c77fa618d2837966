"""Serializers of the volunteering API. Member and organization choices are limited to
what the caller may see; writes go through :mod:`taizhang.volunteering.services` (views)."""

from __future__ import annotations

from rest_framework import serializers

from taizhang.orgs.models import Member, Organization

from ..models import CommunityRegistration, ModelPost, VolunteerActivity


class ScopedChoicesMixin:
    """Limit the organization and member choices to rows the request's user may see."""

    def get_fields(self):
        fields = super().get_fields()
        request = self.context.get("request")
        user = getattr(request, "user", None)
        if user is None:
            return fields
        for field in fields.values():
            target = getattr(field, "child_relation", field)
            queryset = getattr(target, "queryset", None)
            if queryset is not None and queryset.model in (Member, Organization):
                target.queryset = queryset.model.objects.visible_to(user)
        return fields


class ModelPostSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = ModelPost
        fields = ["id", "org", "name", "member", "member_name", "commitment", "start", "end"]


class VolunteerActivitySerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    class Meta:
        model = VolunteerActivity
        fields = ["id", "org", "team", "date", "place", "participants", "hours", "content"]


class CommunityRegistrationSerializer(ScopedChoicesMixin, serializers.ModelSerializer):
    member_name = serializers.CharField(source="member.name", read_only=True)

    class Meta:
        model = CommunityRegistration
        fields = ["id", "org", "member", "member_name", "community", "registered_on", "commitment"]
        validators = []  # the service reports a second registration (one message, in Chinese)

"""Serializers of the notify API."""

from rest_framework import serializers

from ..models import Notice


class NoticeSerializer(serializers.ModelSerializer):
    is_read = serializers.SerializerMethodField()

    class Meta:
        model = Notice
        fields = ["id", "title", "body", "url", "created_at", "read_at", "is_read"]
        read_only_fields = fields

    def get_is_read(self, notice) -> bool:
        return notice.read_at is not None

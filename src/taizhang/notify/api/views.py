"""The notices API: the caller's own notices only (``Notice.objects.restrict`` = own rows),
read and marked read; nothing else can be written."""

from django_filters import rest_framework as filters
from drf_spectacular.utils import extend_schema, inline_serializer
from rest_framework import serializers
from rest_framework.decorators import action
from rest_framework.response import Response

from taizhang.core.api import ScopedReadOnlyViewSet

from .. import services
from ..models import Notice
from .serializers import NoticeSerializer


class NoticeFilter(filters.FilterSet):
    unread = filters.BooleanFilter(field_name="read_at", lookup_expr="isnull", label="unread")

    class Meta:
        model = Notice
        fields = ["unread"]


_Count = inline_serializer("NoticeCount", {"count": serializers.IntegerField()})


class NoticeViewSet(ScopedReadOnlyViewSet):
    """``GET /api/notices/`` (``?unread=true``), ``GET /api/notices/{id}/``,
    ``POST /api/notices/{id}/read/``, ``POST /api/notices/read-all/``,
    ``GET /api/notices/unread-count/``."""

    queryset = Notice.objects.order_by("-created_at", "-pk")
    serializer_class = NoticeSerializer
    filterset_class = NoticeFilter

    @extend_schema(request=None, responses=NoticeSerializer)
    @action(detail=True, methods=["post"])
    def read(self, request, pk=None):
        notice = self.get_object()
        services.mark_read(request.user, [notice.pk])
        notice.refresh_from_db()
        return Response(self.get_serializer(notice).data)

    @extend_schema(request=None, responses=_Count)
    @action(detail=False, methods=["post"], url_path="read-all")
    def read_all(self, request):
        return Response({"count": services.mark_read(request.user)})

    @extend_schema(responses=_Count)
    @action(detail=False, methods=["get"], url_path="unread-count")
    def unread_count(self, request):
        return Response({"count": self.get_queryset().unread().count()})

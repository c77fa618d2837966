"""REST endpoints of problems, measures and progress updates, scoped like the pages; writes
go through :mod:`..services` (permissions, optimistic locking, events)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from drf_spectacular.utils import extend_schema
from rest_framework import mixins, status, viewsets
from rest_framework.decorators import action
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from taizhang.core.api import ScopedModelViewSet
from taizhang.core.scoping import CHANGE, VIEW, can
from taizhang.core.status import IllegalTransition

from .. import services
from ..models import Problem, ProgressUpdate, Rectification
from . import serializers


def _service(call):
    try:
        return call()
    except services.StaleEdit:
        raise
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None
    except (services.RectificationError, IllegalTransition, ValueError) as exc:
        raise ValidationError({"detail": str(exc)}) from None


# Problems and measures are not deleted (their pages have no delete either: a measure is
# closed, 销号, and a problem stays on the list with its history); a DELETE answers 405
# instead of removing the row past the service, its audit and its announcement.
NO_DELETE = ["get", "post", "put", "patch", "head", "options"]


class ProblemViewSet(ScopedModelViewSet):
    """问题清单. Filter with ``?org=``, ``?source=`` (name), ``?level=``. Not deleted."""

    http_method_names = NO_DELETE

    queryset = Problem.objects.select_related("source").order_by("pk")
    serializer_class = serializers.ProblemSerializer
    filterset_fields = ["org", "level", "source__name"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        org = data.pop("org")
        serializer.instance = _service(lambda: services.create_problem(org=org, user=self.request.user, **data))

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        if "org" in data and data.pop("org") != serializer.instance.org:
            raise ValidationError({"org": "问题的组织不能修改。"})
        serializer.instance = _service(lambda: services.update_problem(serializer.instance, self.request.user, **data))


class RectificationViewSet(ScopedModelViewSet):
    """整改措施. ``PUT/PATCH`` need the ``version`` read (409 when someone saved meanwhile,
    and 409 for a closed measure: reopen it first);
    ``POST {id}/move/`` moves the status. Not deleted (closed with 销号)."""

    http_method_names = NO_DELETE

    queryset = Rectification.objects.select_related("problem").order_by("problem", "position", "pk")
    serializer_class = serializers.RectificationSerializer
    filterset_fields = ["org", "problem", "status", "kind", "leader"]

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        problem = data.pop("problem")
        data.pop("version", None)
        serializer.instance = _service(lambda: services.add_measure(problem, self.request.user, **data))

    def update(self, request, *args, **kwargs):
        try:
            return super().update(request, *args, **kwargs)
        except services.StaleEdit as exc:
            return Response({"detail": str(exc), "version": exc.current.version}, status=status.HTTP_409_CONFLICT)
        except services.MeasureClosed as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)

    def perform_update(self, serializer):
        data = dict(serializer.validated_data)
        version = data.pop("version", None)
        if version is None:
            raise ValidationError({"version": "请提供读取时的 version（乐观锁）。"})
        if "problem" in data and data.pop("problem") != serializer.instance.problem:
            raise ValidationError({"problem": "不能移到其他问题。"})
        rect = serializer.instance
        if not can(self.request.user, CHANGE, rect.org):
            raise PermissionDenied("您无权修改该组织的数据。")
        try:
            serializer.instance = services.update_measure(rect, self.request.user, version=version, **data)
        except (services.StaleEdit, services.MeasureClosed):
            raise
        except (services.RectificationError, ValueError) as exc:
            raise ValidationError({"detail": str(exc)}) from None

    @extend_schema(request=serializers.MoveSerializer, responses=serializers.RectificationSerializer)
    @action(detail=True, methods=["post"])
    def move(self, request, pk=None):
        """Move the measure: ``{"name": "complete", "completion_note": …, "evidence": …}``,
        ``{"name": "verify"}``, ``{"name": "return_for_revision", "comment": …}`` …"""
        rect = self.get_object()
        data = serializers.MoveSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = dict(data.validated_data)
        name = values.pop("name")
        comment = values.pop("comment", "")
        try:
            rect = _service(lambda: services.move(rect, name, request.user, comment, **values))
        except services.StaleEdit as exc:
            return Response({"detail": str(exc)}, status=status.HTTP_409_CONFLICT)
        return Response(serializers.RectificationSerializer(rect, context={"request": request}).data)


class ProgressUpdateViewSet(mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    """Rolling progress updates: list, read, add (never edited: the series is the record)."""

    queryset = ProgressUpdate.objects.order_by("rectification", "reported_on", "pk")
    serializer_class = serializers.ProgressUpdateSerializer
    filterset_fields = ["rectification"]

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        rect = data.pop("rectification")
        serializer.instance = _service(lambda: services.add_update(rect, self.request.user, **data))

"""REST API building blocks: every viewset is scoped exactly like the pages."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from rest_framework import permissions, serializers, status, viewsets
from rest_framework.exceptions import PermissionDenied, ValidationError
from rest_framework.response import Response

from .badinput import locked_version, out_of_range_error, out_of_range_fields

from .scoping import CHANGE, VIEW, can, scope_paths
from .status import org_of


class ChangeInScope(permissions.IsAuthenticated):
    """Writes need the "change" action, checked before the payload is read: on the object's
    organization for an update, a delete or an action on one object, and somewhere for a
    create. A read-only role (inspector, member) thus gets 403 whatever it sends, never a
    400 about its payload; rows outside the user's subtrees stay 404 (not found first)."""

    def has_permission(self, request, view):
        if not super().has_permission(request, view):
            return False
        if request.method in permissions.SAFE_METHODS or getattr(view, "detail", False):
            return True
        return scope_paths(request.user, CHANGE) != []

    def has_object_permission(self, request, view, obj):
        return request.method in permissions.SAFE_METHODS or can(request.user, CHANGE, org_of(obj))


class ScopedReadOnlyViewSet(viewsets.ReadOnlyModelViewSet):
    """List/retrieve limited to ``queryset.restrict(user, "view")``: others' rows are 404."""

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)


VERSION_FIELD = "version"
VERSION_HELP = ("读取时的版本（对象的 updated_at）：修改（PUT/PATCH）时须原样提交 version（或 updated_at），"
                "对象已被他人修改时返回 409，缺少时返回 400。")


class VersionField(serializers.CharField):
    """The read-only ``version`` of a representation: the object's ``updated_at`` in ISO
    8601 with microseconds."""

    def __init__(self, **kwargs):
        super().__init__(source="updated_at", read_only=True, help_text=VERSION_HELP, **kwargs)

    def to_representation(self, value):
        return value.isoformat(timespec="microseconds")


def _parse_version(value):
    try:
        loaded = dt.datetime.fromisoformat(str(value))
    except ValueError:
        return None
    return timezone.make_aware(loaded, dt.timezone.utc) if timezone.is_naive(loaded) else loaded


class ScopedModelViewSet(viewsets.ModelViewSet):
    """Full CRUD, scoped: reads as :class:`ScopedReadOnlyViewSet`; writes need the "change"
    action on the object's organization, checked before and after the change.

    Optimistic locking (issue 13 §4): for a model with ``updated_at`` (and no ``version``
    of its own, e.g. rectification measures lock themselves) every representation carries
    a read-only ``version`` (the ``updated_at`` read, ISO 8601 with microseconds); an update
    (PUT/PATCH) must send it back as ``version`` (or ``updated_at``): missing → 400 naming
    ``version``, changed meanwhile → 409 with the current ``version``, nothing written.

    Ids and integers beyond the database's 64-bit range are refused with 400 naming the
    field (see :func:`~taizhang.core.badinput.out_of_range_fields`), never a 500.

    Subclasses may override :meth:`perform_save` to call the app's service function.
    """

    permission_classes = [ChangeInScope]

    def _locks(self) -> bool:
        model = getattr(getattr(self, "queryset", None), "model", None)
        if model is None:
            model = getattr(getattr(self.get_serializer_class(), "Meta", None), "model", None)
        names = {f.name for f in model._meta.get_fields()} if model is not None else set()
        return "updated_at" in names and VERSION_FIELD not in names

    def get_serializer(self, *args, **kwargs):
        serializer = super().get_serializer(*args, **kwargs)
        if self._locks():
            target = getattr(serializer, "child", serializer)
            if isinstance(target, serializers.Serializer) and VERSION_FIELD not in target.fields:
                target.fields[VERSION_FIELD] = VersionField()
        return serializer

    def _check_range(self, serializer, data):
        paths = out_of_range_fields(serializer, data)
        if paths:
            raise out_of_range_error(paths)

    def create(self, request, *args, **kwargs):
        self._check_range(self.get_serializer(), request.data)
        return super().create(request, *args, **kwargs)

    def update(self, request, *args, **kwargs):
        """PUT/PATCH with the optimistic lock (see the class docstring)."""
        instance = self.get_object()
        self._check_range(self.get_serializer(instance), request.data)
        if not self._locks():
            return super().update(request, *args, **kwargs)
        data = request.data if hasattr(request.data, "get") else {}  # a list: refused below
        sent = data.get(VERSION_FIELD) or data.get("updated_at")
        if not sent:
            raise ValidationError({VERSION_FIELD: ["请提交读取时的 version（乐观锁），以免覆盖他人的修改。"]})
        loaded = _parse_version(sent)
        if loaded is None:
            raise ValidationError({VERSION_FIELD: ["version 格式无效，应为读取时原样返回的值。"]})
        with transaction.atomic():
            current = locked_version(type(instance), instance.pk)
            if current != loaded:
                return Response({"detail": "保存失败：该记录已被他人修改，请重新读取后再提交。",
                                 VERSION_FIELD: current.isoformat(timespec="microseconds") if current else None},
                                status=status.HTTP_409_CONFLICT)
            return super().update(request, *args, **kwargs)

    def get_queryset(self):
        return super().get_queryset().restrict(self.request.user, VIEW)

    def check_change(self, obj):
        if not can(self.request.user, CHANGE, org_of(obj)):
            raise PermissionDenied("您无权修改该组织的数据。")

    def perform_save(self, serializer):
        return serializer.save()

    def perform_create(self, serializer):
        org = serializer.validated_data.get("org")
        if org is not None and not can(self.request.user, CHANGE, org):
            raise PermissionDenied("您无权在该组织下新增数据。")
        self.check_change(self.perform_save(serializer))

    def perform_update(self, serializer):
        self.check_change(serializer.instance)
        self.check_change(self.perform_save(serializer))

    def perform_destroy(self, instance):
        self.check_change(instance)
        instance.delete()


def exception_handler(exc, context):
    """DRF's exception handler with every message in the user's language: a missing or
    out-of-scope row (Django's ``Http404``, whose text names the model in English, "No
    Meeting matches the given query.") answers 404 ``{"detail": "未找到该记录，或您无权查看。"}``;
    DRF's own errors already come from its catalogue (zh-hans / en)."""
    from django.http import Http404
    from django.utils.translation import gettext
    from rest_framework.exceptions import NotFound
    from rest_framework.views import exception_handler as drf_handler

    if isinstance(exc, Http404):
        exc = NotFound(gettext("未找到该记录，或您无权查看。"))
    return drf_handler(exc, context)

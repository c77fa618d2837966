"""REST API building blocks: every viewset is scoped exactly like the pages."""

from __future__ import annotations

from rest_framework import permissions, viewsets
from rest_framework.exceptions import PermissionDenied

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


class ScopedModelViewSet(viewsets.ModelViewSet):
    """Full CRUD, scoped: reads as :class:`ScopedReadOnlyViewSet`; writes need the "change"
    action on the object's organization, checked before and after the change.

    Subclasses may override :meth:`perform_save` to call the app's service function.
    """

    permission_classes = [ChangeInScope]

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

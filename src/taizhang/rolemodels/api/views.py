"""CRUD API of role models, scoped like the pages; writes go through the service."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError

from taizhang.core.api import ScopedModelViewSet

from .. import services
from ..filtersets import RoleModelFilterSet
from ..models import RoleModel
from . import serializers


def _drf_errors(exc):
    return ValidationError(getattr(exc, "message_dict", {"non_field_errors": exc.messages}))


class RoleModelViewSet(ScopedModelViewSet):
    queryset = RoleModel.objects.select_related("member").order_by("-nominated_on", "pk")
    serializer_class = serializers.RoleModelSerializer
    filterset_class = RoleModelFilterSet

    def perform_save(self, serializer):
        obj = serializer.instance or RoleModel()
        for name, value in serializer.validated_data.items():
            setattr(obj, name, value)
        try:
            saved = services.save_role_model(obj, actor=self.request.user)
        except DjangoValidationError as exc:
            raise _drf_errors(exc) from None
        except DjangoPermissionDenied as exc:
            raise PermissionDenied(str(exc)) from None
        serializer.instance = saved
        return saved

    def perform_destroy(self, instance):
        self.check_change(instance)
        try:
            services.delete_role_model(instance, actor=self.request.user)
        except DjangoValidationError as exc:
            raise _drf_errors(exc) from None

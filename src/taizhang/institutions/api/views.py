"""CRUD API of institutions and typical cases, scoped like the pages; writes go through
the services (problems, measures and institutions outside the user's view are refused by
the querysets below)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError

from taizhang.core.api import ScopedModelViewSet

from .. import services
from ..filtersets import InstitutionFilterSet, TypicalCaseFilterSet
from ..models import Institution, TypicalCase
from . import serializers


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(getattr(exc, "message_dict", {"non_field_errors": exc.messages})) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


class InstitutionViewSet(ScopedModelViewSet):
    queryset = Institution.objects.select_related("org").prefetch_related("problems", "measures").order_by(
        "org__path", "-date", "pk")
    serializer_class = serializers.InstitutionSerializer
    filterset_class = InstitutionFilterSet

    def perform_save(self, serializer):
        obj = serializer.instance or Institution()
        data = dict(serializer.validated_data)
        problems, measures = data.pop("problems", None), data.pop("measures", None)
        for name, value in data.items():
            setattr(obj, name, value)
        serializer.instance = _call(services.save_institution, obj, actor=self.request.user,
                                    problems=problems, measures=measures)
        return serializer.instance

    def perform_destroy(self, instance):
        self.check_change(instance)
        _call(services.delete_institution, instance, actor=self.request.user)


class TypicalCaseViewSet(ScopedModelViewSet):
    queryset = TypicalCase.objects.select_related("org").order_by("org__path", "-date", "pk")
    serializer_class = serializers.TypicalCaseSerializer
    filterset_class = TypicalCaseFilterSet

    def perform_save(self, serializer):
        obj = serializer.instance or TypicalCase()
        for name, value in serializer.validated_data.items():
            setattr(obj, name, value)
        serializer.instance = _call(services.save_case, obj, actor=self.request.user)
        return serializer.instance

    def perform_destroy(self, instance):
        self.check_change(instance)
        _call(services.delete_case, instance, actor=self.request.user)

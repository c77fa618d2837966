"""CRUD API of surveys, scoped like the pages; writes go through the services."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError

from taizhang.core.api import ScopedModelViewSet

from .. import services
from ..filtersets import SurveyFilterSet
from ..models import Survey
from . import serializers


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(getattr(exc, "message_dict", {"non_field_errors": exc.messages})) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


class SurveyViewSet(ScopedModelViewSet):
    queryset = Survey.objects.select_related("org").prefetch_related("items").order_by("org__path", "-start", "pk")
    serializer_class = serializers.SurveySerializer
    filterset_class = SurveyFilterSet

    def perform_save(self, serializer):
        obj = serializer.instance or Survey()
        data = dict(serializer.validated_data)
        items = data.pop("items", None)
        if obj.pk is None and items is None:
            items = []
        for name, value in data.items():
            setattr(obj, name, value)
        serializer.instance = _call(services.save_survey, obj, actor=self.request.user, items=items)
        return serializer.instance

    def perform_destroy(self, instance):
        self.check_change(instance)
        _call(services.delete_survey, instance, actor=self.request.user)

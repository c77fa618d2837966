"""CRUD API of opinions, materials and meeting records, scoped like the pages; writes go
through the services (a material's status moves only through its review pages)."""

from django.core.exceptions import PermissionDenied as DjangoPermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import PermissionDenied, ValidationError

from taizhang.core.api import ScopedModelViewSet

from .. import services
from ..filtersets import LifeMeetingFilterSet, OpinionFilterSet, SelfExaminationFilterSet
from ..models import LifeMeeting, Opinion, SelfExamination
from . import serializers


def _call(fn, *args, **kwargs):
    try:
        return fn(*args, **kwargs)
    except DjangoValidationError as exc:
        raise ValidationError(getattr(exc, "message_dict", {"non_field_errors": exc.messages})) from None
    except DjangoPermissionDenied as exc:
        raise PermissionDenied(str(exc)) from None


class _Base(ScopedModelViewSet):
    model = None
    save_service = None
    delete_service = None

    def perform_save(self, serializer):
        obj = serializer.instance or self.model()
        for name, value in serializer.validated_data.items():
            setattr(obj, name, value)
        if not obj.year and obj.date:
            obj.year = obj.date.year
        serializer.instance = _call(type(self).save_service, obj, actor=self.request.user)
        return serializer.instance

    def perform_destroy(self, instance):
        self.check_change(instance)
        _call(type(self).delete_service, instance, actor=self.request.user)


class OpinionViewSet(_Base):
    queryset = Opinion.objects.select_related("org").order_by("org__path", "-date", "pk")
    serializer_class = serializers.OpinionSerializer
    filterset_class = OpinionFilterSet
    model = Opinion
    save_service = staticmethod(services.save_opinion)
    delete_service = staticmethod(services.delete_opinion)


class SelfExaminationViewSet(_Base):
    queryset = SelfExamination.objects.select_related("org").order_by("org__path", "-year", "pk")
    serializer_class = serializers.SelfExaminationSerializer
    filterset_class = SelfExaminationFilterSet
    model = SelfExamination
    save_service = staticmethod(services.save_exam)
    delete_service = staticmethod(services.delete_exam)


class LifeMeetingViewSet(_Base):
    queryset = LifeMeeting.objects.select_related("org").order_by("org__path", "-date", "pk")
    serializer_class = serializers.LifeMeetingSerializer
    filterset_class = LifeMeetingFilterSet
    model = LifeMeeting
    save_service = staticmethod(services.save_life_meeting)
    delete_service = staticmethod(services.delete_life_meeting)

"""CRUD API of appraisals, scoped like the pages; writes go through the service."""

from django.core.exceptions import ValidationError as DjangoValidationError
from rest_framework.exceptions import ValidationError

from taizhang.core.api import ScopedModelViewSet

from .. import services
from ..filtersets import AppraisalFilterSet
from ..models import Appraisal
from . import serializers


class AppraisalViewSet(ScopedModelViewSet):
    queryset = Appraisal.objects.select_related("member").order_by("org__path", "-year", "member__name")
    serializer_class = serializers.AppraisalSerializer
    filterset_class = AppraisalFilterSet

    def perform_save(self, serializer):
        appraisal = serializer.instance or Appraisal()
        for name, value in serializer.validated_data.items():
            setattr(appraisal, name, value)
        try:
            saved = services.save_appraisal(appraisal, actor=self.request.user)
        except DjangoValidationError as exc:
            raise ValidationError(getattr(exc, "message_dict", {"non_field_errors": exc.messages})) from None
        serializer.instance = saved
        return saved

    def perform_destroy(self, instance):
        self.check_change(instance)
        services.delete_appraisal(instance, actor=self.request.user)

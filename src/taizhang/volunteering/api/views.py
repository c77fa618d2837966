"""CRUD API of posts, activities and registrations, scoped like the pages; writes go
through :mod:`taizhang.volunteering.services` (its ``ValidationError`` becomes a 400)."""

from django.core.exceptions import ValidationError as DjangoValidationError
from django.db import transaction
from rest_framework.exceptions import ValidationError

from taizhang.core.api import ScopedModelViewSet

from .. import services
from ..filtersets import CommunityRegistrationFilterSet, ModelPostFilterSet, VolunteerActivityFilterSet
from ..models import CommunityRegistration, ModelPost, VolunteerActivity
from . import serializers


class ServiceWritesMixin:
    """``perform_save`` / ``perform_destroy`` through the app's services. A create or update
    runs in one transaction with the scope check made after the save (``ScopedModelViewSet``),
    so a record moved to an organization the caller may not change is rolled back, not kept."""

    def perform_create(self, serializer):
        with transaction.atomic():
            super().perform_create(serializer)

    def perform_update(self, serializer):
        with transaction.atomic():
            super().perform_update(serializer)

    def perform_save(self, serializer):
        data = dict(serializer.validated_data)
        m2m = {"participants": data.pop("participants")} if "participants" in data else None
        obj = serializer.instance or self.get_queryset().model()
        for name, value in data.items():
            setattr(obj, name, value)
        try:
            saved = services.save_record(obj, actor=self.request.user, m2m=m2m)
        except DjangoValidationError as exc:
            raise ValidationError(getattr(exc, "message_dict", {"non_field_errors": exc.messages})) from None
        serializer.instance = saved
        return saved

    def perform_destroy(self, instance):
        self.check_change(instance)
        services.delete_record(instance, actor=self.request.user)


class ModelPostViewSet(ServiceWritesMixin, ScopedModelViewSet):
    queryset = ModelPost.objects.select_related("member").order_by("-start", "-pk")
    serializer_class = serializers.ModelPostSerializer
    filterset_class = ModelPostFilterSet


class VolunteerActivityViewSet(ServiceWritesMixin, ScopedModelViewSet):
    queryset = VolunteerActivity.objects.prefetch_related("participants").order_by("-date", "-pk")
    serializer_class = serializers.VolunteerActivitySerializer
    filterset_class = VolunteerActivityFilterSet


class CommunityRegistrationViewSet(ServiceWritesMixin, ScopedModelViewSet):
    queryset = CommunityRegistration.objects.select_related("member").order_by("-registered_on", "-pk")
    serializer_class = serializers.CommunityRegistrationSerializer
    filterset_class = CommunityRegistrationFilterSet

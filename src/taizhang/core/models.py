"""Abstract base models shared by every app (timestamps, the organization a row belongs to)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from .scoping import ScopedQuerySet


class TimeStampedModel(models.Model):
    """Adds ``created_at`` / ``updated_at`` (timezone-aware datetimes)."""

    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)

    class Meta:
        abstract = True


class OrgScopedModel(TimeStampedModel):
    """A business object owned by one organization and visible to that organization's subtree.

    Querysets go through ``Model.objects.visible_to(user)`` / ``.restrict(user, action)``
    (see :mod:`taizhang.core.scoping`).
    """

    org = models.ForeignKey(
        "orgs.Organization", verbose_name=_("组织"), on_delete=models.PROTECT, related_name="+"
    )

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "org"

    class Meta:
        abstract = True

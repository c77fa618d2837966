"""Abstract base models shared by every app (timestamps, the organization a row belongs to)."""

from django.conf import settings
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

    def get_absolute_url(self):
        """The detail page of a registered evidence source (``core.sources``); models with
        pages of their own override this. Raises AttributeError when the kind has none."""
        from django.urls import reverse

        from .sources import source_for_model

        source = source_for_model(self)
        name = source.url_name("detail") if source else None
        if not name:
            raise AttributeError(f"{type(self).__name__} has no detail page")
        return reverse(name, args=[self.pk])


def attachment_path(instance, filename: str) -> str:
    """Uploaded files go under ``attachments/<org id>/<yyyy>/<mm>/`` keeping the user's name."""
    from django.utils import timezone

    now = timezone.now()
    return f"attachments/{instance.org_id}/{now:%Y/%m}/{filename}"


class Attachment(OrgScopedModel):
    """A file attached to any business object (a meeting's sign-in sheet, an update's proof …).

    Scoped by ``org`` (copied from the object it belongs to), so a download is checked by the
    same mechanism as every page. Photos are never a quota (DESIGN.md step 4): attachments are
    always optional.
    """

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    file = models.FileField(_("文件"), upload_to=attachment_path, max_length=300)
    name = models.CharField(_("文件名"), max_length=255)
    size = models.PositiveBigIntegerField(_("大小（字节）"), default=0)
    uploaded_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )

    class Meta:
        verbose_name = _("附件")
        verbose_name_plural = _("附件")
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.name


class Event(models.Model):
    """A domain event: a status move, an approval, a return with its comment.

    The audit trail (django-auditlog) records field changes; events record what happened in
    the business sense, with the reason, for histories such as a rectification's rounds of
    review (DESIGN.md "Audit").
    """

    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    verb = models.CharField(_("动作"), max_length=40)
    from_state = models.CharField(_("原状态"), max_length=30, blank=True)
    to_state = models.CharField(_("新状态"), max_length=30, blank=True)
    comment = models.TextField(_("说明"), blank=True)
    actor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+"
    )
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)

    objects = ScopedQuerySet.as_manager()
    scope_org_field = "org"

    class Meta:
        verbose_name = _("业务事件")
        verbose_name_plural = _("业务事件")
        ordering = ["created_at", "pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return f"{self.verb} {self.from_state}→{self.to_state}"


class ApiToken(models.Model):
    """A personal REST API token (issue 13 §3): named, expiring, revocable by its owner.

    Only the SHA-256 of the key is stored (the key is shown once, when issued); ``prefix``
    (its first 8 characters) tells the owner's tokens apart in the list. A token is refused
    after ``expires_at`` and deleted when its owner changes the password. Writes go through
    :mod:`taizhang.core.tokens`.
    """

    user = models.ForeignKey(settings.AUTH_USER_MODEL, verbose_name=_("用户"),
                             on_delete=models.CASCADE, related_name="api_tokens")
    name = models.CharField(_("名称"), max_length=60)
    prefix = models.CharField(_("前缀"), max_length=8)
    key_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    last_used_at = models.DateTimeField(_("最近使用"), null=True, blank=True)
    expires_at = models.DateTimeField(_("到期时间"))

    class Meta:
        verbose_name = _("API 令牌")
        verbose_name_plural = _("API 令牌")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return f"{self.name} ({self.prefix}…)"


class UsedFormToken(models.Model):
    """A one-time add-form token already used (issue 13 §4): ``token`` (unique) from the
    form's hidden ``form_token``, ``url`` the page of the object it created. A second POST
    with the same token is sent there instead of creating again (see core.badinput)."""

    token = models.CharField(max_length=64, unique=True)
    url = models.CharField(max_length=500)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("已用表单令牌")
        verbose_name_plural = _("已用表单令牌")

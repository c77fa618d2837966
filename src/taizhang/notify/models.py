"""Reminders (督办) and their deliveries: in-app notices, e-mail, group-robot webhooks, feeds.

- :class:`Reminder` is the "sent once" ledger: one row per (kind, target object, key,
  recipient, channel), created before anything is sent; a unique constraint makes a rerun
  (or two workers racing) unable to send the same reminder twice.
- :class:`Notice` is the in-app message a user reads (own rows only).
- :class:`OrgWebhook` is an organization's WeCom / DingTalk group robot.
- :class:`NotifyProfile` holds a user's calendar-feed token and e-mail preference.
"""

from __future__ import annotations

import secrets

from django.conf import settings
from django.db import models
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.models import OrgScopedModel


class Channel(models.TextChoices):
    NOTICE = "notice", _("站内通知")
    EMAIL = "email", _("电子邮件")
    WEBHOOK = "webhook", _("群机器人")


class DeliveryStatus(models.TextChoices):
    PENDING = "pending", _("待发送")
    SENT = "sent", _("已发送")
    FAILED = "failed", _("发送失败")


class OwnQuerySet(models.QuerySet):
    """Scoping for personal rows: a user sees and changes only their own.

    Offers the same interface as :class:`taizhang.core.scoping.ScopedQuerySet`
    (``restrict(user, action)`` / ``visible_to(user)``), so ``core.api`` viewsets and
    ``core.views_mixins`` work unchanged. Superusers get no exception: a notice is private.
    """

    def restrict(self, user, action: str = "view"):
        if not getattr(user, "is_authenticated", False) or not user.is_active:
            return self.none()
        return self.filter(user=user)

    def visible_to(self, user):
        return self.restrict(user)

    def unread(self):
        return self.filter(read_at__isnull=True)


class Reminder(models.Model):
    """One reminder of one kind about one object, for one recipient on one channel.

    ``key`` distinguishes rounds of the same kind on the same object (the due date for
    "due soon" / "overdue", the returning event for "returned", …); ``recipient_key`` is
    ``user:<id>`` for notices and e-mail, ``webhook:<id>`` for a group robot. The unique
    constraint over (kind, content_type, object_id, key, recipient_key, channel) is what
    makes every reminder go out once (issue 3, "each reminder is sent once").
    """

    kind = models.CharField(_("提醒类型"), max_length=40)
    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    key = models.CharField(_("期次"), max_length=64)
    channel = models.CharField(_("渠道"), max_length=10, choices=Channel.choices)
    recipient_key = models.CharField(max_length=40)
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True,
        related_name="+",
    )
    webhook = models.ForeignKey(
        "notify.OrgWebhook", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    org = models.ForeignKey("orgs.Organization", on_delete=models.CASCADE, related_name="+")
    subject = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    status = models.CharField(
        _("状态"), max_length=10, choices=DeliveryStatus.choices, default=DeliveryStatus.PENDING
    )
    attempts = models.PositiveSmallIntegerField(_("尝试次数"), default=0)
    error = models.TextField(_("错误"), blank=True)
    batch = models.CharField(max_length=32, blank=True, db_index=True)  # the run that made it
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)
    sent_at = models.DateTimeField(_("发送时间"), null=True, blank=True)

    class Meta:
        verbose_name = _("提醒")
        verbose_name_plural = _("提醒")
        ordering = ["-created_at", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["kind", "content_type", "object_id", "key", "recipient_key", "channel"],
                name="reminder_sent_once",
            )
        ]
        indexes = [models.Index(fields=["status", "channel"])]

    def __str__(self):
        return f"{self.kind} {self.recipient_key} {self.channel}: {self.subject}"


class Notice(models.Model):
    """An in-app notice for one user; read when ``read_at`` is set."""

    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notices"
    )
    title = models.CharField(_("标题"), max_length=300)
    body = models.TextField(_("内容"), blank=True)
    url = models.CharField(_("链接"), max_length=300, blank=True)
    created_at = models.DateTimeField(_("时间"), auto_now_add=True, db_index=True)
    read_at = models.DateTimeField(_("已读时间"), null=True, blank=True)
    reminder = models.OneToOneField(
        Reminder, on_delete=models.SET_NULL, null=True, blank=True, related_name="notice"
    )

    objects = OwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知")
        verbose_name_plural = _("通知")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["user", "read_at"])]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notify:notice_list")


class WebhookKind(models.TextChoices):
    WECOM = "wecom", _("企业微信群机器人")
    DINGTALK = "dingtalk", _("钉钉群机器人")


class OrgWebhook(OrgScopedModel):
    """A group robot of an organization: reminders about the org are posted to its group.

    ``url`` is the robot's webhook address (it contains the robot's key, so it is a secret
    too); ``secret`` is DingTalk's optional signing secret (``SEC…``, 加签). Managed by users
    holding the "manage" action on ``org``.
    """

    kind = models.CharField(_("类型"), max_length=10, choices=WebhookKind.choices)
    name = models.CharField(_("名称"), max_length=100, blank=True)
    url = models.URLField(_("Webhook 地址"), max_length=500)
    secret = models.CharField(_("加签密钥"), max_length=200, blank=True,
                              help_text=_("仅钉钉：安全设置中“加签”的 SEC 开头字符串，可留空。"))
    enabled = models.BooleanField(_("启用"), default=True)

    class Meta:
        verbose_name = _("群机器人")
        verbose_name_plural = _("群机器人")
        ordering = ["org__path", "pk"]

    def __str__(self):
        return self.name or f"{self.org} · {self.get_kind_display()}"

    def get_absolute_url(self):
        return reverse("notify:webhook_list")

    @property
    def masked_url(self) -> str:
        """The address with its key hidden (for lists): host and path, then ``…``."""
        head, _sep, _query = self.url.partition("?")
        return f"{head}?…" if _query else head


def new_feed_token() -> str:
    """A fresh unguessable calendar-feed token (256 bits, URL-safe)."""
    return secrets.token_urlsafe(32)


class NotifyProfile(models.Model):
    """A user's notification settings: the secret token of their calendar feeds, and
    whether reminders also go by e-mail (on by default; in-app notices always)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notify_profile"
    )
    feed_token = models.CharField(max_length=64, unique=True, default=new_feed_token)
    email_enabled = models.BooleanField(_("同时发送电子邮件"), default=True)
    token_created_at = models.DateTimeField(default=timezone.now)

    objects = OwnQuerySet.as_manager()

    class Meta:
        verbose_name = _("通知设置")
        verbose_name_plural = _("通知设置")

    def __str__(self):
        return str(self.user)


class Urging(OrgScopedModel):
    """督办: the committee office urges an organization about one overdue or slow piece of
    work (an assignment, an occurrence or a rectification measure) with a message (issue 12
    §3; seed 四.1 "加强督促指导"). ``org`` is the urged organization (the work's); the
    message goes out as reminder kind ``urge`` (in-app, e-mail, group robots), and who
    opened it when is read from the in-app notices it made (``notify.urging.receipts``)."""

    content_type = models.ForeignKey("contenttypes.ContentType", on_delete=models.CASCADE)
    object_id = models.PositiveBigIntegerField()
    message = models.TextField(_("督办内容"))
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("督办人"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("督办")
        verbose_name_plural = _("督办")
        ordering = ["-created_at", "-pk"]
        indexes = [models.Index(fields=["content_type", "object_id"])]

    def __str__(self):
        return self.message[:40]

    def get_absolute_url(self):
        return reverse("notify:urging_detail", args=[self.pk])

    @property
    def target(self):
        """The urged work (Assignment, Occurrence or Rectification), or None if deleted."""
        model = self.content_type.model_class()
        return model.objects.filter(pk=self.object_id).first() if model else None


class Audience(models.TextChoices):
    BRANCHES = "branches", _("各党组织负责人")
    MEMBERS = "members", _("全体党员")


class Announcement(OrgScopedModel):
    """A notice (通知) from an organization's office to organizations below it (issue 12 §3):
    to their officers (``branches``) or to every member with an account (``members``), with
    attachments (``core.Attachment``) and read receipts (the in-app notices it made, see
    ``notify.announcements.receipts``). ``org`` is the sender."""

    title = models.CharField(_("标题"), max_length=200)
    body = models.TextField(_("正文"))
    audience = models.CharField(_("发送对象"), max_length=20, choices=Audience.choices,
                                default=Audience.BRANCHES)
    recipients = models.ManyToManyField("orgs.Organization", verbose_name=_("接收组织"),
                                        related_name="+")
    sent_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, verbose_name=_("发送人"), on_delete=models.SET_NULL,
        null=True, blank=True, related_name="+",
    )

    class Meta:
        verbose_name = _("通知公告")
        verbose_name_plural = _("通知公告")
        ordering = ["-created_at", "-pk"]

    def __str__(self):
        return self.title

    def get_absolute_url(self):
        return reverse("notify:announcement_detail", args=[self.pk])

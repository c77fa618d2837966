"""Notices (通知) from an office to the organizations below it (issue 12 §3): sent at once
to their officers or to every member with an account, in-app and on the configured channels
(reminder kind ``announcement``), with attachments; the sender sees who opened it and when.

A recipient reads the notice and its files through :func:`readable` (the sender's subtree,
or a user the notice was sent to), since the sender's organization is above theirs.
"""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.audit import audit_actor
from taizhang.core.models import Attachment
from taizhang.core.scoping import MANAGE, can, path_q, scope_paths
from taizhang.core.status import record_event
from taizhang.core.views_attachments import BLOCKED_SUFFIXES

from .models import Announcement, Audience, Notice, Reminder
from .registry import Message, RoleDirectory, RunContext, reminder_kind

KIND = "announcement"


@reminder_kind(KIND, gettext_lazy("通知公告"))
def _collect(ctx: RunContext):
    """Notices are sent when made (:func:`send_announcement`), never by the daily run."""
    return []


def recipients_of(org, audience: str, exclude=(), roles: RoleDirectory | None = None) -> list:
    """Who gets a notice in ``org``: its own responsible users (its branch officers, or its
    own committee office for a committee; never a superior's staff, issue 12 §3) or, for
    ``members``, every active user of an active member of the organization's subtree.
    Active users only; ``exclude`` (the sender) left out; ``roles``: a directory to reuse."""
    excluded = {getattr(u, "pk", None) for u in exclude}
    if audience == Audience.MEMBERS:
        return list(get_user_model().objects.filter(
            member__org__path__startswith=org.path, member__is_active=True, is_active=True)
            .exclude(pk__in=[pk for pk in excluded if pk is not None]).order_by("username"))
    return (roles or RoleDirectory()).responsible(org, exclude=exclude)


def _check_file(upload) -> None:
    name = Path(upload.name or "").name
    if not upload.size:
        raise ValidationError(_("%(name)s：文件为空。") % {"name": name})
    if upload.size > settings.TAIZHANG_MAX_UPLOAD_BYTES:
        raise ValidationError(_("%(name)s：文件过大（上限 20 MB）。") % {"name": name})
    if Path(name).suffix.lower() in BLOCKED_SUFFIXES:
        raise ValidationError(_("%(name)s：不允许上传此类文件。") % {"name": name})


@transaction.atomic
def send_announcement(data: dict, *, actor) -> Announcement:
    """Create and send a notice. ``data`` = {"org": sender Organization, "title": str,
    "body": str, "audience": an ``Audience`` value, "recipients": [Organization below
    org], "files": [UploadedFile]}. ``PermissionDenied`` unless ``actor`` manages the sender
    and every recipient organization; ``ValidationError`` for no recipient, an organization
    not below the sender, or a refused file (empty, over the upload limit, an executable
    type) — nothing is written then. Audited; an ``announce`` event; one message per
    recipient organization (its group robots get it too)."""
    from . import services

    org = data["org"]
    recipients = list(data.get("recipients") or [])
    if not can(actor, MANAGE, org):
        raise PermissionDenied(_("只有该组织的管理人员可以发布通知。"))
    if not recipients:
        raise ValidationError({"recipients": _("请选择接收组织。")})
    for target in recipients:
        if not target.path.startswith(org.path) or target.pk == org.pk:
            raise ValidationError({"recipients": _("%(name)s 不是发送组织的下级组织。") % {"name": target.name}})
    files = list(data.get("files") or [])
    for upload in files:
        _check_file(upload)
    with audit_actor(actor):
        notice = Announcement.objects.create(
            org=org, title=data["title"].strip()[:200], body=data["body"].strip(),
            audience=data.get("audience") or Audience.BRANCHES,
            sent_by=actor if getattr(actor, "is_authenticated", False) else None)
        notice.recipients.set(recipients)
        ct = ContentType.objects.get_for_model(Announcement)
        for upload in files:
            Attachment.objects.create(org=org, content_type=ct, object_id=notice.pk, file=upload,
                                      name=Path(upload.name).name[:255], size=upload.size,
                                      uploaded_by=notice.sent_by)
    record_event(notice, "announce", actor=actor,
                 comment="、".join(o.name for o in recipients))
    roles = RoleDirectory()
    services.send_messages(KIND, [Message(
        target=notice, org=target, recipients=recipients_of(target, notice.audience, exclude=[actor], roles=roles),
        subject=_("通知：%(title)s") % {"title": notice.title}, body=notice.body[:500],
        url=notice.get_absolute_url(), key="1") for target in recipients])
    return notice


def readable(user):
    """Notices ``user`` may read: those of organizations in the user's subtrees (the
    sender's side) and those sent to the user."""
    paths = scope_paths(user)
    sent_to = Reminder.objects.filter(kind=KIND, user_id=user.pk).values("object_id")
    if paths is None:
        return Announcement.objects.all()
    q = Q(pk__in=sent_to)
    if paths:
        q |= path_q("org", paths)
    return Announcement.objects.filter(q)


def receipts(notice: Announcement) -> list[Notice]:
    """The in-app notices ``notice`` made, with their user and organization (``reminder.org``)
    and ``read_at`` (None: unread); by organization, then user name. One query."""
    ct = ContentType.objects.get_for_model(Announcement)
    return list(Notice.objects.filter(reminder__kind=KIND, reminder__content_type=ct,
                                      reminder__object_id=notice.pk)
                .select_related("user", "reminder__org")
                .order_by("reminder__org__path", "user__username"))


def attachments_of(notice: Announcement) -> list[Attachment]:
    """The notice's files (one query)."""
    ct = ContentType.objects.get_for_model(Announcement)
    return list(Attachment.objects.filter(content_type=ct, object_id=notice.pk).order_by("pk"))

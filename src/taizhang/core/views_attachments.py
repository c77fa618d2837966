"""Attachment upload, download and delete, checked by the scoping mechanism."""

from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .models import Attachment
from .scoping import CHANGE, VIEW, can
from .status import org_of, record_event

def attachments_locked(obj) -> bool:
    """Whether ``obj``'s attachments are frozen evidence (its model's ``attachments_locked()``,
    e.g. a rectification measure claimed complete, verified or closed): none added or removed."""
    locked = getattr(obj, "attachments_locked", None)
    return bool(locked and locked())


BLOCKED_SUFFIXES = {".exe", ".bat", ".cmd", ".com", ".js", ".vbs", ".ps1", ".sh", ".html", ".htm", ".svg"}


@require_POST
@login_required
def attachment_add(request, content_type_id: int, object_id: int):
    """Attach an uploaded file to an object the user may change (403/404 otherwise)."""
    content_type = get_object_or_404(ContentType, pk=content_type_id)
    model = content_type.model_class()
    if model is None or not hasattr(model, "scope_org_field"):
        raise Http404
    obj = get_object_or_404(model.objects.restrict(request.user, VIEW), pk=object_id)
    org = org_of(obj)
    if not can(request.user, CHANGE, org):
        raise PermissionDenied(_("您的账号只有查看权限，不能修改附件。"))
    upload = request.FILES.get("file")
    back = obj.get_absolute_url()
    if attachments_locked(obj):
        messages.error(request, _("该记录已申报完成或已核验，佐证材料不能再增删；如需修改请先退回。"))
        return redirect(back)
    if upload is None or upload.size == 0:
        messages.error(request, _("请选择一个非空文件。"))
        return redirect(back)
    if upload.size > settings.TAIZHANG_MAX_UPLOAD_BYTES:
        messages.error(request, _("%(name)s：文件过大（上限 20 MB）。") % {"name": upload.name})
        return redirect(back)
    if Path(upload.name).suffix.lower() in BLOCKED_SUFFIXES:
        messages.error(request, _("%(name)s：不允许上传此类文件。") % {"name": upload.name})
        return redirect(back)
    Attachment.objects.create(
        org=org, content_type=content_type, object_id=obj.pk, file=upload,
        name=Path(upload.name).name[:255], size=upload.size, uploaded_by=request.user,
    )
    messages.success(request, _("附件已上传。"))
    return redirect(back)


@login_required
def attachment_download(request, pk: int):
    """Stream an attachment the user may see, as a download (never rendered inline)."""
    attachment = get_object_or_404(Attachment.objects.visible_to(request.user), pk=pk)
    return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.name)


@require_POST
@login_required
def attachment_delete(request, pk: int):
    """Delete an attachment of an object the user may change."""
    attachment = get_object_or_404(Attachment.objects.restrict(request.user, CHANGE), pk=pk)
    target = attachment.content_type.get_object_for_this_type(pk=attachment.object_id)
    if attachments_locked(target):
        messages.error(request, _("该记录已申报完成或已核验，佐证材料不能再增删；如需修改请先退回。"))
        return redirect(target.get_absolute_url())
    with transaction.atomic():
        record_event(target, "delete_attachment", actor=request.user, comment=attachment.name)
        attachment.delete()
        transaction.on_commit(lambda: attachment.file.delete(save=False))
    messages.success(request, _("附件已删除。"))
    return redirect(target.get_absolute_url())

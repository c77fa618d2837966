"""Roster import (upload → validation report or preview → confirm) and export pages.

Only users with the "manage" action on the target organization may import; the export
holds the members the user may see, filtered like the list, phones masked.
"""

from __future__ import annotations

import secrets
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.excel import xlsx_response
from taizhang.core.scoping import MANAGE

from .filtersets import MemberFilterSet
from .forms import RosterUploadForm
from .models import Organization
from .services import EXPORT_COLUMNS, import_roster, roster_queryset, roster_rows

SESSION_KEY = "orgs_roster_import"
PENDING_MAX_AGE = 24 * 3600  # seconds an uploaded, unconfirmed roster is kept


def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "roster_pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store_pending(data: bytes) -> str:
    """Keep an uploaded roster until it is confirmed; drop stale ones. Returns its token."""
    folder = _pending_dir()
    for old in folder.glob("*.bin"):
        if time.time() - old.stat().st_mtime > PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}.bin").write_bytes(data)
    return token


def _require_manager(user) -> None:
    if not Organization.objects.restrict(user, MANAGE).exists():
        raise PermissionDenied


@login_required
def roster_import(request):
    """Upload a roster → validation report (every bad row) or a preview of the changes."""
    _require_manager(request.user)
    form = RosterUploadForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload, org = form.cleaned_data["file"], form.cleaned_data["org"]
        data = upload.read()
        result = import_roster(data, org, dry_run=True)
        context.update(result=result, org=org, filename=upload.name)
        if result.ok:
            request.session[SESSION_KEY] = {
                "token": _store_pending(data), "org": org.pk, "name": upload.name}
        return render(request, "orgs/roster_import.html", context)
    return render(request, "orgs/roster_import.html", context)


@require_POST
@login_required
def roster_import_confirm(request):
    """Write the roster previewed in this session (validated again: the data may have changed)."""
    _require_manager(request.user)
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("导入已失效，请重新上传花名册。"))
        return redirect("orgs:roster_import")
    org = get_object_or_404(Organization.objects.restrict(request.user, MANAGE), pk=pending["org"])
    path = _pending_dir() / f"{pending['token']}.bin"
    if "cancel" in request.POST or not path.exists():
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.info(request, _("已取消导入。"))
        return redirect("orgs:roster_import")
    result = import_roster(path.read_bytes(), org)
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    if not result.ok:
        return render(request, "orgs/roster_import.html", {
            "form": RosterUploadForm(user=request.user), "result": result, "org": org,
            "filename": pending["name"]})
    messages.success(request, _(
        "花名册已导入：新增党员 %(c)d 名，更新 %(u)d 名，未变 %(n)d 名，新建组织 %(o)d 个。"
    ) % {"c": result.created, "u": result.updated, "n": result.unchanged, "o": len(result.orgs_created)})
    return redirect(f"{org.get_absolute_url()}")


@login_required
def roster_export(request):
    """The roster as .xlsx: members the user may see, with the list's filters; phones masked."""
    base = roster_queryset(request.user)
    filterset = MemberFilterSet(request.GET or None, queryset=base, request=request)
    # Like FilterView's strict mode: an invalid filter (e.g. another branch's id) gives no rows.
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none()
    name = f"党员花名册-{timezone.localdate():%Y%m%d}.xlsx"
    return xlsx_response(name, "党员花名册", EXPORT_COLUMNS, roster_rows(queryset))

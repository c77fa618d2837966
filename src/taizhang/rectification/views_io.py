"""Ledger import (upload → dry-run preview → confirm) and exports (.xlsx, .csv, .docx, one
problem's dossier). Exports hold what the user may see, filtered like the ledger page."""

from __future__ import annotations

import io
import secrets
import tempfile
import time
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from taizhang.core.scoping import CHANGE
from taizhang.orgs.models import Organization

from .exports import ledger_docx, problem_dossier_docx, write_ledger_csv, write_ledger_xlsx
from .filtersets import LedgerFilterSet
from .forms import LedgerUploadForm
from .importer import import_ledger
from .ledger import export_queryset
from .models import Problem, Rectification
from .views import measure_events

SESSION_KEY = "rectification_ledger_import"
PENDING_MAX_AGE = 24 * 3600
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"


def filtered_measures(request):
    """Measures the user may see, with the ledger's filters of ``request.GET`` (an invalid
    filter, e.g. another branch's id, gives no rows)."""
    base = Rectification.objects.visible_to(request.user)
    filterset = LedgerFilterSet(request.GET or None, queryset=base, request=request)
    queryset = filterset.qs if not filterset.is_bound or filterset.is_valid() else base.none()
    return export_queryset(queryset)


def _stamp() -> str:
    return f"{timezone.localdate():%Y%m%d}"


@login_required
def export_xlsx(request):
    """The ledger as a streamed .xlsx (problem cells merged over their measures)."""
    handle = tempfile.TemporaryFile()
    write_ledger_xlsx(handle, filtered_measures(request))
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"整改台账-{_stamp()}.xlsx", content_type=XLSX)


class _Echo:
    def write(self, value):
        return value


@login_required
def export_csv(request):
    """The ledger as CSV (UTF-8 with BOM), streamed row by row."""
    import csv

    from .exports import HEADERS, ledger_rows
    from taizhang.core.excel import neutralise

    def rows():
        writer = csv.writer(_Echo())
        yield "\ufeff" + writer.writerow(HEADERS)
        for _pid, values in ledger_rows(filtered_measures(request)):
            yield writer.writerow([neutralise(v.isoformat() if hasattr(v, "isoformat") else v) for v in values])

    response = StreamingHttpResponse(rows(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(f'整改台账-{_stamp()}.csv')}"
    return response


def _quote(name: str) -> str:
    from urllib.parse import quote

    return quote(name)


def _docx_response(document, filename: str):
    buffer = io.BytesIO()
    document.save(buffer)
    buffer.seek(0)
    return FileResponse(buffer, as_attachment=True, filename=filename, content_type=DOCX)


@login_required
def export_docx(request):
    """The rectification list (整改清单) as a Word table."""
    return _docx_response(ledger_docx(filtered_measures(request)), f"整改清单-{_stamp()}.docx")


@login_required
def problem_docx(request, pk):
    """One problem's dossier: the problem, measures, every update, verification and close-out."""
    problem = get_object_or_404(Problem.objects.visible_to(request.user).select_related("org", "source"), pk=pk)
    measures = list(problem.measures.select_related("department_org").prefetch_related("updates").order_by("position"))
    document = problem_dossier_docx(problem, measures, measure_events(measures))
    return _docx_response(document, f"问题整改档案-{problem.pk}.docx")


# ---- import -----------------------------------------------------------------------------------

def _pending_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "ledger_pending"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _store_pending(data: bytes, suffix: str) -> str:
    folder = _pending_dir()
    for old in folder.glob("*"):
        if time.time() - old.stat().st_mtime > PENDING_MAX_AGE:
            old.unlink(missing_ok=True)
    token = secrets.token_hex(16)
    (folder / f"{token}{suffix}").write_bytes(data)
    return token


def _require_changer(user) -> None:
    if not Organization.objects.restrict(user, CHANGE).exists():
        raise PermissionDenied


@login_required
def import_upload(request):
    """Upload a ledger → dry run → preview (problems, measures, parsed deadlines) or the list
    of every bad row; nothing is written until "confirm"."""
    _require_changer(request.user)
    form = LedgerUploadForm(request.POST or None, request.FILES or None, user=request.user)
    context = {"form": form}
    if request.method == "POST" and form.is_valid():
        upload, org = form.cleaned_data["file"], form.cleaned_data["org"]
        data = upload.read()
        suffix = Path(upload.name).suffix.lower() or ".xlsx"
        result = import_ledger(data, org, dry_run=True, user=request.user, name=upload.name)
        context.update(result=result, org=org, filename=upload.name)
        if result.ok:
            token = _store_pending(data, suffix)
            request.session[SESSION_KEY] = {"token": token, "suffix": suffix, "org": org.pk, "name": upload.name}
            context["token"] = token
    return render(request, "rectification/import.html", context)


@require_POST
@login_required
def import_confirm(request):
    """Write the previewed ledger (validated again: the data may have changed meanwhile)."""
    _require_changer(request.user)
    pending = request.session.get(SESSION_KEY)
    if not pending or pending.get("token") != request.POST.get("token"):
        messages.error(request, _("导入已失效，请重新上传台账。"))
        return render(request, "rectification/import.html", {"form": LedgerUploadForm(user=request.user)},
                      status=400)
    org = get_object_or_404(Organization.objects.restrict(request.user, CHANGE), pk=pending["org"])
    path = _pending_dir() / f"{pending['token']}{pending['suffix']}"
    if "cancel" in request.POST or not path.exists():
        path.unlink(missing_ok=True)
        del request.session[SESSION_KEY]
        messages.info(request, _("已取消导入。"))
        return redirect("rectification:import")
    result = import_ledger(path, org, user=request.user, name=pending["name"])
    path.unlink(missing_ok=True)
    del request.session[SESSION_KEY]
    if not result.ok:
        return render(request, "rectification/import.html", {
            "form": LedgerUploadForm(user=request.user), "result": result, "org": org,
            "filename": pending["name"]})
    messages.success(request, _("台账已导入：") + result.summary())
    return redirect("rectification:ledger")



"""Ledger import (upload → dry-run preview → confirm) and exports (.xlsx, .csv, .docx, one
problem's dossier). Exports hold what the user may see, filtered like the ledger page."""

from __future__ import annotations

import io
import tempfile

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, StreamingHttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.export_jobs import offload
from taizhang.core.scoping import CHANGE
from taizhang.core.uploads import CONFIRM, CheckedImportView

from .exports import TITLE, ledger_csv_lines, ledger_docx, problem_dossier_docx, write_ledger_xlsx
from .filtersets import LedgerFilterSet
from .forms import LedgerUploadForm
from .importer import import_ledger
from .ledger import export_queryset
from .models import Problem, Rectification
from .views import measure_events

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


def review_mark(request) -> str:
    """"未经上级审核" when the export is a unit committee's (the ledger's ``?org=`` filter,
    else the user's topmost organization) whose leadership problem list the superior has
    not approved as it stands (``listreview.unapproved_mark``; seed 四.2: marked, never
    refused), else ""."""
    from taizhang.orgs.units import default_root

    from .listreview import unapproved_mark

    filterset = LedgerFilterSet(request.GET or None, queryset=Rectification.objects.none(),
                                request=request)
    org = filterset.form.cleaned_data.get("org") if filterset.is_bound and filterset.is_valid() else None
    return unapproved_mark(org or default_root(request.user))


def _titled(name: str, mark: str) -> str:
    """A title or file stem with the review mark: "整改台账（未经上级审核）"."""
    return f"{name}（{mark}）" if mark else name


@login_required
def export_xlsx(request):
    """The ledger as a streamed .xlsx (problem cells merged over their measures); over
    ``TAIZHANG_BACKGROUND_EXPORT_ROWS`` measures a background job (``core.export_jobs``)."""
    measures = filtered_measures(request)
    if (job := offload(request, measures.count(), _("整改台账"))) is not None:
        return job
    handle = tempfile.TemporaryFile()
    mark = review_mark(request)
    write_ledger_xlsx(handle, measures, title=_titled(TITLE, mark))
    handle.seek(0)
    return FileResponse(handle, as_attachment=True, filename=f"{_titled('整改台账', mark)}-{_stamp()}.xlsx",
                        content_type=XLSX)


@login_required
def export_csv(request):
    """The ledger as CSV (UTF-8 with BOM), streamed line by line."""
    response = StreamingHttpResponse(ledger_csv_lines(filtered_measures(request)),
                                     content_type="text/csv; charset=utf-8")
    name = f"{_titled('整改台账', review_mark(request))}-{_stamp()}.csv"  # no title row in a CSV
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{_quote(name)}"
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
    title = _titled("整改清单", review_mark(request))
    return _docx_response(ledger_docx(filtered_measures(request), title=title), f"{title}-{_stamp()}.docx")


@login_required
def problem_docx(request, pk):
    """One problem's dossier: the problem, measures, every update, verification and close-out."""
    problem = get_object_or_404(Problem.objects.visible_to(request.user).select_related("org", "source"), pk=pk)
    measures = list(problem.measures.select_related("department_org").prefetch_related("updates").order_by("position"))
    document = problem_dossier_docx(problem, measures, measure_events(measures))
    return _docx_response(document, f"问题整改档案-{problem.pk}.docx")


# ---- import -----------------------------------------------------------------------------------

class LedgerImportView(CheckedImportView):
    """Upload a ledger → dry run → preview (problems, measures, parsed deadlines) or the list
    of every bad row; nothing is written until "confirm" (validated again: the data may have
    changed meanwhile). Needs "change" on some organization; the upload, keeping and atomic
    write are :class:`taizhang.core.uploads.CheckedImportView`'s."""

    form_class = LedgerUploadForm
    template_name = "rectification/import.html"
    url_name = "rectification:import"
    confirm_url_name = "rectification:import_confirm"
    session_key = "rectification_ledger_import"
    pending_folder = "ledger_pending"
    suffixes = frozenset({".xlsx", ".xlsm", ".xls", ".et", ".ods"})
    wrong_type = gettext_lazy("请上传 Excel 台账（.xlsx）。")
    scope_action = CHANGE
    import_is_atomic = True  # reads the workbook before its short bulk-write transaction
    background_runner = "taizhang.rectification.importer.import_ledger"
    background_label = gettext_lazy("导入整改台账")
    expired_message = gettext_lazy("导入已失效，请重新上传台账。")
    expired_status = 400

    def run_import(self, path, org, *, dry_run, name):
        """:func:`taizhang.rectification.importer.import_ledger` of the kept file, by this user."""
        return import_ledger(path, org, dry_run=dry_run, user=self.request.user, name=name)

    def success_message(self, result) -> str:
        """What was imported (the result's summary)."""
        return _("台账已导入：") + result.summary()

    def get_success_url(self, org, result) -> str:
        """The ledger page."""
        return reverse("rectification:ledger")


import_upload = LedgerImportView.as_view()
import_confirm = LedgerImportView.as_view(step=CONFIRM)

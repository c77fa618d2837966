"""The ``archive`` report: a branch's (or the committee's) year in one .zip (issue 11 §1).

Contents, each from its owner:
- ``台账/``: every registered kind's Excel ledger (``core.sources``: each kind's ``ledger``),
  its records of the subtree dated in the year, and the rectification ledger (measures of
  the problems found in the year or undated);
- ``会议记录/``: every meeting of the year as a Word record (the ``meeting`` report);
- ``合规检查.xlsx``: the compliance findings of the year (``compliance.engine.evaluate``);
- ``问题清单.docx``: the problem list of the year (the ``problems`` report);
- ``目录.docx``: the contents page, listing every file with its number of records.
"""

from __future__ import annotations

import io
import zipfile

from django.db.models import Prefetch, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.excel import Column, write_xlsx
from taizhang.core.sources import sources
from taizhang.records.models import Attendance, Meeting

from .common import Params, cn_date, in_period, scoped

SCHEMA = {
    "org": _("组织"), "year": _("年度"), "generated_on": _("生成日期"),
    "files": [{"number": _("序号"), "path": _("文件"), "title": _("内容"), "count": _("记录数")}],
    "total": _("文件数"),
}


def _safe(name: str) -> str:
    return "".join("_" if ch in '\\/:*?"<>|' else ch for ch in name)


def _ledgers(params: Params, archive: zipfile.ZipFile, files: list) -> None:
    for source in sources():
        if not source.ledger:
            continue
        ledger = source.part("ledger")
        model = source.model_class
        queryset = scoped(model.objects.all(), params.user)
        queryset = queryset.filter(**{f"{source.org_field}__path__startswith": params.org.path})
        queryset = in_period(queryset, params, source.date_field)
        if source.related:
            queryset = queryset.select_related(*source.related)
        buffer = io.BytesIO()
        count = write_xlsx(buffer, ledger.title, ledger.columns, ledger.rows(queryset.order_by("pk")))
        path = f"台账/{_safe(ledger.title)}.xlsx"
        archive.writestr(path, buffer.getvalue())
        files.append((path, ledger.title, count))


def _meetings(params: Params, archive: zipfile.ZipFile, files: list, progress=None) -> None:
    from taizhang.reports import templating
    from taizhang.reports.generate import template_for
    from taizhang.reports.kinds import get_kind

    from . import meeting as meeting_report

    kind = get_kind("meeting")
    meetings = in_period(scoped(Meeting.objects.all(), params.user), params).filter(
        org__path__startswith=params.org.path).select_related("org", "host", "recorder").prefetch_related(
            Prefetch("attendance", queryset=Attendance.objects.select_related("member")), "motions").order_by("date", "pk")
    renderers: dict[bytes, templating.BatchRenderer] = {}
    template_of: dict[int, bytes] = {}
    total = meetings.count()
    for n, meeting in enumerate(meetings.iterator(chunk_size=200), start=1):
        if meeting.org_id not in template_of:
            template_of[meeting.org_id] = template_for(kind, meeting.org)[0]
        template = template_of[meeting.org_id]
        if template not in renderers:
            renderers[template] = templating.BatchRenderer(template)
        context = meeting_report.build(Params(meeting=meeting, user=params.user))
        name = _safe(f"{meeting.date:%Y%m%d}-{meeting.org.name}-{context['meeting']['title']}-{meeting.pk}.docx")
        # A .docx is a zip already: stored, not compressed again.
        archive.writestr(f"会议记录/{name}", renderers[template].render(context), compress_type=zipfile.ZIP_STORED)
        if progress and n % 50 == 0:
            progress(10 + int(70 * n / total))
    files.append(("会议记录/", "会议记录（每次会议一份 Word 文档）", total))


def _rectification(params: Params, archive: zipfile.ZipFile, files: list) -> None:
    from taizhang.rectification.exports import write_ledger_xlsx
    from taizhang.rectification.ledger import export_queryset
    from taizhang.rectification.models import Rectification

    measures = scoped(Rectification.objects.all(), params.user).filter(org__path__startswith=params.org.path)
    start, end = params.period
    measures = measures.filter(Q(problem__found_on=None) | Q(problem__found_on__range=(start, end)))
    buffer = io.BytesIO()
    count = write_ledger_xlsx(buffer, export_queryset(measures))
    archive.writestr("台账/问题整改台账.xlsx", buffer.getvalue())
    files.append(("台账/问题整改台账.xlsx", "问题整改台账", count))


def _compliance(params: Params, archive: zipfile.ZipFile, files: list) -> None:
    from taizhang.compliance import periods
    from taizhang.compliance.engine import evaluate

    report = evaluate(params.org, periods.parse(str(params.year)))
    names = {row.id: row.name for row in report.rows}
    columns = [Column("序号", 6), Column("组织", 22), Column("规则", 40), Column("期间", 14),
               Column("程度", 8), Column("问题说明", 60)]
    severity = {"error": "错误", "warning": "提醒", "reminder": "提示"}
    rows = ([i, names.get(v.row_id, ""), f"{v.rule.id} {v.rule.title}", v.period.label if v.period else "",
             severity.get(v.severity, v.severity), v.message] for i, v in enumerate(report.violations, 1))
    buffer = io.BytesIO()
    count = write_xlsx(buffer, "合规检查", columns, rows)
    archive.writestr("合规检查.xlsx", buffer.getvalue())
    files.append(("合规检查.xlsx", "组织生活合规检查结果", count))


def build(params: Params, progress=None) -> bytes:
    """The archive as .zip bytes (see :func:`write`; for small archives and tests)."""
    out = io.BytesIO()
    write(params, out, progress)
    return out.getvalue()


def write(params: Params, target, progress=None) -> None:
    """Write the archive of ``params.org`` and ``params.year`` (both required) as a .zip to
    ``target`` (a path or a binary file): the committee's archive at city scale is too big to
    hold in memory, so the command and the background job write to a file."""
    from taizhang.reports import templating
    from taizhang.reports.generate import render_docx, template_for
    from taizhang.reports.kinds import get_kind

    from . import problems as problems_report

    files: list[tuple[str, str, int]] = []
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        _ledgers(params, archive, files)
        _rectification(params, archive, files)
        if progress:
            progress(10)
        _meetings(params, archive, files, progress)
        _compliance(params, archive, files)
        if progress:
            progress(85)
        problem_params = Params(org=params.org, year=params.year, user=params.user)
        archive.writestr("问题清单.docx", render_docx(get_kind("problems"), problem_params))
        files.append(("问题清单.docx", "问题清单", len(problems_report.queryset(problem_params))))
        context = {"org": params.org.name, "year": params.year, "generated_on": cn_date(timezone.localdate()),
                   "total": len(files),
                   "files": [{"number": i, "path": p, "title": t, "count": c} for i, (p, t, c) in enumerate(files, 1)]}
        contents = templating.render(template_for(get_kind("archive"), params.org)[0], context)
        archive.writestr("目录.docx", contents)

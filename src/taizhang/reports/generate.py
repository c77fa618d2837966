"""Making a report's file: pick the template, build the context, render, convert.

The one path every caller takes (the pages, the ``taizhang report`` command, the background
job): :func:`generate` returns the file name and bytes of a report in a format.
"""

from __future__ import annotations

from pathlib import Path

from taizhang.core.office import docx_to_pdf

from . import templating
from .builders.common import Params
from .kinds import ReportKind
from .params import subject

SHIPPED = Path(__file__).resolve().parent / "shipped"
CONTENT_TYPES = {
    "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    "pdf": "application/pdf",
    "zip": "application/zip",
}


class FormatError(ValueError):
    """A format the report does not come in."""


def template_for(kind: ReportKind, org) -> tuple[bytes, str]:
    """(template bytes, where it comes from): the uploaded template of ``org`` or of its
    nearest ancestor that has one, else the shipped one."""
    from .models import ReportTemplate

    if org is not None:
        paths = [org.path[:n] for n in range(len(org.path), 0, -org.steplen)]
        found = (ReportTemplate.objects.filter(kind=kind.code, org__path__in=paths)
                 .select_related("org").order_by("-org__depth").first())
        if found is not None:
            with found.file.open("rb") as handle:
                return handle.read(), f"{found.org.name}：{found.name}"
    return (SHIPPED / f"{kind.code}.docx").read_bytes(), "系统默认模板"


def template_org(params: Params):
    """The organization whose templates a report uses: the meeting's (or 民主生活会's), else the report's org,
    else the campaign's."""
    if params.life_meeting is not None:
        return params.life_meeting.org
    if params.meeting is not None:
        return params.meeting.org
    return params.org or (params.campaign.org if params.campaign is not None else None)


def render_docx(kind: ReportKind, params: Params, progress=None) -> bytes:
    """The report as .docx bytes (template of :func:`template_for`)."""
    context = kind.build(params, progress=progress)
    template, _origin = template_for(kind, template_org(params))
    return templating.render(template, context)


def file_name(kind: ReportKind, params: Params, fmt: str) -> str:
    """The report's file name: its label and subject ("年度档案-办公室党支部-2023.zip")."""
    return "-".join(part for part in (str(kind.label), subject(params)) if part) + f".{fmt}"


def write_file(kind: ReportKind, params: Params, fmt: str, path: Path, progress=None) -> str:
    """Write the report in ``fmt`` to ``path``; returns its file name (see :func:`generate`).
    An archive is streamed into the file, never held in memory."""
    if kind.writer and fmt == "zip":
        from django.utils.module_loading import import_string

        import_string(kind.writer)(params, str(path), progress=progress)
        return file_name(kind, params, fmt)
    name, content = generate(kind, params, fmt, progress)
    Path(path).write_bytes(content)
    return name


def generate(kind: ReportKind, params: Params, fmt: str, progress=None) -> tuple[str, bytes]:
    """(file name, bytes) of the report in ``fmt`` ("docx", "pdf" or, for an archive,
    "zip"). Raises :class:`FormatError` for another format, ``core.office.ConversionError``
    when the PDF cannot be made, ``templating.OutputError`` when tags survive."""
    if fmt not in kind.formats:
        raise FormatError(f"“{kind.label}”不提供 .{fmt} 格式，可用：{'、'.join('.' + f for f in kind.formats)}")
    name = file_name(kind, params, fmt)
    if kind.output == "zip":
        return name, kind.build(params, progress=progress)
    content = render_docx(kind, params, progress)
    if fmt == "pdf":
        if progress:
            progress(85)
        content = docx_to_pdf(content)
    return name, content

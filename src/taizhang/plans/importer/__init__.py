"""The task-list importer: a document → a :class:`PlanDraft` (pure Python, no Django).

Public API::

    parse_file(path) -> PlanDraft          # any supported file (.txt/.md/.docx/.pdf/.xlsx/...)
    parse_text(text, name="<text>") -> PlanDraft
    parse_document(doc: SourceDocument) -> PlanDraft

All three raise :class:`DocumentError` with one line naming the document when it is missing,
unreadable, empty or has no numbered items. ``PlanDraft.to_dict()`` is the JSON contract of
``taizhang import_plan FILE --json`` (issue 2 §3).
"""

from __future__ import annotations

from pathlib import Path

from .clean import split_lines
from .model import (
    Diagnostic, DocumentError, Node, PlanDraft, SourceDocument, SourceLine, SourceTable,
)
from .pipeline import draft_from_document

__all__ = [
    "parse_file", "parse_text", "parse_document",
    "PlanDraft", "Node", "Diagnostic", "DocumentError",
    "SourceDocument", "SourceLine", "SourceTable",
]


def parse_text(text: str, name: str = "<text>") -> PlanDraft:
    """Parse a task list given as text (lines split on CRLF/CR/LF, numbered from 1).

    ``name`` names the document in error messages and diagnostics. Raises
    :class:`DocumentError` when the text is empty or has no numbered items.
    """
    lines = [SourceLine(number=i, text=t) for i, t in enumerate(split_lines(text), start=1)]
    return parse_document(SourceDocument(name=name, lines=lines))


def parse_document(doc: SourceDocument, *, columns: dict | None = None,
                   sheet: str | None = None) -> PlanDraft:
    """Parse a document a reader produced: its task table when it has one (``table.py``),
    else the outline of its lines.

    ``sheet``: read only the workbook sheet of that name (hidden ones too) instead of the
    visible sheets. ``columns``: {0-based column index: role} (roles: ``overrides.ROLES``
    keys — "task", "measure", "deadline", "units", "people", "lead", "seq", "subseq",
    "remark", "ignore"), put over what the first table's header says; the table is then
    read as a table whatever its header names. Raises :class:`DocumentError` (empty, no
    numbered items, or a bad override: unknown role, column or sheet). When a workbook's
    table is not recognised the error carries ``layout`` (``PlanDraft.layout``) so that a
    preview can offer the roles to pick.
    """
    from .overrides import check_columns, layout_of, select_sheet

    if sheet is not None:
        doc = select_sheet(doc, sheet)
    if columns is not None:
        if not doc.tables:
            raise DocumentError(f"{doc.name}：不是表格，无法指定各列的用途")
        draft = build_from_tables(doc, check_columns(columns, doc.name))
        assert draft is not None  # a checked override always yields a header
        return draft
    if doc.tables:
        from .table import build_from_tables as build

        draft = build(doc)
        if draft is not None:
            return draft
    try:
        draft = draft_from_document(doc)
    except DocumentError as exc:
        if doc.tables:
            exc.layout = layout_of(doc, doc.tables[0], None)
        raise
    if doc.tables:
        draft.layout = layout_of(doc, doc.tables[0], None)
    return draft


def build_from_tables(doc: SourceDocument, columns: dict[int, str] | None = None) -> PlanDraft | None:
    """``table.build_from_tables`` (imported late: the table module is only needed for tables)."""
    from .table import build_from_tables as build

    return build(doc, columns)


def parse_file(path, *, columns: dict | None = None, sheet: str | None = None) -> PlanDraft:
    """Read and parse the file at ``path`` (str or Path).

    The format is chosen by the readers package from the file itself (txt/md with encoding
    detection, docx, pdf, doc/wps via LibreOffice, xlsx). ``columns`` and ``sheet``: the
    user's corrections of how a table is read (see :func:`parse_document`). Raises
    :class:`DocumentError` with one line naming the file when it is missing, unreadable,
    empty, has no numbered items, or an override does not fit it.
    """
    from .readers import read_document

    return parse_document(read_document(Path(path)), columns=columns, sheet=sheet)

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


def parse_document(doc: SourceDocument) -> PlanDraft:
    """Parse a document a reader produced: its task table when it has one (``table.py``),
    else the outline of its lines. Raises :class:`DocumentError` (empty, no numbered items).
    """
    if doc.tables:
        from .table import build_from_tables

        draft = build_from_tables(doc)
        if draft is not None:
            return draft
    return draft_from_document(doc)


def parse_file(path) -> PlanDraft:
    """Read and parse the file at ``path`` (str or Path).

    The format is chosen by the readers package from the file itself (txt/md with encoding
    detection, docx, pdf, doc/wps via LibreOffice, xlsx). Raises :class:`DocumentError` with
    one line naming the file when it is missing, unreadable, empty or has no numbered items.
    """
    from .readers import read_document

    return parse_document(read_document(Path(path)))

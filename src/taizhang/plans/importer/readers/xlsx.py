"""Workbook reader for task lists: every visible sheet as a :class:`SourceTable`.

The reading itself (.xlsx after the OOXML check, BIFF .xls, HTML and SpreadsheetML saved
as .xls; merged cells filled in; dates ISO; whole numbers without ``.0``) is the one reader
of every importer, :mod:`taizhang.core.reading.workbook`. Here:

- ``tables`` are the visible non-empty sheets in order; hidden sheets (a drop-down list's
  source, issue 16 §3) are read only when no sheet is visible;
- ``lines`` are the non-empty rows, numbered by sheet row, cells joined by a tab, as written
  (a merged value once, on its first row). Rows of a later sheet keep their own numbers.
"""

from __future__ import annotations

from pathlib import Path

from taizhang.core.reading.ooxml import ReadError
from taizhang.core.reading.workbook import cell_text, read_workbook

from ..model import DocumentError, SourceDocument, SourceLine, SourceTable

__all__ = ["read_xlsx", "read_sheets", "cell_text"]


def read_xlsx(path: Path, name: str | None = None) -> SourceDocument:
    """Read the visible sheets of a workbook (any kind :func:`read_workbook` knows).

    Raises :class:`DocumentError` when the file is refused, not a readable workbook, or
    every sheet is empty.
    """
    return read_sheets(path, name)


def read_sheets(source, name: str | None = None) -> SourceDocument:
    """:func:`read_xlsx` for a path or ``bytes``; raises :class:`DocumentError`."""
    name = name or (Path(source).name if not isinstance(source, (bytes, bytearray)) else "工作簿")
    try:
        sheets = read_workbook(source, name)
    except ReadError as exc:
        raise DocumentError(str(exc)) from exc
    visible = [s for s in sheets if not s.hidden] or sheets
    doc = SourceDocument(name=name)
    for sheet in visible:
        doc.tables.append(SourceTable(name=sheet.name, rows=sheet.rows, merged=sheet.merged))
        doc.lines.extend(SourceLine(number=r, text="\t".join(v for v in cells if v))
                         for r, cells in sheet.written)
    if not doc.tables:
        raise DocumentError(f"{name}：工作簿是空的，所有工作表都没有内容")
    doc.hidden_tables = [s.name for s in sheets if s.hidden and s not in visible]
    for sheet in sheets:
        doc.all_tables.append(next((t for t in doc.tables if t.name == sheet.name), None)
                              or SourceTable(name=sheet.name, rows=sheet.rows, merged=sheet.merged))
        doc.table_lines[sheet.name] = [SourceLine(number=r, text="\t".join(v for v in cells if v))
                                       for r, cells in sheet.written]
    return doc

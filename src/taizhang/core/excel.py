"""Excel export helpers shared by every app: a streamed write-only workbook, formula-safe text.

DESIGN.md "Exports are streamed": rows are written one by one into an openpyxl write-only
workbook (constant memory whatever the number of rows), then served from a temporary file in
chunks. User text that a spreadsheet would run as a formula (``=``, ``+``, ``-``, ``@``, and
the tab/CR tricks of OWASP's "CSV injection" page) is never a formula: in a workbook it is a
text cell marked ``quotePrefix`` (Excel, WPS and LibreOffice show it as typed, no apostrophe,
and keep it text when edited); in CSV, which has no types, it gets a leading apostrophe.
"""

from __future__ import annotations

import datetime as dt
import tempfile
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

# Characters that make Excel/WPS/LibreOffice treat a cell's text as a formula or DDE command.
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

DATE_FORMAT = "yyyy-mm-dd"
MONTH_FORMAT = "yyyy-mm"


def neutralise(value):
    """Return ``value`` safe to put into a CSV field.

    Strings starting with a formula character get a leading ``'`` (shown as text, never
    evaluated); other values (numbers, dates, None) are returned unchanged.
    """
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def is_formula_like(value) -> bool:
    """Whether a spreadsheet would read ``value`` (a string) as a formula or DDE command."""
    return isinstance(value, str) and value.startswith(FORMULA_PREFIXES)


def as_text(cell: WriteOnlyCell) -> WriteOnlyCell:
    """Make ``cell`` (whose value looks like a formula) a text cell marked ``quotePrefix``:
    shown exactly as typed, never evaluated. Returns the cell."""
    cell.data_type = "s"
    cell.quotePrefix = True
    return cell


def safe_value(sheet, value):
    """``value`` ready for ``sheet.append`` on a write-only sheet: unchanged, or a text cell
    (:func:`as_text`) when it looks like a formula."""
    if is_formula_like(value):
        return as_text(WriteOnlyCell(sheet, value=value))
    return value


@dataclass(frozen=True)
class Column:
    """One exported column: ``header`` (shown), ``width`` (Excel character units) and
    ``number_format`` for date cells (e.g. :data:`DATE_FORMAT`)."""

    header: str
    width: float = 14
    number_format: str | None = None


@dataclass(frozen=True)
class Ledger:
    """An Excel ledger (台账) of one record kind: ``title`` (file and sheet name), its
    ``columns`` and ``rows(queryset)`` turning a scoped, filtered queryset into row lists
    lazily (chunked), so memory stays flat whatever the number of rows."""

    title: str
    columns: list
    rows: object


def write_xlsx(target, sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence]) -> int:
    """Write a one-sheet workbook to ``target`` (a path or a binary file object).

    ``rows`` is any iterable of value sequences in column order (consumed once, lazily);
    strings are neutralised, ``datetime.date`` values stay real dates formatted with the
    column's ``number_format`` (default :data:`DATE_FORMAT`). The header row is bold and
    frozen. Returns the number of data rows written.
    """
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=sheet_title[:31] or "Sheet1")
    for index, column in enumerate(columns):
        letter = _column_letter(index)
        sheet.column_dimensions[letter].width = column.width
    sheet.freeze_panes = "A2"
    bold = Font(bold=True)
    header = []
    for column in columns:
        cell = WriteOnlyCell(sheet, value=column.header)
        cell.font = bold
        header.append(cell)
    sheet.append(header)
    count = 0
    for values in rows:
        cells = []
        for column, value in zip(columns, values, strict=False):
            if isinstance(value, dt.date):
                cell = WriteOnlyCell(sheet, value=value)
                cell.number_format = column.number_format or DATE_FORMAT
                cells.append(cell)
            else:
                cells.append(safe_value(sheet, value))
        sheet.append(cells)
        count += 1
    workbook.save(target)
    return count


def xlsx_response(filename: str, sheet_title: str, columns: Sequence[Column], rows: Iterable[Sequence]):
    """A Django ``FileResponse`` streaming the workbook built by :func:`write_xlsx`.

    The workbook is written to an anonymous temporary file (deleted when the response is
    closed) and sent in chunks; ``filename`` may be Chinese (RFC 6266 encoding by Django).
    """
    from django.http import FileResponse

    handle = tempfile.TemporaryFile()
    write_xlsx(handle, sheet_title, columns, rows)
    handle.seek(0)
    return FileResponse(
        handle,
        as_attachment=True,
        filename=filename,
        content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    )


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)

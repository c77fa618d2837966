"""Workbooks as plain tables of text cells: .xlsx, legacy .xls (BIFF, HTML or SpreadsheetML).

One reader for every importer (the plan, the roster, the ledger). Pure Python, no Django.

A :class:`Sheet` holds:

- ``rows``: (sheet row number, cells) for every row up to the last non-empty one, cells up
  to the last non-empty column, as stripped strings; a merged range's value is copied to
  every cell it covers, and ``merged[(row, col)]`` is True for each covered cell other than
  the range's top-left one (``row`` the sheet row number, ``col`` 0-based);
- ``written``: the non-empty rows as written (a merged value once, on its first row);
- ``hidden``: the sheet is hidden in the workbook (a drop-down list's source, issue 16 §3).

Cell text: dates become ISO strings (``2023-09-30``, `` HH:MM`` when a time is set), whole
numbers lose their ``.0``, formulas give their cached value. Sheets without any value are
left out. The kind is told by the first bytes, never by the extension: ``PK`` → .xlsx
(checked by :func:`~taizhang.core.reading.ooxml.check_ooxml` first), OLE2 → BIFF .xls
(xlrd), ``<html``/``<table`` → an HTML table saved as .xls by a web system, ``<?xml`` with a
``Workbook`` → Excel 2003 XML (SpreadsheetML).
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from .ooxml import ReadError, check_ooxml

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


@dataclasses.dataclass
class Sheet:
    """One sheet as text cells (see the module docstring)."""

    name: str
    rows: list[tuple[int, list[str]]] = dataclasses.field(default_factory=list)
    merged: dict[tuple[int, int], bool] = dataclasses.field(default_factory=dict)
    written: list[tuple[int, list[str]]] = dataclasses.field(default_factory=list)
    hidden: bool = False


def cell_text(value) -> str:
    """The text of a cell value as every reader sees it (dates ISO, 3.0 → "3", True → "是")."""
    if type(value) is str:  # most cells: the fast path
        return value.strip()
    if value is None:
        return ""
    if isinstance(value, dt.datetime):
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, dt.time):
        return value.strftime("%H:%M")
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    return str(value).strip()


def workbook_kind(head: bytes) -> str | None:
    """"xlsx", "biff", "html", "spreadsheetml" from a file's first bytes, or None."""
    if head.startswith(b"PK\x03\x04"):
        return "xlsx"
    if head.startswith(OLE2_MAGIC):
        return "biff"
    text = _head_text(head)
    if re.match(r"\s*(<!--.*?-->\s*)*<\?xml", text, re.S) and re.search(r"<(\w+:)?Workbook\b", text):
        return "spreadsheetml"
    if re.search(r"<(html|table|!doctype html)\b", text[:4096], re.I):
        return "html"
    return None


def _head_text(head: bytes) -> str:
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return head[:8192].decode("utf-16", "ignore")
    return head[:8192].decode("latin-1").lstrip("\ufeff\xef\xbb\xbf")


def read_workbook(source, name: str | None = None) -> list[Sheet]:
    """Every non-empty sheet of the workbook at ``source`` (a path or ``bytes``), in order.

    ``name``: the user's file name for messages. Raises :class:`ReadError` (one line naming
    the file) for a file refused by the OOXML check, a damaged file, or one of no workbook
    kind; an empty list when every sheet is empty.
    """
    data = source if isinstance(source, (bytes, bytearray)) else None
    if data is None:
        path = Path(source)
        name = name or path.name
        with path.open("rb") as handle:
            head = handle.read(8192)
    else:
        name = name or "工作簿"
        head = bytes(data[:8192])
    kind = workbook_kind(head)
    if kind == "xlsx":
        return _read_xlsx(io.BytesIO(data) if data is not None else Path(source), name)
    blob = bytes(data) if data is not None else Path(source).read_bytes()
    if kind == "biff":
        return _read_biff(blob, name)
    if kind == "html":
        from .markup import read_html_tables

        return read_html_tables(blob, name)
    if kind == "spreadsheetml":
        from .markup import read_spreadsheetml

        return read_spreadsheetml(blob, name)
    raise ReadError(f"{name}：不是 Excel 工作簿（既不是 .xlsx/.xls，也不是网页或 XML 表格）")


def _read_xlsx(source, name: str) -> list[Sheet]:
    check_ooxml(source, name)
    damaged = (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError, EOFError)
    handle = source
    try:
        # A file object, not the path: openpyxl refuses names not ending in .xlsx. Read-only:
        # no cell objects; each sheet's XML is parsed once, when it is read (so a damaged
        # sheet is reported from :func:`_xlsx_sheet`, with the same message).
        try:
            if isinstance(source, Path):
                handle = source.open("rb")
            workbook = _open_read_only(handle)
        except damaged as exc:
            raise _damaged(name, exc) from exc
        try:
            sheets = []
            for worksheet in workbook.worksheets:
                try:
                    sheet = _xlsx_sheet(worksheet)
                except damaged as exc:
                    raise _damaged(name, exc) from exc
                if sheet.rows:
                    sheets.append(sheet)
            return sheets
        finally:
            workbook.close()
    finally:
        if handle is not source:
            handle.close()


def _open_read_only(handle):
    """``openpyxl.load_workbook(handle, read_only=True, data_only=True)`` without its pass
    over every sheet for the sheet's size: a sheet without a ``<dimension>`` element (every
    file openpyxl writes, the ledger export among them) is otherwise parsed twice, and
    :func:`_stored_values` never asks for the size. ``load_workbook`` itself is the fallback
    should openpyxl's reader move."""
    import openpyxl

    try:
        from openpyxl.reader.excel import ExcelReader
        from openpyxl.worksheet._read_only import ReadOnlyWorksheet
    except ImportError:  # pragma: no cover - another openpyxl layout
        return openpyxl.load_workbook(handle, read_only=True, data_only=True)

    class UnsizedSheet(ReadOnlyWorksheet):
        def _get_size(self):
            pass  # min/max row and column stay unknown (None), as after reset_dimensions()

    class Reader(ExcelReader):
        def read_worksheets(self):
            # openpyxl's read_worksheets for a read-only workbook, with UnsizedSheet.
            for sheet, rel in self.parser.find_sheets():
                if rel.target not in self.valid_files:
                    continue
                if "chartsheet" in rel.Type:
                    self.read_chartsheet(sheet, rel)
                    continue
                worksheet = UnsizedSheet(self.wb, sheet.name, rel.target, self.shared_strings)
                worksheet.sheet_state = sheet.state
                self.wb._sheets.append(worksheet)

    reader = Reader(handle, read_only=True, data_only=True)
    reader.read()
    return reader.wb


def _damaged(name: str, exc: Exception) -> ReadError:
    return ReadError(f"{name}：文件已损坏或不是 Excel 工作簿，无法读取（{exc}）；"
                     "请用 WPS 或 Excel 打开后另存为 .xlsx 再上传")


def _stored_values(worksheet) -> tuple[dict[tuple[int, int], object], list[tuple[int, int, int, int]]]:
    """({(row, col): value} of the cells the file stores with a value, 1-based; merged ranges
    as (min_row, min_col, max_row, max_col)) of a read-only worksheet.

    The sheet's XML is parsed once by openpyxl's own parser (``WorkSheetParser``, as both
    its read-only and its normal worksheets do) and only the rows the file stores are seen:
    not ``iter_rows()`` on a normal worksheet, which creates every cell of the used
    rectangle (sheets formatted down to row 1,048,576, common in files from WPS, would take
    minutes), and no cell objects. As a normal worksheet does, a merged range keeps only its
    top-left cell's value. The public path (``iter_rows(values_only=True)`` without the
    file's dimensions, merges unknown) is the fallback should the parser move.
    """
    from openpyxl.utils.cell import range_boundaries

    try:
        from openpyxl.worksheet._reader import WorkSheetParser

        source = worksheet._get_source
        workbook = worksheet.parent
        options = {"data_only": workbook.data_only, "epoch": workbook.epoch,
                   "date_formats": workbook._date_formats,
                   "timedelta_formats": workbook._timedelta_formats}
        strings = worksheet._shared_strings
    except (ImportError, AttributeError):
        worksheet.reset_dimensions()
        values = {(r, c): value for r, row in enumerate(worksheet.iter_rows(values_only=True), start=1)
                  for c, value in enumerate(row, start=1) if value is not None}
        return values, []
    raw: dict[tuple[int, int], object] = {}
    with source() as src:
        parser = WorkSheetParser(src, strings, **options)
        for _number, row in parser.parse():
            for cell in row:
                raw[(cell["row"], cell["column"])] = cell["value"]
    ranges = []
    for merge in (parser.merged_cells.mergeCell if parser.merged_cells else []):
        min_col, min_row, max_col, max_row = range_boundaries(merge.ref)
        ranges.append((min_row, min_col, max_row, max_col))
        covered = (max_row - min_row + 1) * (max_col - min_col + 1) - 1
        if covered <= 0:
            continue
        if covered < len(raw):
            for r in range(min_row, max_row + 1):
                for c in range(min_col, max_col + 1):
                    if (r, c) != (min_row, min_col):
                        raw.pop((r, c), None)
        else:  # a whole-row or whole-column merge: look at the stored cells instead
            for r, c in [k for k in raw if min_row <= k[0] <= max_row and min_col <= k[1] <= max_col
                         and k != (min_row, min_col)]:
                del raw[(r, c)]
    return {key: value for key, value in raw.items() if value is not None}, ranges


def _xlsx_sheet(worksheet) -> Sheet:
    stored, ranges = _stored_values(worksheet)
    values = {key: text for key, value in stored.items() if (text := cell_text(value))}
    sheet = sheet_from_cells(worksheet.title, values, ranges)
    sheet.hidden = getattr(worksheet, "sheet_state", "visible") != "visible"
    return sheet


def sheet_from_cells(title: str, values: dict[tuple[int, int], str],
                     ranges: list[tuple[int, int, int, int]]) -> Sheet:
    """A :class:`Sheet` from written cell texts ``{(row, col): text}`` (1-based) and merged
    ranges ``(min_row, min_col, max_row, max_col)`` (1-based, inclusive); every reader ends here.
    A merge never widens the table beyond the written cells (whole-row merges exist)."""
    grid: dict[int, list[str]] = {}
    for (r, c), text in sorted(values.items()):
        cells = grid.setdefault(r, [])
        cells.extend([""] * (c - len(cells)))
        cells[c - 1] = text
    written = {r: list(cells) for r, cells in grid.items()}
    merged: dict[tuple[int, int], bool] = {}
    last_row = max(grid, default=0)
    last_col = max((len(cells) for cells in grid.values()), default=0)
    for min_row, min_col, max_row, max_col in ranges:
        value = values.get((min_row, min_col), "")
        if not value:
            continue
        for r in range(min_row, min(max_row, last_row) + 1):
            cells = grid.setdefault(r, [])
            for c in range(min_col, min(max_col, last_col) + 1):
                while len(cells) < c:
                    cells.append("")
                cells[c - 1] = value
                if (r, c) != (min_row, min_col):
                    merged[(r, c - 1)] = True
    if not grid:
        return Sheet(name=title)
    width = max(map(_filled_length, grid.values()), default=0)
    rows = [(r, (grid.get(r, []) + [""] * width)[:width]) for r in range(1, max(grid) + 1)]
    return Sheet(name=title, rows=rows, merged=merged,
                 written=[(r, written[r]) for r in sorted(written)])


def _filled_length(cells: list[str]) -> int:
    """The length of ``cells`` without its trailing empty cells."""
    n = len(cells)
    while n and not cells[n - 1]:
        n -= 1
    return n


def _read_biff(data: bytes, name: str) -> list[Sheet]:
    import xlrd

    try:
        # Merged ranges are only reported with formatting_info; a few writers produce files
        # whose formatting records xlrd rejects, so retry without them.
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True)
        except (NotImplementedError, AssertionError, KeyError, IndexError):
            book = xlrd.open_workbook(file_contents=data)
    except Exception as exc:  # noqa: BLE001 - xlrd raises many low-level errors on damaged files
        raise ReadError(f"{name}：无法读取 .xls 文件（文件已损坏或不是 Excel 文件：{exc}）；"
                        "请用 WPS 或 Excel 打开后另存为 .xlsx 再上传") from exc
    sheets = []
    for xsheet in book.sheets():
        values = {}
        for r in range(xsheet.nrows):
            for c in range(xsheet.ncols):
                text = xls_cell_text(xsheet.cell(r, c), book.datemode)
                if text:
                    values[(r + 1, c + 1)] = text
        ranges = [(rlo + 1, clo + 1, rhi, chi) for rlo, rhi, clo, chi in getattr(xsheet, "merged_cells", []) or []]
        sheet = sheet_from_cells(xsheet.name, values, ranges)
        sheet.hidden = bool(getattr(xsheet, "visibility", 0))
        if sheet.rows:
            sheets.append(sheet)
    return sheets


def xls_cell_text(cell, datemode: int) -> str:
    """Text of an xlrd cell: dates ISO, whole numbers without ``.0``, text stripped."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            return cell_text(xlrd.xldate_as_datetime(cell.value, datemode))
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return cell_text(float(cell.value))
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return cell_text(float(cell.value))
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "是" if cell.value else "否"
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return str(cell.value).strip()


def visible_first(sheets: list[Sheet]) -> list[Sheet]:
    """The sheets with the visible ones first (each group in workbook order): a hidden
    drop-down source sheet before the data must not be read as the data."""
    return [s for s in sheets if not s.hidden] + [s for s in sheets if s.hidden]

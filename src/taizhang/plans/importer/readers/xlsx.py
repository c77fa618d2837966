"""Excel .xlsx reader: every sheet as a :class:`SourceTable`, merged cells filled in.

- ``rows`` holds (sheet row number, cells) for every row up to the last non-empty one, cells
  up to the last non-empty column of the sheet, as stripped strings.
- A merged range's value is copied to every cell it covers; ``merged[(row, col)]`` is True
  for each covered cell other than the range's top-left one (``row`` is the sheet row
  number, ``col`` the 0-based index into the row's cells).
- Dates become ISO strings (``2023-09-30``; with `` HH:MM`` when a time is set); whole
  numbers lose their ``.0``; formulas give their cached value (as Excel last saved it).
- Sheets without any value are left out (a workbook's default "Sheet2", "Sheet3").
- ``lines`` are the non-empty rows, numbered by sheet row, cells joined by a tab, taken
  from the cells as written (a merged value appears once, on its first row). Rows of a later
  sheet keep their own row numbers.
"""

from __future__ import annotations

import datetime as dt
import zipfile
from pathlib import Path

from ..model import DocumentError, SourceDocument, SourceLine, SourceTable


def read_xlsx(path: Path, name: str | None = None) -> SourceDocument:
    """Read every sheet of an .xlsx workbook.

    Raises :class:`DocumentError` when the file is not a readable workbook or every sheet
    is empty.
    """
    name = name or path.name
    try:
        import openpyxl
    except ImportError as exc:  # pragma: no cover - declared dependency
        raise DocumentError(f"{name}：服务器未安装 openpyxl，无法读取 .xlsx 文件，请联系管理员") from exc
    try:
        # A file object, not the path: openpyxl refuses names not ending in .xlsx, and a
        # workbook saved as "清单.xls" or "清单.docx" is still a workbook. Not read_only:
        # merged ranges are only available on normal worksheets.
        with path.open("rb") as handle:
            workbook = openpyxl.load_workbook(handle, data_only=True)
    except (zipfile.BadZipFile, OSError, KeyError, ValueError, TypeError) as exc:
        raise DocumentError(f"{name}：文件已损坏或不是 Excel 工作簿，无法读取（{exc}）；请用 WPS 或 Excel 打开后另存为 .xlsx 再上传") from exc
    doc = SourceDocument(name=name)
    try:
        for sheet in workbook.worksheets:
            table, lines = _read_sheet(sheet)
            if table.rows:
                doc.tables.append(table)
                doc.lines.extend(lines)
    finally:
        workbook.close()
    if not doc.tables:
        raise DocumentError(f"{name}：工作簿是空的，所有工作表都没有内容")
    return doc


def cell_text(value) -> str:
    """The text of a cell value as a reader sees it (dates ISO, 3.0 -> "3")."""
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
    if isinstance(value, float):
        return str(int(value)) if value.is_integer() else repr(value)
    if isinstance(value, bool):
        return "是" if value else "否"
    return str(value).strip()


def _stored_values(sheet):
    """((row, col), value) of the cells the file stores, 1-based.

    Not ``iter_rows()``: it creates every cell of the used rectangle, and sheets formatted
    down to row 1,048,576 (common in files from WPS) would take minutes. ``_cells`` is
    openpyxl's own store of the cells it loaded (stable since openpyxl 2.x); the public
    path is the fallback.
    """
    cells = getattr(sheet, "_cells", None)
    if isinstance(cells, dict):
        return [(key, cell.value) for key, cell in cells.items() if cell.value is not None]
    return [((cell.row, cell.column), cell.value) for row in sheet.iter_rows() for cell in row
            if cell.value is not None]


def _read_sheet(sheet) -> tuple[SourceTable, list[SourceLine]]:
    grid: dict[int, list[str]] = {}
    for (r, c), value in _stored_values(sheet):
        text = cell_text(value)
        if text:
            cells = grid.setdefault(r, [])
            cells.extend([""] * (c - len(cells)))
            cells[c - 1] = text
    written = {r: list(cells) for r, cells in grid.items()}
    merged: dict[tuple[int, int], bool] = {}
    # A merge never widens the table beyond the written cells (whole-row merges exist).
    last_row = max(grid, default=0)
    last_col = max((len(cells) for cells in grid.values()), default=0)
    for cell_range in sheet.merged_cells.ranges:
        top = grid.get(cell_range.min_row, [])
        value = top[cell_range.min_col - 1] if len(top) >= cell_range.min_col else ""
        if not value:
            continue
        for r in range(cell_range.min_row, min(cell_range.max_row, last_row) + 1):
            cells = grid.setdefault(r, [])
            for c in range(cell_range.min_col, min(cell_range.max_col, last_col) + 1):
                while len(cells) < c:
                    cells.append("")
                cells[c - 1] = value
                if (r, c) != (cell_range.min_row, cell_range.min_col):
                    merged[(r, c - 1)] = True
    if not grid:
        return SourceTable(name=sheet.title, rows=[]), []
    width = max((max((i + 1 for i, v in enumerate(cells) if v), default=0) for cells in grid.values()), default=0)
    last = max(grid)
    rows = []
    for r in range(1, last + 1):
        cells = (grid.get(r, []) + [""] * width)[:width]
        rows.append((r, cells))
    lines = [
        SourceLine(number=r, text="\t".join(v for v in written[r] if v))
        for r in sorted(written)
    ]
    return SourceTable(name=sheet.title, rows=rows, merged=merged), lines

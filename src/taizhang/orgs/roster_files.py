"""Read a roster file (.xlsx, .xls, .csv) into plain tables of text cells; no Django.

The kind is sniffed from the first bytes, not the extension (offices rename files freely):
``PK`` → .xlsx (through the plans importer's reader, which fills merged cells), the OLE2
signature → .xls (xlrd, merged cells filled the same way), anything else → CSV text in UTF-8
(with or without BOM), GB18030/GBK or UTF-16, decoded by the plans importer's
``decode_bytes``.

A table is ``(sheet name, [(row number, [cell text, ...]), ...])``; row numbers are the ones
a user sees (sheet rows for workbooks, record numbers for CSV, both 1-based). Dates in
workbook date cells become ISO text (``1985-03-01``), whole numbers lose their ``.0``.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

Row = tuple[int, list[str]]
Table = tuple[str, list[Row]]

OLE2_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


class RosterFileError(ValueError):
    """The file cannot be read as a roster at all (message in Chinese, shown to the user)."""


def read_tables(data: bytes, filename: str = "") -> tuple[list[Table], str]:
    """Return (tables, description of the format read, e.g. "xlsx" or "csv (gb18030)").

    Raises :class:`RosterFileError` for an empty, unreadable or undecodable file.
    """
    if not data or not data.strip():
        raise RosterFileError("文件为空")
    if data.startswith(b"PK\x03\x04"):
        return read_xlsx_tables(data, filename), "xlsx"
    if data.startswith(OLE2_MAGIC):
        return read_xls_tables(data), "xls"
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xls", ".xlsm", ".et"}:
        raise RosterFileError(f"“{filename}”不是 Excel 工作簿（文件内容与扩展名 {suffix} 不符，请在 Excel/WPS 中另存为 .xlsx）")
    tables, encoding = read_csv_tables(data)
    return tables, f"csv ({encoding})"


def read_xlsx_tables(data: bytes, filename: str = "") -> list[Table]:
    """Every non-empty sheet of an .xlsx workbook, merged cells filled with their value."""
    from taizhang.plans.importer.model import DocumentError
    from taizhang.plans.importer.readers.xlsx import read_xlsx

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "roster.xlsx"  # read_xlsx takes a path
        path.write_bytes(data)
        try:
            document = read_xlsx(path, filename or "roster.xlsx")
        except DocumentError as exc:  # the library's own words name our temporary file
            raise RosterFileError(
                f"无法读取 Excel 文件“{filename or '花名册'}”：文件已损坏或不是 .xlsx 工作簿") from exc
    return [(table.name, [(number, list(cells)) for number, cells in table.rows]) for table in document.tables]


def read_xls_tables(data: bytes) -> list[Table]:
    """Every non-empty sheet of a legacy .xls (BIFF) workbook, read with xlrd."""
    import xlrd

    try:
        # Merged ranges are only reported with formatting_info; a few writers produce files
        # whose formatting records xlrd rejects, so retry without them.
        try:
            book = xlrd.open_workbook(file_contents=data, formatting_info=True)
        except (NotImplementedError, AssertionError, KeyError, IndexError):
            book = xlrd.open_workbook(file_contents=data)
    except xlrd.XLRDError as exc:
        raise RosterFileError(f"无法读取 .xls 文件：{exc}") from exc
    except Exception as exc:  # xlrd raises many low-level errors on damaged files
        raise RosterFileError(f"无法读取 .xls 文件（文件已损坏或不是 Excel 文件）：{exc}") from exc
    tables = []
    for sheet in book.sheets():
        grid = [
            [xls_cell_text(sheet.cell(r, c), book.datemode) for c in range(sheet.ncols)]
            for r in range(sheet.nrows)
        ]
        for rlo, rhi, clo, chi in getattr(sheet, "merged_cells", []) or []:
            value = grid[rlo][clo] if rlo < len(grid) and clo < len(grid[rlo]) else ""
            for r in range(rlo, min(rhi, len(grid))):
                for c in range(clo, min(chi, len(grid[r]))):
                    grid[r][c] = value
        rows = [(r + 1, cells) for r, cells in enumerate(grid) if any(cells)]
        if rows:
            tables.append((sheet.name, rows))
    if not tables:
        raise RosterFileError("Excel 文件中没有数据")
    return tables


def xls_cell_text(cell, datemode: int) -> str:
    """Text of an xlrd cell: dates ISO, whole numbers without ``.0``, text stripped."""
    import xlrd

    if cell.ctype == xlrd.XL_CELL_DATE:
        try:
            value = xlrd.xldate_as_datetime(cell.value, datemode)
        except (xlrd.xldate.XLDateError, OverflowError, ValueError):
            return _number_text(cell.value)
        if value.time() == dt.time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if cell.ctype == xlrd.XL_CELL_NUMBER:
        return _number_text(cell.value)
    if cell.ctype == xlrd.XL_CELL_BOOLEAN:
        return "是" if cell.value else "否"
    if cell.ctype in (xlrd.XL_CELL_EMPTY, xlrd.XL_CELL_BLANK, xlrd.XL_CELL_ERROR):
        return ""
    return str(cell.value).strip()


def read_csv_tables(data: bytes) -> tuple[list[Table], str]:
    """One table from CSV bytes; returns (tables, encoding name as detected)."""
    from taizhang.plans.importer.readers.text import decode_bytes

    try:
        text, encoding = decode_bytes(data)
    except ValueError as exc:
        raise RosterFileError(f"无法识别文件编码（应为 UTF-8 或 GBK 的 CSV，或 Excel 文件）：{exc}") from exc
    if any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text[:4096]):
        raise RosterFileError("不支持的文件类型：请上传 .xlsx、.xls 或 .csv 文件")
    sample = text[:8192]
    try:
        dialect = csv.Sniffer().sniff(sample, delimiters=",\t;|，")
    except csv.Error:
        dialect = csv.excel
    rows: list[Row] = []
    for number, cells in enumerate(csv.reader(io.StringIO(text, newline=""), dialect), start=1):
        cells = [cell.strip() for cell in cells]
        if any(cells):
            rows.append((number, cells))
    if not rows:
        raise RosterFileError("文件中没有数据")
    return [("csv", rows)], encoding


def _number_text(value: float) -> str:
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return repr(value) if isinstance(value, float) else str(value)

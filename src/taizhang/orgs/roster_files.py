"""Read a roster file (.xlsx, .xls, .csv) into plain tables of text cells; no Django.

The kind is sniffed from the first bytes, not the extension (offices rename files freely):
``PK`` → .xlsx, the OLE2 signature → .xls, an HTML table or Excel 2003 XML → that
(all through :mod:`taizhang.core.reading.workbook`, which checks an .xlsx's archive before
unpacking it and fills merged cells), anything else → CSV text in UTF-8
(with or without BOM), GB18030/GBK or UTF-16, decoded by
:func:`taizhang.core.reading.text.decode_bytes`.

A table is ``(sheet name, [(row number, [cell text, ...]), ...])``; row numbers are the ones
a user sees (sheet rows for workbooks, record numbers for CSV, both 1-based). Dates in
workbook date cells become ISO text (``1985-03-01``), whole numbers lose their ``.0``.
"""

from __future__ import annotations

import csv
import io
from pathlib import Path

from taizhang.core.reading.ooxml import FileRefused, ReadError
from taizhang.core.reading.text import decode_bytes
from taizhang.core.reading.workbook import read_workbook, visible_first, workbook_kind

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
        return read_xls_tables(data, filename), "xls"
    if workbook_kind(bytes(data[:8192])) in {"html", "spreadsheetml"}:
        return read_xlsx_tables(data, filename), "xls (" + workbook_kind(bytes(data[:8192])) + ")"
    suffix = Path(filename).suffix.lower()
    if suffix in {".xlsx", ".xls", ".xlsm", ".et"}:
        raise RosterFileError(f"“{filename}”不是 Excel 工作簿（文件内容与扩展名 {suffix} 不符，请在 Excel/WPS 中另存为 .xlsx）")
    tables, encoding = read_csv_tables(data)
    return tables, f"csv ({encoding})"


def read_xlsx_tables(data: bytes, filename: str = "") -> list[Table]:
    """Every non-empty sheet of a workbook (.xlsx after the OOXML size check, BIFF .xls, an
    HTML table or Excel 2003 XML saved as .xls), merged cells filled with their value;
    visible sheets first (a hidden drop-down list's source is not the roster).

    Raises :class:`RosterFileError` naming the file and the reason (refused, damaged, empty).
    """
    name = filename or "花名册"
    try:
        sheets = read_workbook(bytes(data), name)
    except FileRefused as exc:  # too large or a ZIP bomb: the reason as the check words it
        raise RosterFileError(str(exc)) from exc
    except ReadError as exc:
        if bytes(data[:8]) == OLE2_MAGIC:
            raise RosterFileError(f"无法读取 .xls 文件（文件已损坏或不是 Excel 文件）：{exc.__cause__ or exc}") from exc
        raise RosterFileError(f"无法读取 Excel 文件“{name}”：文件已损坏或不是 .xlsx 工作簿") from exc
    if not sheets:
        raise RosterFileError("Excel 文件中没有数据")
    return [(sheet.name, [(number, list(cells)) for number, cells in sheet.rows])
            for sheet in visible_first(sheets)]


read_xls_tables = read_xlsx_tables  # a BIFF .xls goes through the same reader


def read_csv_tables(data: bytes) -> tuple[list[Table], str]:
    """One table from CSV bytes; returns (tables, encoding name as detected)."""
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

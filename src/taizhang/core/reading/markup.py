"""Workbooks that are markup under an .xls name: an HTML table (what web systems export as
"Excel") and Excel 2003 XML (SpreadsheetML). Issue 16 §3: read as what they are, without
LibreOffice. Pure Python (lxml, which python-docx already requires); no Django.

HTML: every ``<table>`` is a sheet named 表1, 表2 …; ``rowspan``/``colspan`` are merges.
SpreadsheetML: every ``<Worksheet>`` is a sheet with its ``ss:Name``; ``ss:Index`` skips,
``ss:MergeAcross``/``ss:MergeDown`` are merges, ``<x:Visible>SheetHidden</x:Visible>`` hides it.
Entities are never resolved and nothing is fetched from the network.
"""

from __future__ import annotations

import datetime as dt
import re

from .ooxml import ReadError
from .workbook import Sheet, cell_text, sheet_from_cells

SS = "urn:schemas-microsoft-com:office:spreadsheet"
X = "urn:schemas-microsoft-com:office:excel"
_SPACES = re.compile(r"[ \t\r\f\v\xa0]+")


def decode_markup(data: bytes) -> str:
    """Markup bytes as text: BOM, then a declared charset (meta or XML declaration), then
    UTF-8, then GB18030 (what Chinese web systems write when they declare nothing)."""
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8", "replace")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16", "replace")
    declared = re.search(rb"""(?:charset|encoding)\s*=\s*["']?([A-Za-z0-9_\-]+)""", data[:4096])
    if declared:
        try:
            return data.decode(declared.group(1).decode("ascii"))
        except (LookupError, UnicodeDecodeError):
            pass
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        return data.decode("gb18030", "replace")


def _text(element) -> str:
    for br in element.iter("br"):
        br.tail = "\n" + (br.tail or "")
    lines = [_SPACES.sub(" ", line).strip() for line in element.text_content().split("\n")]
    return "\n".join(line for line in lines if line)


def read_html_tables(data: bytes, name: str) -> list[Sheet]:
    """Every non-empty ``<table>`` of an HTML file as a :class:`Sheet`. Nested tables are
    read as part of their cell. Raises :class:`ReadError` when there is no table."""
    import lxml.html
    from lxml import etree

    text = decode_markup(data)
    text = re.sub(r"^\s*<\?xml[^>]*>", "", text)
    try:
        root = lxml.html.document_fromstring(text.encode("utf-8"), parser=lxml.html.HTMLParser(
            encoding="utf-8", no_network=True, remove_comments=True))
    except (etree.ParserError, ValueError) as exc:
        raise ReadError(f"{name}：网页格式的表格无法读取（{exc}）") from exc
    sheets = []
    for number, table in enumerate(root.iter("table"), start=1):
        if any(parent.tag == "table" for parent in table.iterancestors()):
            continue
        values: dict[tuple[int, int], str] = {}
        ranges = []
        taken: set[tuple[int, int]] = set()
        rows = [tr for tr in table.iter("tr") if _own_row(tr, table)]
        for r, tr in enumerate(rows, start=1):
            c = 1
            for cell in tr:
                if cell.tag not in ("td", "th"):
                    continue
                while (r, c) in taken:
                    c += 1
                rowspan, colspan = _span(cell.get("rowspan")), _span(cell.get("colspan"))
                value = _text(cell)
                if value:
                    values[(r, c)] = value
                for rr in range(r, r + rowspan):
                    for cc in range(c, c + colspan):
                        taken.add((rr, cc))
                if rowspan > 1 or colspan > 1:
                    ranges.append((r, c, r + rowspan - 1, c + colspan - 1))
                c += colspan
        sheet = sheet_from_cells(f"表{number}", values, ranges)
        if sheet.rows:
            sheets.append(sheet)
    if not sheets:
        raise ReadError(f"{name}：这是网页格式的文件，但其中没有表格")
    return sheets


def _own_row(tr, table) -> bool:
    parent = tr.getparent()
    while parent is not None and parent.tag != "table":
        parent = parent.getparent()
    return parent is table


def _span(value) -> int:
    try:
        return max(1, min(int(str(value).strip()), 1000))
    except (TypeError, ValueError):
        return 1


def read_spreadsheetml(data: bytes, name: str) -> list[Sheet]:
    """Every non-empty worksheet of an Excel 2003 XML workbook. Raises :class:`ReadError`
    when the XML is malformed."""
    from lxml import etree

    parser = etree.XMLParser(resolve_entities=False, no_network=True, load_dtd=False, huge_tree=False)
    try:
        root = etree.fromstring(data, parser=parser)
    except etree.XMLSyntaxError as exc:
        raise ReadError(f"{name}：XML 表格已损坏，无法读取（{exc}）") from exc
    sheets = []
    for worksheet in root.iter(f"{{{SS}}}Worksheet"):
        values: dict[tuple[int, int], str] = {}
        ranges = []
        r = 0
        for row in worksheet.iter(f"{{{SS}}}Row"):
            r = _index(row, r + 1)
            c = 0
            for cell in row.iter(f"{{{SS}}}Cell"):
                c = _index(cell, c + 1)
                data_el = cell.find(f"{{{SS}}}Data")
                if data_el is not None:
                    value = _ss_value(data_el)
                    if value:
                        values[(r, c)] = value
                across = int(cell.get(f"{{{SS}}}MergeAcross", "0") or 0)
                down = int(cell.get(f"{{{SS}}}MergeDown", "0") or 0)
                if across or down:
                    ranges.append((r, c, r + down, c + across))
                c += across
        sheet = sheet_from_cells(worksheet.get(f"{{{SS}}}Name") or f"表{len(sheets) + 1}", values, ranges)
        visible = worksheet.find(f".//{{{X}}}Visible")
        sheet.hidden = visible is not None and (visible.text or "").strip() in {"SheetHidden", "SheetVeryHidden"}
        if sheet.rows:
            sheets.append(sheet)
    return sheets


def _index(element, default: int) -> int:
    try:
        return int(element.get(f"{{{SS}}}Index") or default)
    except ValueError:
        return default


def _ss_value(data_el) -> str:
    text = "".join(data_el.itertext()).strip()
    kind = data_el.get(f"{{{SS}}}Type")
    if kind == "Number":
        try:
            return cell_text(float(text))
        except ValueError:
            return text
    if kind == "DateTime":
        try:
            return cell_text(dt.datetime.fromisoformat(text[:19]))
        except ValueError:
            return text
    if kind == "Boolean":
        return "是" if text == "1" else "否"
    return text

"""Generators of hostile Office files for the tests and the benchmark (issue 16 §3)."""

from __future__ import annotations

import io
import zipfile

import openpyxl

ROW = b'<row r="1"><c r="A1" t="inlineStr"><is><t>x</t></is></c></row>'


def xlsx_bytes(rows=(("序号", "任务"), ("1", "学习"))) -> bytes:
    """A small honest workbook."""
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(list(row))
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def bomb_xlsx(unpacked_mb: int = 120) -> bytes:
    """A real workbook whose first sheet's XML is padded with ``unpacked_mb`` MB of blank
    space (deflates about 1000:1): a few hundred KB that unpacks to a huge sheet part."""
    honest = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as bomb:
        for info in honest.infolist():
            data = honest.read(info.filename)
            if info.filename == "xl/worksheets/sheet1.xml":
                head, _, tail = data.partition(b"<sheetData>")
                with bomb.open(info.filename, "w", force_zip64=True) as part:
                    part.write(head + b"<sheetData>")
                    chunk = b" " * (1024 * 1024)
                    for _ in range(unpacked_mb):
                        part.write(chunk)
                    part.write(tail)
            else:
                bomb.writestr(info.filename, data)
    return out.getvalue()


def many_entries_xlsx(entries: int = 3000) -> bytes:
    """A real workbook with ``entries`` extra empty parts."""
    honest = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in honest.infolist():
            archive.writestr(info.filename, honest.read(info.filename))
        for i in range(entries):
            archive.writestr(f"xl/media/pad{i}.bin", b"")
    return out.getvalue()

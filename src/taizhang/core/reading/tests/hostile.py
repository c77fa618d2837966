"""Generators of hostile Office files for the tests and the benchmark (issue 16 §3)."""

from __future__ import annotations

import io
import zipfile
from contextlib import contextmanager
from unittest import mock

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


def lying_xlsx(unpacked_mb: int = 20) -> bytes:
    """A workbook whose sheet unpacks to ``unpacked_mb`` MB while its ZIP headers state 2,000
    bytes: a bomb that lies to the size check. (Not ZIP64: sizes are the 4-byte fields.)"""
    import struct

    honest = zipfile.ZipFile(io.BytesIO(xlsx_bytes()))
    name = "xl/worksheets/sheet1.xml"
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        for info in honest.infolist():
            data = honest.read(info.filename)
            if info.filename == name:
                head, _, tail = data.partition(b"<sheetData>")
                data = head + b"<sheetData>" + b" " * (unpacked_mb * 1024 * 1024) + tail
            archive.writestr(info.filename, data)
    blob = bytearray(out.getvalue())
    encoded = name.encode()
    for signature, name_len_at, name_at, size_at in ((b"PK\x01\x02", 28, 46, 24), (b"PK\x03\x04", 26, 30, 22)):
        at = blob.find(signature)
        while at != -1:
            length = struct.unpack("<H", blob[at + name_len_at:at + name_len_at + 2])[0]
            if blob[at + name_at:at + name_at + length] == encoded:
                blob[at + size_at:at + size_at + 4] = struct.pack("<I", 2000)
            at = blob.find(signature, at + 4)
    return bytes(blob)


@contextmanager
def unpacked_bytes():
    """Counts the bytes decompressed from any zip member inside the block: yields a list
    holding that one number. "Refused without unpacking" is asserted on it, not on a time
    (a timed test fails on a loaded machine)."""
    total = [0]
    read, read1 = zipfile.ZipExtFile.read, zipfile.ZipExtFile.read1

    def counted(original):
        def wrapper(self, *args):
            data = original(self, *args)
            total[0] += len(data)
            return data
        return wrapper

    with mock.patch.object(zipfile.ZipExtFile, "read", counted(read)), \
            mock.patch.object(zipfile.ZipExtFile, "read1", counted(read1)):
        yield total

"""Readers: turn a file into a :class:`~..model.SourceDocument` (numbered lines and tables).

:func:`read_document` picks the reader by what the file is, sniffed from its first bytes,
and by its extension only when the bytes say nothing (plain text). Offices rename files
freely: a ".doc" that is really a .docx, a ".xls" exported as HTML, a ".txt" that is a Word
file are all common, so the content wins over the name.

| content | reader |
| --- | --- |
| ZIP with word/document.xml | :func:`.docx.read_docx` |
| ZIP with xl/workbook.xml | :func:`.xlsx.read_xlsx` |
| ``%PDF-`` | :func:`.pdf.read_pdf` |
| .xls that is BIFF, an HTML table or Excel 2003 XML | :func:`.xlsx.read_xlsx` (no LibreOffice) |
| OLE2 compound file (.doc/.wps/.et), RTF, HTML, OpenDocument | :func:`.legacy.read_legacy` (LibreOffice) |
| anything else with a text extension or decodable as text | :func:`.text.read_text` |

A file named .docx/.xlsx/.pdf without that format's signature is refused as damaged or
renamed (a program renamed .docx), never read as text.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from taizhang.core.reading.ooxml import ReadError, check_file_size, check_ooxml
from taizhang.core.reading.workbook import workbook_kind

from ..model import DocumentError, SourceDocument
from .docx import read_docx
from .legacy import SHEET_LIKE, WORD_LIKE, find_soffice, read_legacy
from .pdf import read_pdf
from .text import read_text_bytes
from .xlsx import read_xlsx

__all__ = ["read_document", "sniff"]


def _markup_or_biff(path: Path) -> bool:
    with path.open("rb") as handle:
        head = handle.read(8192)
    return workbook_kind(head) in {"html", "spreadsheetml", "biff"}

TEXT_EXTENSIONS = {".txt", ".md", ".markdown", ".text", ""}
_OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def read_document(path) -> SourceDocument:
    """Read the file at ``path`` (str or Path) into a :class:`SourceDocument`.

    Raises :class:`DocumentError`, a one-line message naming the file, when it is missing,
    is a directory, cannot be read, is of an unsupported kind, or holds no text.
    """
    path = Path(path)
    name = path.name
    if not path.exists():
        raise DocumentError(f"{name}：找不到该文件（{path}）")
    if not path.is_file():
        raise DocumentError(f"{name}：这是一个文件夹，不是文件" if path.is_dir() else f"{name}：不是普通文件，无法读取")
    try:
        with path.open("rb") as handle:
            head = handle.read(8192)
    except OSError as exc:
        raise DocumentError(f"{name}：无法读取该文件（{exc.strerror or exc}）") from exc
    if not head.strip():
        # Also catches whitespace-only files; an empty binary format cannot be this short.
        if len(head) < 8192:
            raise DocumentError(f"{name}：文件是空的，没有任何内容")
    kind = sniff(path, head)
    try:
        check_file_size(path, name)
    except ReadError as exc:
        raise DocumentError(str(exc)) from exc
    try:
        return _read(path, name, kind)
    except DocumentError as exc:
        message = " ".join(str(exc).split())
        if message == str(exc):
            raise
        raise DocumentError(message) from exc  # the contract is one line
    except Exception as exc:  # noqa: BLE001 - user files reach deep into third-party parsers
        # A damaged file can make openpyxl, pypdf or lxml fail in ways they do not document;
        # the user gets one line, the chained exception keeps the detail for the log.
        detail = " ".join(f"{type(exc).__name__}: {exc}".split())[:200]
        raise DocumentError(f"{name}：文件可能已损坏，无法读取（{detail}）") from exc


def _read(path: Path, name: str, kind: str) -> SourceDocument:
    if kind in ("docx", "xlsx"):
        try:
            check_ooxml(path, name)  # before any parser unpacks a byte (issue 16 §3)
        except ReadError as exc:
            raise DocumentError(str(exc)) from exc
    if kind == "legacy-sheet" and _markup_or_biff(path):
        # An .xls that is an HTML table, Excel 2003 XML or BIFF: read as what it is,
        # without LibreOffice (issue 16 §3); a BIFF file xlrd cannot read goes to
        # LibreOffice when it is installed.
        try:
            return read_xlsx(path, name)
        except DocumentError:
            if find_soffice() is None:
                raise
    if kind == "docx":
        return read_docx(path, name)
    if kind == "xlsx":
        return read_xlsx(path, name)
    if kind == "pdf":
        return read_pdf(path, name)
    if kind == "legacy-sheet":
        return read_legacy(path, "xlsx", name)
    if kind == "legacy-word":
        return read_legacy(path, "docx", name)
    if kind == "text":
        try:
            data = path.read_bytes()
        except OSError as exc:
            raise DocumentError(f"{name}：无法读取该文件（{exc.strerror or exc}）") from exc
        return read_text_bytes(data, name)
    raise DocumentError(f"{name}：{_unknown_reason(path.suffix.lower())}")


# What a file that is not what its extension says is told, by extension: a renamed program or
# a broken download named .docx must not be reported as "a text without numbered items".
_MISLABELED = {
    ".docx": ("Word 文档", ".docx"),
    ".docm": ("Word 文档", ".docx"),
    ".xlsx": ("Excel 工作簿", ".xlsx"),
    ".xlsm": ("Excel 工作簿", ".xlsx"),
    ".pdf": ("PDF 文件", ".pdf"),
}


def _unknown_reason(suffix: str) -> str:
    """The user-facing reason (Chinese, one line, without the file name) for an unknown kind."""
    if suffix in _MISLABELED:
        kind, save_as = _MISLABELED[suffix]
        return (f"文件已损坏或不是 {kind}（扩展名是 {suffix}，内容却不是），无法读取；"
                f"请用 WPS 或 Office 打开原文件，另存为 {save_as} 后重新上传")
    return ("不是可识别的文档（既不是 Word、Excel、PDF，也不是纯文本），无法读取；"
            "请上传 .docx/.xlsx/.txt/.pdf（须含文字，不能是扫描图片）或 .md 文件")


def sniff(path: Path, head: bytes) -> str:
    """Classify a file from its first bytes (and its extension as a tie-break).

    Returns one of "docx", "xlsx", "pdf", "legacy-word", "legacy-sheet", "text", "unknown".
    """
    suffix = path.suffix.lower()
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(path, suffix)
    if head.lstrip().startswith(b"%PDF-") or b"%PDF-" in head[:1024]:
        return "pdf"
    if head.startswith(_OLE2):
        if suffix in WORD_LIKE:
            return "legacy-word"
        if suffix in SHEET_LIKE or _ole_is_workbook(head):
            return "legacy-sheet"
        return "legacy-word"
    if suffix in SHEET_LIKE and workbook_kind(head) in {"html", "spreadsheetml"}:
        return "legacy-sheet"
    stripped = head.lstrip(b"\xef\xbb\xbf \t\r\n")
    if stripped.startswith(b"{\\rtf"):
        return "legacy-word"
    lowered = stripped[:512].lower()
    if lowered.startswith((b"<html", b"<!doctype html", b"<?xml")) and suffix not in TEXT_EXTENSIONS:
        # Word/WPS "web page" or Excel-XML saved under a .doc/.xls name.
        return "legacy-sheet" if suffix in SHEET_LIKE else "legacy-word"
    if suffix in _MISLABELED:
        # These formats always start with their signature (ZIP or %PDF-); without it the
        # file is damaged or renamed, even when its bytes happen to decode as text.
        return "unknown"
    if suffix in TEXT_EXTENSIONS or _looks_like_text(head):
        return "text"
    return "unknown"


def _sniff_zip(path: Path, suffix: str) -> str:
    try:
        with zipfile.ZipFile(path) as archive:
            names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError):
        # A damaged .docx/.xlsx: let its reader say so rather than "unsupported type".
        return {".docx": "docx", ".xlsx": "xlsx", ".xlsm": "xlsx"}.get(suffix, "unknown")
    if "word/document.xml" in names:
        return "docx"
    if "xl/workbook.xml" in names:
        return "xlsx"
    if "content.xml" in names:  # OpenDocument (.odt/.ods) or a renamed one
        return "legacy-sheet" if suffix in SHEET_LIKE or suffix == ".ods" else "legacy-word"
    if any(n.endswith("document.xml") for n in names if n.startswith("word")):
        return "docx"
    return "unknown"


def _ole_is_workbook(head: bytes) -> bool:
    # The directory entries of an OLE2 file name its streams in UTF-16-LE; a workbook has a
    # "Workbook" stream (BIFF8). The directory is within the first 8 KiB of small files only,
    # so this is a hint used when the extension names neither kind.
    return "Workbook".encode("utf-16-le") in head


def _looks_like_text(head: bytes) -> bool:
    """True when the first bytes decode as some text encoding without control characters."""
    from .text import decode_bytes

    try:
        text, _ = decode_bytes(head if len(head) < 8192 else _trim_partial(head))
    except ValueError:
        return False
    return not any(ord(ch) < 32 and ch not in "\t\r\n\f" for ch in text[:4096])


def _trim_partial(head: bytes) -> bytes:
    # The 8 KiB cut may split a multi-byte character; a few bytes less avoids a false "binary".
    for cut in range(0, 4):
        candidate = head[: len(head) - cut]
        try:
            candidate.decode("utf-8")
            return candidate
        except UnicodeDecodeError:
            continue
    return head[: len(head) - (len(head) % 2)]

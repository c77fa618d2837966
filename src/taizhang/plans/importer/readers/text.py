"""Plain-text reader (.txt, .md): line splitting; the encoding is detected by the one text
decoder of every importer, :func:`taizhang.core.reading.text.decode_bytes`.
"""

from __future__ import annotations

import re
from pathlib import Path

from taizhang.core.reading.text import decode_bytes

from ..model import DocumentError, SourceDocument, SourceLine

__all__ = ["decode_bytes", "split_lines", "read_text", "read_text_bytes"]

# Only CRLF, CR and LF end a line: str.splitlines() would also split on form feeds, U+2028
# and other separators and so shift line numbers away from what an editor shows.
_LINE_END = re.compile(r"\r\n|\r|\n")


def split_lines(text: str) -> list[SourceLine]:
    """Split on CRLF, CR or LF; numbers are 1-based; a final line end adds no empty line."""
    parts = _LINE_END.split(text)
    if parts and parts[-1] == "":
        parts.pop()
    return [SourceLine(number=i, text=part) for i, part in enumerate(parts, start=1)]


def read_text(path: Path, name: str | None = None) -> SourceDocument:
    """Read a .txt/.md file into a :class:`SourceDocument` (every line, blank ones included).

    Raises :class:`DocumentError` (one line naming the file) when the file cannot be read,
    decoded, or holds no visible text.
    """
    name = name or path.name
    try:
        data = path.read_bytes()
    except OSError as exc:
        raise DocumentError(f"{name}：无法读取该文件（{exc.strerror or exc}）") from exc
    return read_text_bytes(data, name)


def read_text_bytes(data: bytes, name: str) -> SourceDocument:
    """Like :func:`read_text` for bytes already in memory (``name`` is used in messages)."""
    try:
        text, _encoding = decode_bytes(data)
    except ValueError as exc:
        raise DocumentError(f"{name}：无法识别文本的编码（{exc}），请另存为 UTF-8 编码的 .txt 后重新上传") from exc
    lines = split_lines(text)
    if not any(line.text.strip() for line in lines):
        raise DocumentError(f"{name}：文档是空的，没有任何文字")
    return SourceDocument(name=name, lines=lines)



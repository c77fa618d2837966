"""PDF reader: the text layer, page by page, through pypdf.

Lines are numbered 1-based across the whole document (page 2 continues where page 1 ended).
A PDF whose pages hold no text is a scan: it is refused with a message saying to run OCR or
supply the original document; the importer does no OCR itself.
"""

from __future__ import annotations

from pathlib import Path

from ..model import DocumentError, SourceDocument
from .text import split_lines


def read_pdf(path: Path, name: str | None = None) -> SourceDocument:
    """Read a PDF's text layer into a :class:`SourceDocument` (lines only, no tables).

    Raises :class:`DocumentError` when the file is not a readable PDF, is encrypted with a
    password, or has no text layer.
    """
    name = name or path.name
    try:
        from pypdf import PdfReader
        from pypdf.errors import PdfReadError
    except ImportError as exc:  # pragma: no cover - pypdf is a declared dependency
        raise DocumentError(f"{name}：服务器未安装 pypdf，无法读取 PDF 文件，请联系管理员") from exc
    try:
        reader = PdfReader(str(path))
        if reader.is_encrypted and not reader.decrypt(""):
            raise DocumentError(f"{name}：PDF 设有打开密码，无法读取；请去掉密码，或上传原始的 .docx/.txt 文档")
        pages = [page.extract_text() or "" for page in reader.pages]
    except DocumentError:
        raise
    except (PdfReadError, OSError, ValueError, KeyError, TypeError, NotImplementedError) as exc:
        raise DocumentError(f"{name}：PDF 文件已损坏，无法读取（{exc}）；请上传原始的 .docx/.txt 文档") from exc
    text = "\n".join(page.rstrip("\n") for page in pages)
    if not text.strip():
        raise DocumentError(
            f"{name}：PDF 里没有可读取的文字（是扫描图片）；请先做文字识别（OCR），"
            "或上传原始的 .docx/.txt 文档"
        )
    return SourceDocument(name=name, lines=split_lines(text))

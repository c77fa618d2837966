"""The PDF reader: a Chinese text layer is read; a PDF without one is refused."""

from __future__ import annotations

import pytest
from pypdf import PdfWriter

from taizhang.plans.importer.model import DocumentError
from taizhang.plans.importer.readers import read_document


def _chinese_pdf(path, pages):
    # reportlab is not a dependency of the project yet; its built-in CID font STSong-Light
    # needs no font file, so it makes a real Chinese text layer anywhere.
    pytest.importorskip("reportlab")
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    pdf = canvas.Canvas(str(path))
    for lines in pages:
        pdf.setFont("STSong-Light", 12)
        for i, text in enumerate(lines):
            pdf.drawString(72, 780 - 20 * i, text)
        pdf.showPage()
    pdf.save()


def test_pdf_with_chinese_text_layer(tmp_path):
    path = tmp_path / "plan.pdf"
    _chinese_pdf(path, [["一、总体要求", "1.9月底之前开展一次集中学习。"], ["二、工作要求", "（一）每月至少安排1天集中学习。"]])
    doc = read_document(path)
    assert [(line.number, line.text) for line in doc.lines] == [
        (1, "一、总体要求"),
        (2, "1.9月底之前开展一次集中学习。"),
        (3, "二、工作要求"),
        (4, "（一）每月至少安排1天集中学习。"),
    ]


def test_pdf_without_text_layer_is_refused(tmp_path):
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)  # what a scan looks like to a text extractor
    path = tmp_path / "scan.pdf"
    with path.open("wb") as handle:
        writer.write(handle)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith("scan.pdf：PDF 里没有可读取的文字")
    assert "扫描图片" in message and "OCR" in message and "\n" not in message


def test_broken_pdf_is_refused(tmp_path):
    path = tmp_path / "broken.pdf"
    path.write_bytes(b"%PDF-1.7\n% nothing else\n")
    with pytest.raises(DocumentError, match=r"^broken\.pdf：PDF 文件已损坏，无法读取"):
        read_document(path)


def test_pdf_named_txt_is_read_as_pdf(tmp_path):
    path = tmp_path / "plan.txt"
    _chinese_pdf(path, [["一、总体要求"]])
    assert [line.text for line in read_document(path).lines] == ["一、总体要求"]

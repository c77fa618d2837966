"""Legacy formats (.doc, .wps, ...): LibreOffice when present, else a refusal saying how."""

from __future__ import annotations

import shutil
import stat
import sys
import textwrap

import docx
import pytest

from taizhang.plans.importer.model import DocumentError
from taizhang.plans.importer.readers import read_document
from taizhang.plans.importer.readers.legacy import find_soffice

OLE2 = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"


def _ole_file(path):
    path.write_bytes(OLE2 + b"\x00" * 1024)
    return path


@pytest.mark.parametrize("suffix", [".doc", ".wps"])
def test_refused_without_libreoffice(tmp_path, monkeypatch, suffix):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    path = _ole_file(tmp_path / f"任务清单{suffix}")
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"任务清单{suffix}：读取 {suffix} 文件需要服务器安装 LibreOffice")
    assert "LibreOffice" in message and "另存为 .docx" in message
    assert "\n" not in message


def test_xls_refusal_says_xlsx(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    path = _ole_file(tmp_path / "roster.xls")
    with pytest.raises(DocumentError, match=r"另存为 \.xlsx"):
        read_document(path)


def test_rtf_named_doc_goes_to_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    path = tmp_path / "plan.doc"
    path.write_bytes(b"{\\rtf1\\ansi hello}")
    with pytest.raises(DocumentError, match="LibreOffice"):
        read_document(path)


def test_docx_named_doc_needs_no_libreoffice(tmp_path, monkeypatch):
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    document = docx.Document()
    document.add_paragraph("一、总体要求")
    path = tmp_path / "plan.doc"
    document.save(path)
    assert [line.text for line in read_document(path).lines] == ["一、总体要求"]


def test_conversion_through_a_soffice_on_path(tmp_path, monkeypatch):
    """The plumbing: the command line, the output folder and reading the converted file.

    A stand-in ``soffice`` script writes the .docx LibreOffice would write.
    """
    made = tmp_path / "made.docx"
    document = docx.Document()
    document.add_paragraph("一、转换后的文字")
    document.save(made)
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(textwrap.dedent(f"""\
        #!{sys.executable}
        import pathlib, shutil, sys
        args = sys.argv[1:]
        assert "--headless" in args and args[args.index("--convert-to") + 1] == "docx"
        assert any(a.startswith("-env:UserInstallation=file://") for a in args)
        out = pathlib.Path(args[args.index("--outdir") + 1])
        out.mkdir(parents=True, exist_ok=True)
        source = pathlib.Path(args[-1])
        shutil.copy({str(made)!r}, out / (source.stem + ".docx"))
        """))
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    path = _ole_file(tmp_path / "旧文件.wps")
    doc = read_document(path)
    assert doc.name == "旧文件.wps"
    assert [line.text for line in doc.lines] == ["一、转换后的文字"]


def test_failed_conversion_is_reported(tmp_path, monkeypatch):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    script = bin_dir / "soffice"
    script.write_text(f"#!{sys.executable}\nraise SystemExit(1)\n")
    script.chmod(script.stat().st_mode | stat.S_IEXEC)
    monkeypatch.setenv("PATH", str(bin_dir))
    path = _ole_file(tmp_path / "bad.doc")
    with pytest.raises(DocumentError, match=r"^bad\.doc：LibreOffice 无法把它转换为 \.docx，文件可能已损坏"):
        read_document(path)


def test_real_libreoffice_round_trip(tmp_path, samples_dir):
    """With LibreOffice present: .docx → .doc → read back with its list labels.

    Skipped where LibreOffice is not installed; required under CI (TAIZHANG_REQUIRE_LIBREOFFICE=1).
    """
    import os
    import subprocess

    if find_soffice() is None:
        if os.environ.get("TAIZHANG_REQUIRE_LIBREOFFICE") == "1":
            pytest.fail("LibreOffice is required here but soffice is not installed")
        pytest.skip("LibreOffice (soffice) is not installed")

    out = tmp_path / "out"
    subprocess.run([find_soffice(), "--headless", "--convert-to", "doc", "--outdir", str(out),
                    str(samples_dir / "plan-autonumber.docx")], check=True, timeout=180)
    doc = read_document(out / "plan-autonumber.doc")
    texts = [line.text for line in doc.lines]
    assert "一、总体安排" in texts and "（一）制定学习计划" in texts


def test_ole_without_known_extension_is_classified_by_its_streams():
    from pathlib import Path

    from taizhang.plans.importer.readers import sniff

    workbook_head = OLE2 + b"\x00" * 64 + "Workbook".encode("utf-16-le")
    assert sniff(Path("export"), workbook_head) == "legacy-sheet"
    assert sniff(Path("export.doc"), workbook_head) == "legacy-word"  # the extension wins
    assert sniff(Path("export"), OLE2 + "WordDocument".encode("utf-16-le")) == "legacy-word"


def test_html_saved_as_xls_is_read_without_libreoffice(tmp_path, monkeypatch):
    """Issue 16 §3: a web system's "Excel" export (an HTML table) is read as what it is."""
    monkeypatch.setattr(shutil, "which", lambda name, *a, **k: None)
    path = tmp_path / "导出.xls"
    path.write_text("<html><body><table><tr><td>任务</td></tr></table></body></html>", encoding="utf-8")
    doc = read_document(path)
    assert [t.rows for t in doc.tables] == [[(1, ["任务"])]]


def test_unexpected_parser_failure_becomes_one_line(tmp_path, monkeypatch):
    import openpyxl

    import taizhang.core.reading.workbook as xlsx_reader

    def explode(*args, **kwargs):
        raise AttributeError("odd\nworkbook")

    path = tmp_path / "odd.xlsx"
    openpyxl.Workbook().save(path)
    monkeypatch.setattr(xlsx_reader, "_xlsx_sheet", explode)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(info.value) == "odd.xlsx：文件可能已损坏，无法读取（AttributeError: odd workbook）"

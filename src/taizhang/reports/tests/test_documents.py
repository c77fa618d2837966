"""Each report for the sample data: opens in python-docx, converts to PDF, and the PDF's
text holds the right figures; page 1 of each PDF is kept in test-artifacts/."""

import io
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from docx import Document

from taizhang.core.office import docx_to_pdf, require_libreoffice
from taizhang.records.models import Meeting
from taizhang.rectification.models import Problem
from taizhang.reports.generate import generate
from taizhang.reports.kinds import get_kind
from taizhang.reports.params import resolve

from .conftest import pdf_text, screenshot_page_one


def _docx_text(content: bytes) -> str:
    document = Document(io.BytesIO(content))
    parts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            parts.extend(cell.text for cell in row.cells)
    return "\n".join(parts)


def test_reports_of_the_sample_data(sample, tmp_path):
    require_libreoffice()
    meeting = Meeting.objects.filter(motions__isnull=False, attendance__status="leave").distinct().first()
    counts = meeting.attendance_counts()
    absent = meeting.attendance.exclude(status="present").select_related("member").first()

    # meeting: the 三会一课记录本 layout
    name, content = generate(get_kind("meeting"), resolve(get_kind("meeting"), {"meeting": meeting.pk}), "docx")
    assert name.endswith(".docx") and meeting.org.name in name
    text = _docx_text(content)
    assert meeting.host.name in text and meeting.place in text and absent.reason in text
    pdf = docx_to_pdf(content)
    words = pdf_text(pdf, tmp_path)
    assert f"{meeting.org.name}" in words and "记录人（签字）" in words
    assert absent.member.name in words and absent.reason in words
    compact = "".join(words.split())
    assert f"应到人数{counts['expected']}" in compact and f"实到人数{counts['present']}" in compact
    assert screenshot_page_one(pdf, "meeting", tmp_path).exists()

    # summary: the figures as computed
    params = resolve(get_kind("summary"), {"campaign": sample.pk})
    _name, pdf = generate(get_kind("summary"), params, "pdf")
    compact = "".join(pdf_text(pdf, tmp_path).split())
    from taizhang.reports.builders.figures import FIGURES, totals

    figures = totals(params)
    for key, label in FIGURES:
        assert f"{label}{figures[key]}" in compact, key
    assert screenshot_page_one(pdf, "summary", tmp_path).exists()

    # problems: every problem, with or without measures
    _name, pdf = generate(get_kind("problems"), resolve(get_kind("problems"), {}), "pdf")
    compact = "".join(pdf_text(pdf, tmp_path, layout=False).split())
    without = Problem.objects.filter(measures__isnull=True).count()
    assert f"问题{Problem.objects.count()}个，其中尚无整改措施{without}个" in compact
    for problem in Problem.objects.all():
        assert "".join(problem.description.split())[:12] in compact
    assert screenshot_page_one(pdf, "problems", tmp_path).exists()

    # the command: the suffix picks the format
    out = tmp_path / "m.pdf"
    call_command("report", "meeting", "--meeting", str(meeting.pk), "-o", str(out), stdout=io.StringIO())
    assert out.read_bytes().startswith(b"%PDF")
    call_command("report", "problems", "-o", str(tmp_path / "p.docx"), stdout=io.StringIO())
    assert Document(str(tmp_path / "p.docx")).tables
    with pytest.raises(CommandError, match=r"m\.xlsx：不支持的文件类型"):
        call_command("report", "meeting", "--meeting", str(meeting.pk), "-o", str(tmp_path / "m.xlsx"))
    with pytest.raises(CommandError, match="请指定会议"):
        call_command("report", "meeting", "-o", str(tmp_path / "m.docx"))
    with pytest.raises(CommandError, match="找不到编号为 999999 的会议记录"):
        call_command("report", "meeting", "--meeting", "999999", "-o", str(tmp_path / "m.docx"))
    with pytest.raises(CommandError, match="未知的报告类型“nope”"):
        call_command("report", "nope", "-o", str(tmp_path / "m.docx"))


def test_shipped_templates_hold_only_what_their_reports_provide():
    from taizhang.reports.generate import SHIPPED
    from taizhang.reports.kinds import KINDS
    from taizhang.reports.templating import check_template

    for kind in KINDS.values():
        if kind.output == "docx":
            content = (SHIPPED / f"{kind.code}.docx").read_bytes()
            check_template(content, kind.schema, name=Path(f"{kind.code}.docx").name)

"""The year's archive (.zip) and the brief (简报) with photos."""

import io
import zipfile

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.files.base import ContentFile
from docx import Document

from taizhang.core.models import Attachment
from taizhang.core.office import require_libreoffice
from taizhang.core.sources import sources
from taizhang.records.models import Lecture, Meeting
from taizhang.reports.generate import generate
from taizhang.reports.kinds import get_kind
from taizhang.reports.params import NotVisible, ParamError, resolve

from .conftest import pdf_text, screenshot_page_one


def _png() -> bytes:
    from PIL import Image

    out = io.BytesIO()
    Image.new("RGB", (40, 30), (200, 0, 0)).save(out, "PNG")
    return out.getvalue()


def test_archive_of_a_branch_and_of_the_committee(sample):
    from taizhang.orgs.models import Organization

    committee = sample.org
    branch = Organization.objects.get(code="ZB01")
    kind = get_kind("archive")
    name, content = generate(kind, resolve(kind, {"org": branch.code, "year": 2023}), "zip")
    assert name == "年度档案-办公室党支部-2023.zip"
    archive = zipfile.ZipFile(io.BytesIO(content))
    names = archive.namelist()
    meetings = Meeting.objects.filter(org__path__startswith=branch.path, date__year=2023)
    records = [n for n in names if n.startswith("会议记录/")]
    assert len(records) == meetings.count() > 10
    first = Document(io.BytesIO(archive.read(records[0])))
    assert "记录" in first.paragraphs[1].text
    ledgers = {n for n in names if n.startswith("台账/")}
    assert {f"台账/{s.part('ledger').title}.xlsx" for s in sources() if s.ledger} | {"台账/问题整改台账.xlsx"} == ledgers
    assert {"合规检查.xlsx", "问题清单.docx", "目录.docx"} <= set(names)
    contents = Document(io.BytesIO(archive.read("目录.docx"))).tables[0]
    rows = {r.cells[1].text: r.cells[3].text for r in contents.rows[1:]}
    assert rows["会议记录/"] == str(meetings.count())
    assert rows["台账/三会一课记录台账.xlsx"] == str(meetings.count())
    assert set(rows) == ledgers | {"会议记录/", "合规检查.xlsx", "问题清单.docx"}
    # The committee's archive holds every branch's meetings.
    _name, content = generate(kind, resolve(kind, {"org": committee.code, "year": 2023}), "zip")
    records = [n for n in zipfile.ZipFile(io.BytesIO(content)).namelist() if n.startswith("会议记录/")]
    assert len(records) == Meeting.objects.filter(date__year=2023).count()
    with pytest.raises(ParamError, match="请指定年度"):
        resolve(kind, {"org": branch.code})
    with pytest.raises(Exception, match="不提供 .pdf"):
        generate(kind, resolve(kind, {"org": branch.code, "year": 2023}), "pdf")


def test_brief_from_picked_records_with_photos(sample, tmp_path):
    meeting = Meeting.objects.filter(kind="theme_party_day").first()
    attachment = Attachment(org=meeting.org, content_type=ContentType.objects.get_for_model(meeting),
                            object_id=meeting.pk, name="活动照片.png")
    attachment.file.save("活动照片.png", ContentFile(_png()))
    lecture = Lecture.objects.first()
    kind = get_kind("brief")
    params = resolve(kind, {"records": [f"meeting:{meeting.pk}", f"lecture:{lecture.pk}"]})
    _name, content = generate(kind, params, "docx")
    document = Document(io.BytesIO(content))
    assert len(document.inline_shapes) == 1  # the meeting's photo
    text = "\n".join(p.text for p in document.paragraphs)
    assert str(meeting) in text and lecture.title in text and "本期共 2 条" in text
    require_libreoffice()
    _name, pdf = generate(kind, params, "pdf")
    words = pdf_text(pdf, tmp_path)
    assert "工作简报" in "".join(words.split()) and lecture.title in words
    assert screenshot_page_one(pdf, "brief", tmp_path).exists()
    with pytest.raises(ParamError, match="未知的记录类型“nope”"):
        generate(kind, resolve(kind, {"records": ["nope:1"]}), "docx")
    with pytest.raises(NotVisible, match="找不到记录“meeting:999999”"):
        generate(kind, resolve(kind, {"records": ["meeting:999999"]}), "docx")

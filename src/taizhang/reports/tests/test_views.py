"""The reports pages: preview, downloads, a background job, template uploads refused or
accepted through the page."""

import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from docx import Document

from taizhang.core.testing import build_world
from taizhang.records.testing import sample_meeting
from taizhang.reports.generate import SHIPPED
from taizhang.reports.models import ReportJob, ReportTemplate


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _member_a(world):
    from taizhang.orgs.models import Member

    return Member.objects.create(org=world.branch_a, name="张明")


def _life_meeting_a(world):
    from taizhang.democratic.testing import sample_life_meeting

    return sample_life_meeting(world.branch_a, _member_a(world), "甲支部民主生活会")


def _docx(*texts) -> bytes:
    document = Document()
    for text in texts:
        document.add_paragraph(text)
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def test_meeting_page_preview_and_word_download(client, world):
    meeting = sample_meeting(world.branch_a, _member_a(world), "学习贯彻会议")
    client.force_login(world.secretary_a)
    page = client.get(reverse("reports:report", args=["meeting"]), {"meeting": meeting.pk})
    assert page.status_code == 200
    assert "学习贯彻会议" in page.content.decode() and 'id="download-docx"' in page.content.decode()
    response = client.get(reverse("reports:download", args=["meeting", "docx"]), {"meeting": meeting.pk})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = "\n".join(p.text for p in Document(io.BytesIO(response.content)).paragraphs)
    assert "支部党员大会记录" in text and "学习贯彻会议" in text
    assert client.get(reverse("reports:download", args=["meeting", "xlsx"]), {"meeting": meeting.pk}).status_code == 404


def test_background_job_runs_and_is_downloaded_by_its_owner_only(client, world, django_capture_on_commit_callbacks):
    client.force_login(world.office)
    with django_capture_on_commit_callbacks(execute=True):
            response = client.post(reverse("reports:job_start", args=["problems", "docx"]) + f"?org={world.committee.code}")
    job = ReportJob.objects.get()
    assert response.status_code == 302 and response.url == job.get_absolute_url()
    assert job.status == "done" and job.progress == 100  # huey runs inline under pytest
    page = client.get(job.get_absolute_url())
    assert 'id="job-download"' in page.content.decode()
    download = client.get(reverse("reports:job_download", args=[job.pk]))
    assert download.status_code == 200 and Document(io.BytesIO(b"".join(download.streaming_content))).tables
    client.force_login(world.secretary_a)
    assert client.get(job.get_absolute_url()).status_code == 404


def test_bad_templates_are_refused_on_the_page_naming_the_placeholder(client, world):
    client.force_login(world.office)
    url = reverse("reports:templates")
    bad = SimpleUploadedFile("未知占位符.docx", _docx("{{ unit }}", "{{ meeting.chairman }}"))
    response = client.post(url, {"kind": "meeting", "org": world.committee.pk, "file": bad})
    assert response.status_code == 400
    assert "未知占位符.docx：占位符“meeting.chairman”不是本报告提供的数据" in response.content.decode()
    split = SimpleUploadedFile("拆开.docx", _docx("地点：{{ meeting.", "place }}"))
    response = client.post(url, {"kind": "meeting", "org": world.committee.pk, "file": split})
    assert "拆开.docx：标签“{{ meeting.”在段落内没有结束" in response.content.decode()
    assert not ReportTemplate.objects.exists()
    good = SimpleUploadedFile("红头.docx", (SHIPPED / "meeting.docx").read_bytes())
    response = client.post(url, {"kind": "meeting", "org": world.committee.pk, "file": good})
    assert response.status_code == 302
    template = ReportTemplate.objects.get()
    assert template.org == world.committee and template.name == "红头.docx"
    # A branch secretary cannot upload (the committee office does).
    client.force_login(world.secretary_a)
    response = client.post(url, {"kind": "meeting", "org": world.branch_a.pk, "file": good})
    assert response.status_code == 400 and ReportTemplate.objects.count() == 1


def test_uploaded_template_is_used_for_the_orgs_below(client, world):
    from taizhang.reports import services

    custom = (SHIPPED / "meeting.docx").read_bytes()
    document = Document(io.BytesIO(custom))
    document.paragraphs[0].insert_paragraph_before("某某局机关党委红头")
    out = io.BytesIO()
    document.save(out)
    services.upload_template({"kind": "meeting", "org": world.committee,
                              "file": SimpleUploadedFile("红头.docx", out.getvalue())}, actor=world.office)
    meeting = sample_meeting(world.branch_a, _member_a(world), "会议")
    client.force_login(world.secretary_a)
    response = client.get(reverse("reports:download", args=["meeting", "docx"]), {"meeting": meeting.pk})
    assert Document(io.BytesIO(response.content)).paragraphs[0].text == "某某局机关党委红头"


def test_every_report_page_opens(client, world):
    meeting = sample_meeting(world.branch_a, _member_a(world), "页面会议")
    client.force_login(world.office)
    queries = {"meeting": f"meeting={meeting.pk}", "brief": f"records=meeting:{meeting.pk}",
               "archive": f"org={world.branch_a.code}&year=2023", "problems": "", "summary": "",
               "dlm-report": f"life_meeting={_life_meeting_a(world).pk}"}
    from taizhang.reports.kinds import KINDS

    assert set(queries) == set(KINDS)
    for code, query in queries.items():
        response = client.get(reverse("reports:report", args=[code]) + "?" + query)
        assert response.status_code == 200, code
    page = client.get(reverse("reports:report", args=["brief"]), {"records": f"meeting:{meeting.pk}"})
    assert "页面会议" in page.content.decode()
    page = client.get(reverse("reports:report", args=["brief"]), {"records": "nope:1"})
    assert "未知的记录类型“nope”" in page.content.decode()
    # No campaign published in this world: the summary says what is missing.
    page = client.get(reverse("reports:report", args=["summary"]), {"org": ""})
    assert "请指定主题教育" in page.content.decode()
    # The archive is made in the background only: no direct download.
    assert 'id="job-zip"' in client.get(reverse("reports:report", args=["archive"]) + "?" + queries["archive"]).content.decode()


def test_a_large_summary_is_made_only_in_the_background(client, world, monkeypatch):
    import datetime as dt

    from taizhang.plans.models import Campaign
    from taizhang.reports import views

    campaign = Campaign.objects.create(org=world.committee, title="主题教育", status="published",
                                       start=dt.date(2023, 9, 1), end=dt.date(2024, 1, 31))
    client.force_login(world.office)
    url = reverse("reports:report", args=["summary"])
    page = client.get(url, {"campaign": campaign.pk}).content.decode()
    assert 'id="preview"' in page and 'id="download-docx"' in page  # two branches: direct
    monkeypatch.setattr(views, "DIRECT_MAX_BRANCHES", 1)
    page = client.get(url, {"campaign": campaign.pk}).content.decode()
    assert 'id="large-note"' in page and 'id="preview"' not in page and 'id="download-docx"' not in page
    assert 'id="job-docx"' in page
    response = client.get(reverse("reports:download", args=["summary", "docx"]), {"campaign": campaign.pk})
    assert response.status_code == 302 and response.url.startswith(url)

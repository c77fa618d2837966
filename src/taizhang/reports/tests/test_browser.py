"""Headless Chromium downloads each report from its page, as the committee office of the
sample unit: the meeting record, the summary, the problem list and the 民主生活会 report in Word and PDF, a brief,
and the year's archive through a background job."""

import io
import zipfile

import pytest
from django.core.management import call_command
from docx import Document

from conftest import ARTIFACTS
from taizhang.core.office import find_soffice
from taizhang.core.testing import browser_login

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "报告-browser-1"


def _download(page, selector):
    with page.expect_download() as info:
        page.click(selector)
    return info.value


def test_each_report_downloads(browser, live_server, settings, tmp_path):
    from django.contrib.auth import get_user_model

    from taizhang.democratic.models import LifeMeeting
    from taizhang.records.models import Lecture, Meeting
    from taizhang.rectification.models import DEFAULT_SOURCES, ProblemSource

    settings.MEDIA_ROOT = tmp_path / "media"
    # Transactional tests flush the tables, the migration's source list included: re-seed it.
    for order, name in enumerate(DEFAULT_SOURCES, start=1):
        ProblemSource.objects.get_or_create(name=name, defaults={"order": order * 10})
    call_command("load_sample", stdout=io.StringIO())
    user = get_user_model().objects.get(username="dangwei")
    user.set_password(PASSWORD)
    user.save()
    meeting = Meeting.objects.filter(kind="branch_general_meeting").first()
    lecture = Lecture.objects.order_by("pk").first()  # ids differ on PostgreSQL after a flush

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN", accept_downloads=True)
    browser_login(page, live_server.url, "dangwei", PASSWORD)

    page.goto(f"{live_server.url}/reports/")
    assert page.locator("a[href='/reports/summary/']").count() == 1
    pdf = find_soffice() is not None
    for kind, query in [("meeting", f"meeting={meeting.pk}"), ("summary", ""), ("problems", ""),
                        ("brief", f"records=meeting:{meeting.pk}+lecture:{lecture.pk}"),
                        ("dlm-report", f"life_meeting={LifeMeeting.objects.get().pk}")]:
        page.goto(f"{live_server.url}/reports/{kind}/?{query}")
        if kind == "summary":
            page.click("#report-params button[type=submit]")
        try:
            page.wait_for_selector("#preview", timeout=15000)
        except Exception:
            raise AssertionError(kind + ": " + page.inner_text("main" if page.locator("main").count() else "body")[:800]) from None
        page.screenshot(path=str(ARTIFACTS / f"report-page-{kind}.png"), full_page=True)
        download = _download(page, "#download-docx")
        assert download.suggested_filename.endswith(".docx")
        path = tmp_path / f"{kind}.docx"
        download.save_as(path)
        assert Document(str(path)).paragraphs  # opens
        if pdf:
            download = _download(page, "#download-pdf")
            path = tmp_path / f"{kind}.pdf"
            download.save_as(path)
            assert path.read_bytes().startswith(b"%PDF")

    # The archive: a background job (huey runs inline under tests), its page, its download.
    page.goto(f"{live_server.url}/reports/archive/?org=ZB01&year=2023")
    page.click("#job-zip")
    page.wait_for_selector("#job-download")
    download = _download(page, "#job-download")
    path = tmp_path / "archive.zip"
    download.save_as(path)
    assert "目录.docx" in zipfile.ZipFile(path).namelist()

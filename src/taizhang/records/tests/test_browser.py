"""Headless Chromium: a branch secretary records a 支委会 with attendance."""

import pytest

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login
from taizhang.orgs.tests.factories import UserFactory, grant

from ..models import Meeting
from .factories import world

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-123456!"


def test_secretary_records_a_committee_meeting(browser, live_server):
    data = world(branches=1)
    branch = data["branches"][0]
    people = data["members"][branch.code]
    user = UserFactory(username="sec", password=PASSWORD)
    grant(user, branch, "branch_secretary")
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    browser_login(page, live_server.url, "sec", PASSWORD)

    page.goto(f"{live_server.url}/records/meeting/add/")
    assert page.locator("#attendance-summary").inner_text().startswith("应到 5 人")
    page.fill("#id_date", "2023-10-12")
    page.fill("#id_start_time", "15:00")
    page.fill("#id_place", "支部会议室")
    page.select_option("#id_host", str(people[0].pk))
    page.select_option("#id_recorder", str(people[1].pk))
    page.fill("#id_topics", "研究十月主题教育安排\n讨论发展党员工作")
    page.click(f"label[for=att-{people[4].pk}-leave]")
    page.fill(f"input[name=reason-{people[4].pk}]", "出差")
    page.click(f"label[for=att-{people[6].pk}-present]")  # a non-committee member attends
    assert page.locator("#attendance-summary").inner_text().replace("\u3000", " ") == "应到 6 人 实到 5 人 缺席 1 人"
    page.screenshot(path=str(ARTIFACTS / "records-meeting-form.png"), full_page=True)
    page.click("#save")
    page.wait_for_selector("#attendance-list")
    assert page.locator("#quorum").inner_text().endswith("5/6")
    page.screenshot(path=str(ARTIFACTS / "records-meeting-detail.png"), full_page=True)
    meeting = Meeting.objects.get()
    assert (meeting.kind, meeting.expected_count, meeting.present_count) == ("branch_committee_meeting", 6, 5)
    assert meeting.attendance.get(member=people[4]).reason == "出差"

    page.goto(f"{live_server.url}/records/meeting/")
    page.wait_for_selector("#meeting-table")
    assert "5/6" in page.locator("#meeting-table tbody").inner_text()
    page.screenshot(path=str(ARTIFACTS / "records-meeting-list.png"), full_page=True)
    page.close()

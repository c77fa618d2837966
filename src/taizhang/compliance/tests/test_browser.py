"""Headless Chromium: the committee view of the sample data and a branch calendar."""

import pytest

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login
from taizhang.orgs.tests.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_committee_view_and_branch_calendar(browser, live_server, sample):
    user = UserFactory(username="office", password="pw-compliance-1")
    grant(user, sample["committee"], "committee_staff")
    page = browser.new_page(viewport={"width": 1500, "height": 950}, locale="zh-CN")
    browser_login(page, live_server.url, "office", "pw-compliance-1")

    page.goto(f"{live_server.url}/compliance/?period=2023-Q4")
    page.wait_for_selector("#compliance-matrix")
    assert page.locator("#compliance-matrix tbody tr").count() == 7
    zb03 = page.locator("#compliance-matrix tbody tr[data-org='ZB03']")
    assert zb03.get_attribute("data-health") == "red"
    assert zb03.locator("td[data-rule='C05']").inner_text().strip() == "1"
    assert page.locator("#compliance-matrix tbody tr[data-org='ZB01'] td[data-rule='C05']").inner_text().strip() == "0"
    page.screenshot(path=str(ARTIFACTS / "compliance-committee.png"), full_page=True)

    zb03.locator("td[data-rule='C05'] a").click()
    page.wait_for_selector("#drill-table")
    assert page.locator("#drill-table tbody tr").count() == 1
    assert "2023年11月财务审计处党支部支委会 0 次" in page.locator("#drill-table").inner_text()

    page.goto(f"{live_server.url}/compliance/calendar/{sample['branches']['ZB03'].pk}/?year=2023")
    page.wait_for_selector("#calendar")
    november = page.locator("#calendar tr[data-rule='C05'] td[data-period='2023-11']")
    assert november.get_attribute("data-status") == "missing"
    assert page.locator("#calendar tr[data-rule='C05'] td[data-period='2023-10']").get_attribute("data-status") == "met"
    page.screenshot(path=str(ARTIFACTS / "compliance-calendar.png"), full_page=True)
    november.locator("a.record-btn").click()
    page.wait_for_url("**/records/meeting/add/**")
    assert page.locator("#id_kind").input_value() == "branch_committee_meeting"
    assert page.locator("#id_date").input_value() == "2023-11-30"
    page.close()

"""Headless Chromium walks the main job: upload the seed → confirm → publish → board."""

import pytest

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login

from .conftest import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_upload_confirm_publish_board(browser, live_server, tree, seed_file):
    user_with_role("office", tree["committee"], "committee_staff")
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    browser_login(page, live_server.url, "office", PASSWORD)

    page.goto(f"{live_server.url}/plans/import/")
    page.set_input_files("input[name=file]", str(seed_file))
    page.click("#upload-submit")
    page.wait_for_selector("#preview-tree")
    assert page.locator("#preview-tree tbody tr").count() >= 28
    page.screenshot(path=str(ARTIFACTS / "plans-preview.png"), full_page=True)

    page.click("button[name=confirm]")
    page.wait_for_selector("#plan-tree")
    assert page.locator("#plan-tree [data-ref='三.2（3）']").count() == 1
    page.click("#publish")
    page.wait_for_selector("#publish-changes")  # the confirmation page: what will be sent
    page.click("#publish-confirm")
    page.wait_for_selector("#board")
    rows = page.locator("#board tbody tr")
    assert rows.count() == 3
    assert rows.nth(0).locator("th").inner_text() == "第1党支部"
    header = page.locator("#board thead th").all_inner_texts()
    assert any(text.startswith("三.2（3）") for text in header)
    page.screenshot(path=str(ARTIFACTS / "plans-board.png"), full_page=True)

    # Every cell links to its assignment.
    page.locator("#board tbody td a").first.click()
    page.wait_for_selector("text=完成时限")
    page.close()

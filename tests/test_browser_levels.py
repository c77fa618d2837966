"""Headless Chromium walks issue 12's done-when flow: the city imports and publishes the
seed, a unit derives it, the city approves, the unit publishes; a branch records a meeting
and the city's board shows it at once; accounts for a branch's members come from the roster
and a member signs in on a phone-sized viewport; an urging shows its read receipt."""

import datetime as dt
import io

import openpyxl
import pytest
from django.core.management import call_command

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign
from taizhang.plans.tests.conftest import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}


def _login(browser, live_server, username, password=PASSWORD, viewport=None):
    context = browser.new_context(viewport=viewport or {"width": 1400, "height": 900}, locale="zh-CN",
                                  accept_downloads=True)
    page = context.new_page()
    browser_login(page, live_server.url, username, password, landing=None)
    return page


def test_city_unit_branch_accounts_and_urging(browser, live_server, seed_file, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    call_command("load_sample", stdout=io.StringIO())
    codes = {o.code: o for o in Organization.objects.filter(code__in=["SW", "DW", "ZB01"])}
    user_with_role("city", codes["SW"], "committee_staff")
    user_with_role("unit", codes["DW"], "committee_staff")
    user_with_role("sec1", codes["ZB01"], "branch_secretary")
    from taizhang.records.models import StudySession

    StudySession.objects.filter(org=codes["ZB01"]).delete()  # ZB01 has not studied yet

    # The city imports the seed and publishes it after the confirmation page.
    city = _login(browser, live_server, "city")
    city.goto(f"{live_server.url}/plans/import/")
    city.select_option("select[name=org]", str(codes["SW"].pk))
    city.set_input_files("input[name=file]", str(seed_file))
    city.click("#upload-submit")
    city.wait_for_selector("#preview-tree")
    city.click("button[name=confirm]")
    city.wait_for_selector("#plan-tree")
    superior = Campaign.objects.get(org=codes["SW"], derived_from=None)
    city.click("#publish")
    city.wait_for_selector("#publish-changes")
    assert "某某局机关党委" in city.inner_text("#publish-changes")
    city.click("#publish-confirm")
    city.wait_for_selector("#board")

    # The unit derives its own plan and submits it; the city approves; the unit publishes.
    unit = _login(browser, live_server, "unit")
    unit.goto(f"{live_server.url}{superior.get_absolute_url()}")
    unit.click("#derive")
    unit.wait_for_selector("#derived-from")
    derived = Campaign.objects.get(derived_from=superior, org=codes["DW"])
    unit.goto(f"{live_server.url}/plans/{derived.pk}/review/")
    unit.click("#submit-review")
    unit.wait_for_selector("text=待上级审核")
    city.goto(f"{live_server.url}/plans/{derived.pk}/review/")
    city.click("#approve")
    city.wait_for_selector("#review-status:has-text('上级已审核')")
    unit.goto(f"{live_server.url}/plans/{derived.pk}/publish/")
    unit.click("#publish-confirm")
    unit.wait_for_selector("#board")
    city.screenshot(path=str(ARTIFACTS / "levels-review.png"), full_page=True)

    # A branch records a meeting: the city's board shows it at once.
    from taizhang.records import services as records

    before = city_done(city, live_server, superior)
    records.create_study_session(codes["ZB01"], dt.date(2023, 9, 20), "传达学习", attendance=[])
    assert city_done(city, live_server, superior) > before

    # Accounts for ZB01's members from the roster; one member signs in on a phone.
    unit.goto(f"{live_server.url}/orgs/members/accounts/?org={codes['ZB01'].pk}")
    with unit.expect_download() as download:
        unit.click("#create-accounts")
    with open(download.value.path(), "rb") as sheet:
        rows = list(openpyxl.load_workbook(sheet).active.iter_rows(values_only=True))[1:]
    username, password = next((r[2], r[3]) for r in rows if r[2])
    member = _login(browser, live_server, username, password, viewport=PHONE)
    member.wait_for_selector("#forced-change")
    member.fill("#id_old_password", password)
    member.fill("#id_new_password1", "Zb01-member-2023")
    member.fill("#id_new_password2", "Zb01-member-2023")
    member.click("#change-password")
    member.wait_for_selector("#own-tasks")
    assert member.evaluate("document.documentElement.scrollWidth") <= PHONE["width"] + 1
    member.screenshot(path=str(ARTIFACTS / "levels-member-phone.png"), full_page=True)

    # The unit urges ZB01; the secretary opens it; the unit sees the read receipt.
    unit.goto(f"{live_server.url}/notify/urge/")
    unit.locator("#candidates tr", has_text="办公室党支部").first.locator("a.btn").click()
    unit.fill("#id_message", "请抓紧完成")
    unit.click("#send-urge")
    unit.wait_for_selector("#receipts")
    assert "未读" in unit.inner_text("#receipts")
    secretary = _login(browser, live_server, "sec1")
    secretary.goto(f"{live_server.url}/notify/")
    secretary.locator("button", has_text="督办：").first.click()
    secretary.wait_for_load_state()
    unit.reload()
    assert "已读" in unit.inner_text("#receipts")
    unit.screenshot(path=str(ARTIFACTS / "levels-urging-receipt.png"), full_page=True)


def city_done(page, live_server, campaign) -> int:
    """Cells marked done on the city's board."""
    page.goto(f"{live_server.url}/plans/{campaign.pk}/board/")
    page.wait_for_selector("#board")
    return page.locator("#board td.status-done, #board td[data-status=done]").count()

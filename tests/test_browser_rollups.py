"""Headless Chromium walks the superior's roll-ups (issue 12 §1): the city (shiwei) opens its
board rolled up per unit (?rollup=1), sees the rows of DW and XW and drills into DW; then the
rectification roll-up (各单位整改情况, with each unit's list review status) and the compliance
overview per unit, drilling into DW in each."""

import io

import pytest
from django.core.management import call_command

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login
from taizhang.orgs.models import Organization
from taizhang.plans.tests.conftest import PASSWORD, user_with_role

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _login(browser, live_server, username):
    context = browser.new_context(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    page = context.new_page()
    browser_login(page, live_server.url, username, PASSWORD, landing=None)
    return page


def _publish_city_and_unit(seed_file, city_office, unit_office):
    """SW imports and publishes the seed; DW derives it, SW approves, DW publishes."""
    from taizhang.plans import levels, services
    from taizhang.plans.importer import parse_file

    orgs = {o.code: o for o in Organization.objects.filter(code__in=["SW", "DW"])}
    superior = services.save_draft(services.draft_to_dict(parse_file(seed_file)), orgs["SW"],
                                   source_name=seed_file.name)
    services.publish_plan(superior)
    unit = levels.derive_plan(superior, orgs["DW"], actor=unit_office)
    levels.submit_for_review(unit, actor=unit_office)
    levels.review_plan(unit, "approve", actor=city_office)
    services.publish_plan(unit)
    return superior


def test_city_rollups_drill_into_a_unit(browser, live_server, seed_file):
    call_command("load_sample", stdout=io.StringIO())
    codes = {o.code: o for o in Organization.objects.filter(code__in=["SW", "DW", "XW"])}
    city_office = user_with_role("city", codes["SW"], "committee_staff")
    unit_office = user_with_role("unit", codes["DW"], "committee_staff")
    superior = _publish_city_and_unit(seed_file, city_office, unit_office)
    dw, xw = codes["DW"], codes["XW"]

    # The board rolled up per unit: one row for DW, one for XW; drill into DW.
    city = _login(browser, live_server, "city")
    city.goto(f"{live_server.url}/plans/{superior.pk}/board/?rollup=1")
    city.wait_for_selector("#board")
    drills = city.locator("#board a[data-drill]")
    names = [drills.nth(i).inner_text() for i in range(drills.count())]
    assert dw.name in names and xw.name in names
    city.screenshot(path=str(ARTIFACTS / "rollups-board.png"), full_page=True)
    city.locator("#board a[data-drill]", has_text=dw.name).click()
    city.wait_for_selector("#board")
    assert f"under={dw.pk}" in city.url
    board = city.inner_text("#board")
    assert "办公室党支部" in board and "综合科党支部" not in board

    # The rectification roll-up: each unit with its list review status; drill into DW.
    city.goto(f"{live_server.url}/rectification/")
    city.wait_for_selector("#unit-rollup")
    assert city.locator("#unit-rollup tr[data-unit=DW]").count() == 1
    assert city.locator("#unit-rollup tr[data-unit=XW]").count() == 1
    assert city.inner_text("#unit-rollup tr[data-unit=XW] [data-col=review]") == "未报审"
    city.screenshot(path=str(ARTIFACTS / "rollups-rectification.png"), full_page=True)
    city.click("#unit-rollup a[data-drill=DW]")
    city.wait_for_load_state()
    assert f"org={dw.pk}" in city.url
    assert city.locator("#unit-rollup").count() == 0  # DW has branches, not units

    # The compliance overview per unit; drill into DW: its branches' findings.
    city.goto(f"{live_server.url}/compliance/")
    city.wait_for_selector("#unit-findings")
    assert city.locator("#unit-findings tr[data-unit=DW]").count() == 1
    assert city.locator("#unit-findings tr[data-unit=XW]").count() == 1
    city.screenshot(path=str(ARTIFACTS / "rollups-compliance.png"), full_page=True)
    city.click("#unit-findings a[data-drill=DW]")
    city.wait_for_load_state()
    assert f"org={dw.pk}" in city.url
    assert city.locator("#unit-findings").count() == 0
    matrix = city.inner_text("#compliance-matrix")
    assert "办公室党支部" in matrix and "综合科党支部" not in matrix
    city.screenshot(path=str(ARTIFACTS / "rollups-compliance-dw.png"), full_page=True)

"""Headless Chromium: the organization filter of a city (above the threshold) finds a branch
by typing, through htmx and /orgs/choose/, and filters the list by it (issue 14)."""

import re

import pytest
from django.test import override_settings

from taizhang.core.testing import browser_login

from .factories import UserFactory, build_tree, grant
from .test_chooser import many_branches

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PASSWORD = "pw-123456!"


@override_settings(TAIZHANG_CHOOSER_THRESHOLD=50)
def test_typing_finds_a_branch_and_filtering_keeps_it(browser, live_server):
    tree = build_tree(branches=1, groups=0)
    many_branches(tree["committee"], n=120)
    user = UserFactory(username="office", password=PASSWORD)
    grant(user, tree["committee"], "committee_staff")
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    browser_login(page, live_server.url, "office", PASSWORD)

    page.goto(f"{live_server.url}/orgs/members/")
    assert page.locator("#id_org option").count() == 1  # the empty choice only
    search = page.locator("input[hx-get^='/orgs/choose/']").first
    search.fill("ZX0077")
    page.locator("#id_org option").nth(1).wait_for(state="attached")
    assert page.locator("#id_org option").all_inner_texts() == ["---------", "城区第77党支部（ZX0077）"]
    page.select_option("#id_org", label="城区第77党支部（ZX0077）")
    page.click("button:has-text('筛选')")
    page.wait_for_url(re.compile(r"/orgs/members/\?.*org="))
    assert "q=ZX" not in page.url and "org=" in page.url  # the search box is not submitted
    assert page.locator("#id_org option:checked").inner_text() == "城区第77党支部（ZX0077）"
    page.close()


@override_settings(TAIZHANG_CHOOSER_THRESHOLD=3)
def test_a_lecture_form_finds_speakers_by_typing_and_keeps_the_chosen_ones(browser, live_server):
    from .factories import MemberFactory

    tree = build_tree(branches=2, groups=0)
    a, b = tree["branches"]
    for name in ("张一", "张二", "李三", "王四"):
        MemberFactory(org=a, name=name)
    MemberFactory(org=b, name="赵五")
    user = UserFactory(username="office", password=PASSWORD)
    grant(user, tree["committee"], "committee_staff")
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    browser_login(page, live_server.url, "office", PASSWORD)

    page.goto(f"{live_server.url}/records/lecture/add/")
    assert page.locator("#id_speaker option").count() == 1  # the empty choice only
    page.locator("#id_speaker").locator("xpath=preceding-sibling::input").fill("赵")
    page.locator("#id_speaker option").nth(1).wait_for(state="attached")
    page.select_option("#id_speaker", label="赵五（第2党支部）")

    co = page.locator("#id_co_speakers")
    search = co.locator("xpath=preceding-sibling::input")
    search.fill("张")
    page.locator("#id_co_speakers option").nth(1).wait_for(state="attached")
    page.select_option("#id_co_speakers", label="张二（第1党支部）")
    search.fill("李")
    page.locator("#id_co_speakers option", has_text="李三").wait_for(state="attached")
    assert co.locator("option").all_inner_texts() == ["张二（第1党支部）", "李三（第1党支部）"]
    assert co.locator("option:checked").all_inner_texts() == ["张二（第1党支部）"]  # still chosen
    assert page.locator("#id_speaker option:checked").inner_text() == "赵五（第2党支部）"
    speaker_search = page.locator("#id_speaker").locator("xpath=preceding-sibling::input")
    speaker_search.fill("张")  # a new search keeps the speaker chosen (new-user pass)
    page.locator("#id_speaker option", has_text="张一").wait_for(state="attached")
    assert page.locator("#id_speaker option:checked").inner_text() == "赵五（第2党支部）"
    assert speaker_search.get_attribute("placeholder") == "输入姓名查找"
    page.close()

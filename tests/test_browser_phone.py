"""Headless Chromium on a phone-sized viewport (390×844): a member (role 党员 of a branch only)
opens his or her own pages — my tasks (home), a meeting's QR sign-in, self-study, micro-lecture
— and a respondent opens a survey link; each page fits the width and the menu is folded behind
the toggler (issue 12 §2)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login
from taizhang.orgs.tests.factories import UserFactory, grant

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
PHONE = {"width": 390, "height": 844}
PASSWORD = "pw-123456!"


def _world():
    """A branch with members; member 3 has an account whose only role is 党员 of the branch;
    a meeting today with QR sign-in on; an open survey with one token. Returns the paths."""
    from taizhang.records import services as records
    from taizhang.records.tests.factories import world
    from taizhang.surveys import services as surveys

    data = world(branches=1, members=5)
    from taizhang.plans import services as plans
    from taizhang.plans.tests.test_levels import plan_data

    plans.publish_plan(plans.save_draft(plan_data(), data["committee"]))  # overdue tasks on the home page
    branch = data["branches"][0]
    people = data["members"][branch.code]
    user = UserFactory(username="member1", password=PASSWORD, first_name=people[3].name)
    grant(user, branch, "member")
    people[3].user = user
    people[3].save(update_fields=["user"])
    today = timezone.localdate()
    meeting = records.create_meeting(branch, "branch_general_meeting", today, sign_in_enabled=True,
                                     attendance=[{"member": p, "status": "absent"} for p in people])
    survey = surveys.create_survey({"org": data["committee"], "title": "群众满意度测评",
                                    "start": today - dt.timedelta(days=1), "end": today + dt.timedelta(days=7),
                                    "items": ["理论学习", "为民办实事"]})
    token = surveys.issue_tokens(survey, 1)[0].token
    return {
        "home": "/",
        "sign-in": f"/records/sign-in/{meeting.sign_in_token}/",
        "self-study": "/records/my/self-study/",
        "micro-lecture": "/records/my/micro-lecture/",
    }, f"/surveys/t/{token}/", people[3]


def _fits(page, name):
    """The page is as wide as the phone (no horizontal scrolling); a screenshot is kept."""
    page.screenshot(path=str(ARTIFACTS / f"phone-{name}.png"), full_page=True)
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= page.evaluate("window.innerWidth"), f"{name}: {width}px wide"


def test_member_pages_on_a_phone(browser, live_server):
    from django.core.cache import cache

    from taizhang.records.models import Attendance

    cache.clear()
    pages, survey_url, member = _world()
    context = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True)
    page = context.new_page()
    page.goto(f"{live_server.url}/login/")
    _fits(page, "login")
    browser_login(page, live_server.url, "member1", PASSWORD)

    for name, path in pages.items():
        response = page.goto(f"{live_server.url}{path}")
        assert response.status == 200, (name, response.status)
        assert "/login" not in page.url
        # The menu is folded: the toggler shows, the menu's items do not until it is tapped.
        toggler = page.locator("#navbar-toggler")
        assert toggler.is_visible(), name
        assert not page.locator("#navbar-menu .nav-link").first.is_visible(), name
        assert not page.get_by_role("button", name="退出").is_visible(), name
        _fits(page, name)
        if name == "home":
            assert "三.1 开展专题学习" in page.inner_text("#own-tasks")  # my branch's overdue task
            toggler.click()
            page.wait_for_selector("#navbar-menu.show")  # the folding animation has ended
            assert page.get_by_role("button", name="退出").is_visible()
            assert page.locator("#navbar-menu .nav-link").first.is_visible()
            _fits(page, "home-menu")
    assert Attendance.objects.get(member=member).status == "present"  # the sign-in page signed in

    fresh = browser.new_context(viewport=PHONE, locale="zh-CN", is_mobile=True, has_touch=True).new_page()
    response = fresh.goto(f"{live_server.url}{survey_url}")
    assert response.status == 200
    assert "/login" not in fresh.url
    assert fresh.locator(".nav-link").count() == 0  # a respondent without an account gets no menu
    _fits(fresh, "survey")
    assert not browser.csp_violations


def test_desktop_menu_is_open(browser, live_server):
    """Wide screens keep the menu spread out, without the toggler."""
    _world()
    page = browser.new_page(viewport={"width": 1400, "height": 900}, locale="zh-CN")
    browser_login(page, live_server.url, "member1", PASSWORD)
    assert not page.locator("#navbar-toggler").is_visible()
    assert page.locator("#navbar-menu .nav-link").first.is_visible()
    assert page.get_by_role("button", name="退出").is_visible()
    page.screenshot(path=str(ARTIFACTS / "phone-desktop-home.png"))

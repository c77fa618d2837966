"""Headless Chromium on a phone-sized viewport (390×844): a respondent opens a one-time
survey link without logging in, rates every item, adds an opinion and submits; opening the
same link again is refused (issue 10 §5)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import ARTIFACTS

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_phone_answers_a_token_once(browser, live_server):
    from django.core.cache import cache

    from taizhang.orgs.tests.factories import build_tree
    from taizhang.surveys import services
    from taizhang.surveys.models import SurveyResponse

    cache.clear()
    today = timezone.localdate()
    committee = build_tree(branches=1, groups=0)["committee"]
    survey = services.create_survey({"org": committee, "title": "群众满意度测评", "start": today - dt.timedelta(days=1),
                                     "end": today + dt.timedelta(days=7), "items": ["理论学习", "为民办实事"]})
    token = services.issue_tokens(survey, 1)[0].token
    url = f"{live_server.url}/surveys/t/{token}/"

    page = browser.new_page(viewport={"width": 390, "height": 844}, locale="zh-CN", is_mobile=True, has_touch=True)
    page.goto(url)
    assert "/login" not in page.url
    assert page.inner_text("h2.page-title") == "群众满意度测评"
    items = list(survey.items.all())
    page.check(f"input[name=item-{items[0].pk}][value=satisfied]")
    page.check(f"input[name=item-{items[1].pk}][value=basically_satisfied]")
    page.fill("#id_opinion", "希望多开展入户走访")
    # Phone-friendly: the form fits the viewport's width (no horizontal scrolling).
    assert page.evaluate("document.documentElement.scrollWidth") <= 390
    page.click("#survey-form button[type=submit]")
    page.wait_for_selector("#survey-thanks")
    page.screenshot(path=str(ARTIFACTS / "survey-phone-thanks.png"))
    response = SurveyResponse.objects.get(survey=survey)
    assert response.opinion == "希望多开展入户走访"
    assert sorted(response.answers.values_list("rating", flat=True)) == ["basically_satisfied", "satisfied"]

    second = page.goto(url)
    assert second.status == 410
    assert "已经使用过" in page.inner_text("#survey-refused")
    assert SurveyResponse.objects.filter(survey=survey).count() == 1
    assert not browser.csp_violations

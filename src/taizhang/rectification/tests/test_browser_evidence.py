"""Headless Chromium: the committee office enters a problem and a measure for seed 二.7/二.8
and sees both tasks turn 已完成 on their assignment pages, without a submission (issue 9 §2)."""

import datetime as dt

import pytest
from django.utils import timezone

from conftest import ARTIFACTS
from taizhang.core.testing import browser_login

from .conftest import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_problem_and_measure_complete_2_7_and_2_8(browser, live_server, tree, office, seed_file):
    from taizhang.plans import services as plans
    from taizhang.plans.importer import parse_file
    from taizhang.plans.models import Assignment, Campaign
    from taizhang.rectification.models import DEFAULT_SOURCES, ProblemSource

    for order, name in enumerate(DEFAULT_SOURCES, start=1):  # flushed by transactional tests
        ProblemSource.objects.get_or_create(name=name, defaults={"order": order * 10})
    today = timezone.localdate()
    campaign = plans.save_draft(plans.draft_to_dict(parse_file(seed_file)), tree["committee"])
    # The seed's tasks, running now (the browser's clock is the real one).
    Campaign.objects.filter(pk=campaign.pk).update(start=today - dt.timedelta(days=30),
                                                   end=today + dt.timedelta(days=60))
    plans.publish_plan(Campaign.objects.get(pk=campaign.pk))
    committee = tree["committee"]
    task = {ref: Assignment.objects.get(item__plan=campaign.plan, item__ref=ref, org=committee)
            for ref in ("二.7", "二.8")}

    page = browser.new_page(viewport={"width": 1400, "height": 1000}, locale="zh-CN")
    browser_login(page, live_server.url, "office", PASSWORD)

    def status(ref):
        page.goto(f"{live_server.url}/plans/assignments/{task[ref].pk}/")
        return page.inner_text("#assignment-status")

    assert status("二.7") == "未完成"
    page.goto(f"{live_server.url}/rectification/problems/add/")
    page.select_option("#id_org", str(committee.pk))
    page.select_option("#id_source", label="巡视巡察")
    page.fill("#id_found_on", today.isoformat())
    page.fill("#id_description", "公文流转环节多、时间长")
    page.click("#save")
    page.wait_for_selector("#problem-description")
    problem_url = page.url
    assert status("二.7") == "已完成"
    assert status("二.8") == "未完成"

    page.goto(problem_url)
    page.click("#add-measure")
    page.fill("#id_measure", "压缩公文流转环节")
    page.fill("#id_deadline", (today + dt.timedelta(days=20)).isoformat())
    page.fill("#id_leader_name", "周宁")
    page.click("#save")
    page.wait_for_selector("#measure-status")
    page.fill("#c_completion_note", "已压缩2个环节")
    page.fill("#c_evidence", "流程图")
    page.click("#do-complete")
    page.wait_for_selector("#measure-status >> text=已完成待核验")
    assert status("二.8") == "已完成"
    assert "整改措施：1/1" in page.inner_text("body")
    page.screenshot(path=str(ARTIFACTS / "rect-evidence-2-8-done.png"), full_page=True)
    page.close()

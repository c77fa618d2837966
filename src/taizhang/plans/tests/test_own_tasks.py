"""The home page starts with the own organizations' overdue, due-soon and returned campaign
tasks (issue 12 §3)."""

import datetime as dt

from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.plans import services
from taizhang.plans.models import Assignment
from taizhang.plans.mytasks import own_tasks

from .test_levels import plan_data

TODAY = dt.date(2023, 12, 27)  # a Wednesday: 三.1 (due Fri 12-29) is due soon


def _published(tree):
    campaign = services.save_draft(plan_data(), tree["committee"])
    services.publish_plan(campaign)
    return campaign


def test_secretary_sees_own_branch_tasks_only(tree, secretary_a, office):
    campaign = _published(tree)
    a = tree["branches"][0]
    returned = Assignment.objects.get(item__plan=campaign.plan, item__ref="三.1", org=tree["branches"][1])
    Assignment.objects.filter(pk=returned.pk).update(status="returned")
    tasks = own_tasks(secretary_a, today=TODAY)
    assert [t.title for t in tasks.overdue] == [
        "三.2 每月主题党日（2023-09）", "三.2 每月主题党日（2023-10）", "三.2 每月主题党日（2023-11）"]
    assert [(t.title, t.due, t.org) for t in tasks.due_soon] == [
        ("三.1 开展专题学习", dt.date(2023, 12, 29), a.name),
        ("三.2 每月主题党日（2023-12）", dt.date(2023, 12, 31), a.name)]
    assert tasks.returned == []  # branch B's return is not A's
    assert tasks.counts == {"overdue": 3, "due_soon": 2, "returned": 0}
    # the committee office: the committee's own 二.1, overdue since 11-30
    mine = own_tasks(office, today=TODAY)
    assert [t.title for t in mine.overdue] == ["二.1 制定实施方案"]
    assert (mine.due_soon, mine.returned) == ([], [])


def test_returned_and_query_count(tree, secretary_a):
    campaign = _published(tree)
    Assignment.objects.filter(item__plan=campaign.plan, item__ref="三.1",
                              org=tree["branches"][0]).update(status="returned")
    with CaptureQueriesContext(connection) as queries:
        tasks = own_tasks(secretary_a, today=TODAY)
    assert [t.title for t in tasks.returned] == ["三.1 开展专题学习"]
    assert len(queries) == 4  # roles, member, assignments, occurrences: whatever the data


def test_home_page_starts_with_own_tasks(client, tree, secretary_a):
    _published(tree)
    client.force_login(secretary_a)
    page = client.get("/").content.decode()
    assert page.index('id="own-tasks"') < page.index("主题教育 / 专项工作")
    assert 'id="own-overdue"' in page


def test_a_task_held_from_the_superior_and_the_unit_is_shown_once(db):
    from taizhang.plans import levels

    from .conftest import user_with_role
    from .test_levels import city_tree

    t = city_tree()
    city_office = user_with_role("city_office", t["city"], "committee_staff")
    dw_office = user_with_role("dw_office", t["dw"], "committee_staff")
    secretary = user_with_role("sec", t["branches"][0], "branch_secretary")
    superior = services.save_draft(plan_data(), t["city"])
    services.publish_plan(superior)
    unit = levels.derive_plan(superior, t["dw"], actor=dw_office)
    levels.submit_for_review(unit, actor=dw_office)
    levels.review_plan(unit, "approve", actor=city_office)
    services.publish_plan(unit)
    tasks = own_tasks(secretary, today=TODAY)
    assert [t.title for t in tasks.due_soon] == ["三.1 开展专题学习", "三.2 每月主题党日（2023-12）"]
    assert len(tasks.overdue) == 3
    unit_rows = Assignment.objects.filter(item__plan=unit.plan, org=t["branches"][0],
                                          item__ref__in=["三.1", "三.2"])
    assert {task.url for task in tasks.due_soon} == {a.get_absolute_url() for a in unit_rows}


def test_two_published_plans_are_told_apart_with_full_dates_in_constant_queries(client, tree, secretary_a):
    """issue 12 §3: a branch with two published plans saw "the same task twice", and overdue
    dates without their year. Each task names its campaign; dates show the year."""
    _published(tree)
    second = plan_data()
    second["title"] = "2023年度党建工作要点落实清单（第二批）"
    other = services.save_draft(second, tree["committee"])
    services.publish_plan(other)
    tasks = own_tasks(secretary_a, today=TODAY)
    assert [(t.title, t.campaign) for t in tasks.due_soon] == [
        ("三.1 开展专题学习", "2023年度党建工作要点落实清…"), ("三.1 开展专题学习", "主题教育任务清单"),
        ("三.2 每月主题党日（2023-12）", "2023年度党建工作要点落实清…"),
        ("三.2 每月主题党日（2023-12）", "主题教育任务清单")]
    assert tasks.due_soon[0].campaign_title == "2023年度党建工作要点落实清单（第二批）"
    with CaptureQueriesContext(connection) as few:
        own_tasks(secretary_a, today=TODAY)
    third = plan_data()
    third["title"] = "第三份清单"
    services.publish_plan(services.save_draft(third, tree["committee"]))
    with CaptureQueriesContext(connection) as more:
        assert own_tasks(secretary_a, today=TODAY).counts["overdue"] == 9
    assert len(few) == len(more) == 4
    client.force_login(secretary_a)
    card = client.get("/").content.decode().split('id="own-tasks"')[1].split('id="own-due-soon"')[0]
    assert "2023-09-30" in card or "2023-10-" in card  # the overdue periods' dates with their year
    assert 'title="2023年度党建工作要点落实清单（第二批）（测试党委）"' in card and "第三份清单" in card

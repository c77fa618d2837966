"""Notices go to the receiving organization's own officers, never to the staff of its
ancestors who merely can see it (issue 12 §3, a new user's pass on the sample city:
当 DW 发布本单位清单时，市委的 ``shiwei`` 收到了"贵组织共有任务 14 项")."""

import datetime as dt

import pytest
from django.contrib.auth import get_user_model

from taizhang.notify import announcements
from taizhang.notify.models import Notice
from taizhang.notify.registry import RoleDirectory, RunContext
from taizhang.notify.reminders import review_waiting
from taizhang.orgs.sample import create_demo_accounts, create_sample_orgs
from taizhang.orgs.tests.factories import UserFactory, grant
from taizhang.plans import levels, services
from taizhang.plans.models import Assignment
from taizhang.plans.tests.test_levels import plan_data

BRANCH_SECRETARIES = {f"zhibu{i}" for i in range(1, 7)}


@pytest.fixture
def city(db, django_capture_on_commit_callbacks):
    """The sample city (``load_sample``'s organizations and demo accounts): 市委 SW over DW
    (6 branches) and XW; ``shiwei`` on SW, ``dangwei`` on DW, ``danwei2`` on XW, ``zhibu1``…
    ``zhibu6`` the secretaries of DW's branches. SW's plan is published."""
    sample = create_sample_orgs(with_city=True)
    create_demo_accounts("sample-password-1")
    users = {u.username: u for u in get_user_model().objects.all()}
    superior = services.save_draft(plan_data(), sample["city"])
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_plan(superior, user=users["shiwei"])
    return {**sample, "users": users, "superior": superior}


def _published_unit_plan(city, capture):
    users = city["users"]
    unit = levels.derive_plan(city["superior"], city["committee"], actor=users["dangwei"])
    levels.submit_for_review(unit, actor=users["dangwei"])
    levels.review_plan(unit, "approve", actor=users["shiwei"])
    before = set(Notice.objects.values_list("pk", flat=True))
    with capture(execute=True):
        services.publish_plan(unit, user=users["dangwei"])
    return unit, Notice.objects.exclude(pk__in=before).select_related("user")


def test_unit_publishing_its_plan_tells_its_own_officers_not_the_city(
        city, django_capture_on_commit_callbacks):
    unit, notices = _published_unit_plan(city, django_capture_on_commit_callbacks)
    told = {n.user.username for n in notices}
    assert "shiwei" not in told  # 市委 holds no task of DW's plan
    assert told == BRANCH_SECRETARIES  # dangwei published it: the sender is not told
    body = {n.user.username: n.body for n in notices}
    assert body["zhibu1"] == "某某局机关党委 发布了《主题教育任务清单》，贵组织共有任务 2 项，新增 2 项。"


def test_the_city_publishing_tells_each_unit_its_own_office(city):
    told = {(n.user.username, n.body.split("，")[1]) for n in Notice.objects.select_related("user")}
    # SW's plan: 二.1 for each committee (SW, DW, XW), 三.1 and 三.2 for every branch
    assert ("dangwei", "贵组织共有任务 1 项") in told
    assert ("danwei2", "贵组织共有任务 1 项") in told
    # shiwei published it: the sender is never told of his own message (found by a new user)
    assert [n for n in told if n[0] == "shiwei"] == []


def test_review_waiting_goes_to_the_office_whose_approval_is_due(
        city, django_capture_on_commit_callbacks):
    from taizhang.plans import review

    users = city["users"]
    unit, _notices = _published_unit_plan(city, django_capture_on_commit_callbacks)
    branch = city["branches"][0]
    task = Assignment.objects.get(item__plan=unit.plan, org=branch, item__ref="三.1")
    review.submit_work(task, users["zhibu1"], "已完成专题学习")
    own = Assignment.objects.get(item__plan=city["superior"].plan, org=city["committee"], item__ref="二.1")
    review.submit_work(own, users["dangwei"], "已制定实施方案")
    messages = list(review_waiting(RunContext(today=dt.date(2023, 11, 1))))
    to = {(m.target.org.code, m.target.item.plan.campaign_id): [u.username for u in m.recipients]
          for m in messages}
    assert to == {("ZB01", unit.pk): ["dangwei"],  # DW reviews its branch, the city does not
                  ("DW", city["superior"].pk): ["shiwei"]}  # the city reviews DW's own task


def test_role_directory_names_own_officers_only(city):
    users = city["users"]
    roles = RoleDirectory()
    assert [u.username for u in roles.responsible(city["committee"])] == ["dangwei"]
    assert [u.username for u in roles.responsible(city["city"])] == ["shiwei"]
    assert [u.username for u in roles.responsible(city["branches"][0])] == ["zhibu1"]
    assert roles.responsible(city["committee"], exclude=[users["dangwei"]]) == []


def test_announcement_to_a_unit_goes_to_its_office_not_the_sender(city):
    users = city["users"]
    colleague = UserFactory(username="sw2")
    grant(colleague, city["city"], "committee_staff")
    notice = announcements.send_announcement(
        {"org": city["city"], "title": "关于报送材料的通知", "body": "请于月底前报送。",
         "recipients": [city["committee"], city["units"][1]]}, actor=users["shiwei"])
    got = {n.user.username for n in Notice.objects.filter(reminder__object_id=notice.pk,
                                                          reminder__kind="announcement")}
    assert got == {"dangwei", "danwei2"}  # not shiwei, not the sender's colleague

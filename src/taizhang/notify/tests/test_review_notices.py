"""Nobody was told when an approval was due (new-user pass, issue 12's notes): a unit's
derived plan sent to its superior for review (seed 四.2 审核把关), and a rectification
measure's extension request. Like the 对照检查材料's notices: the office whose approval is due
is told of the request, the requesting side of the decision (with the comment when
returned); never the one who made the move, and nobody else."""

import datetime as dt

import pytest

from taizhang.notify.models import Notice
from taizhang.orgs.tests.factories import UserFactory, grant
from taizhang.plans import levels, services as plans
from taizhang.plans.tests.test_levels import city_tree, plan_data
from taizhang.plans.tests.conftest import user_with_role

D = dt.date


def _step(fn):
    before = set(Notice.objects.values_list("pk", flat=True))
    fn()
    return sorted((n.user.username, n.title, n.body) for n in
                  Notice.objects.exclude(pk__in=before).select_related("user"))


@pytest.fixture
def city(db):
    t = city_tree()
    for name, org in (("city_office", "city"), ("city2", "city"), ("dw_office", "dw"),
                      ("dw2", "dw"), ("xw_office", "xw")):
        t[name] = user_with_role(name, t[org], "committee_staff")
    t["zb_sec"] = user_with_role("zb_sec", t["branches"][0], "branch_secretary")
    t["campaign"] = plans.save_draft(plan_data(), t["city"])
    plans.publish_plan(t["campaign"])
    return t


def test_a_derived_plans_review_tells_the_superiors_office_then_the_unit(city):
    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    waiting = ("【待审核】局党委任务清单：主题教育任务清单",
               "局党委 报送了本单位任务清单“主题教育任务清单”（由 市委 的清单分解），请审核。报送说明：已增加本级任务")
    assert _step(lambda: levels.submit_for_review(unit, actor=city["dw_office"],
                                                  comment="已增加本级任务")) == [
        ("city2", *waiting), ("city_office", *waiting)]
    returned = ("【退回修改】局党委任务清单：主题教育任务清单",
                "市委 退回了本单位任务清单“主题教育任务清单”。审核意见：请补充调研任务")
    assert _step(lambda: levels.review_plan(unit, "return", actor=city["city_office"],
                                            comment="请补充调研任务")) == [
        ("dw2", *returned), ("dw_office", *returned)]
    # the decision closes the reviewers' waiting notices
    assert not Notice.objects.filter(title__startswith="【待审核】", read_at__isnull=True).exists()
    again = _step(lambda: levels.submit_for_review(unit, actor=city["dw2"]))
    assert again == [(u, "【待审核】局党委任务清单：主题教育任务清单",
                      "局党委 报送了本单位任务清单“主题教育任务清单”（由 市委 的清单分解），请审核。")
                     for u in ("city2", "city_office")]
    approved = ("【审核通过】局党委任务清单：主题教育任务清单",
                "市委 审核通过了本单位任务清单“主题教育任务清单”，可以发布。")
    assert _step(lambda: levels.review_plan(unit, "approve", actor=city["city2"])) == [
        ("dw2", *approved), ("dw_office", *approved)]
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert told == {"city_office", "city2", "dw_office", "dw2"}  # not XW, not the branch


@pytest.fixture
def unit(db):
    from taizhang.orgs.tests.factories import build_tree

    tree = build_tree(branches=2)
    people = {name: UserFactory(username=name) for name in ("office", "office2", "sec_a", "sec_b")}
    grant(people["office"], tree["committee"], "committee_staff")
    grant(people["office2"], tree["committee"], "committee_staff")
    grant(people["sec_a"], tree["branches"][0], "branch_secretary")
    grant(people["sec_b"], tree["branches"][1], "branch_secretary")
    return {**tree, **people}


def _measure(org, user, text):
    from taizhang.rectification import services as rectification

    problem = rectification.create_problem(org=org, user=user, source="调查研究", description="学习不深入")
    return rectification.add_measure(problem, user, measure=text, deadline=D(2023, 11, 10))


def test_an_extension_request_tells_the_deciding_office_and_the_decision_the_requester(unit):
    from taizhang.rectification import services as rectification

    measure = _measure(unit["branches"][0], unit["sec_a"], "每月集中学习")
    waiting = ("【待审批】延期申请：每月集中学习",
               "第1党支部 申请将整改措施“每月集中学习”的时限由 2023-11-10 延至 2023-12-15。理由：等待上级文件")
    assert _step(lambda: rectification.request_extension(
        measure, unit["sec_a"], new_deadline=D(2023, 12, 15), reason="等待上级文件")) == [
        ("office", *waiting), ("office2", *waiting)]
    request = measure.extensions.get()
    assert _step(lambda: rectification.decide_extension(
        request, unit["office"], approve=False, comment="时间已足够")) == [
        ("sec_a", "【不同意延期】整改措施：每月集中学习",
         "整改措施“每月集中学习”的延期申请（延至 2023-12-15）未获同意。意见：时间已足够")]
    assert not Notice.objects.filter(title__startswith="【待审批】", read_at__isnull=True).exists()
    measure.refresh_from_db()
    rectification.request_extension(measure, unit["sec_a"], new_deadline=D(2023, 12, 1), reason="再议")
    assert _step(lambda: rectification.decide_extension(
        measure.extensions.get(status="pending"), unit["office2"], approve=True)) == [
        ("sec_a", "【同意延期】整改措施：每月集中学习", "整改措施“每月集中学习”的时限已延至 2023-12-01。")]
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"office", "office2", "sec_a"}


def test_the_office_asking_for_its_own_measure_is_not_told_of_it(unit):
    from taizhang.rectification import services as rectification

    measure = _measure(unit["committee"], unit["office"], "建立台账")
    told = _step(lambda: rectification.request_extension(
        measure, unit["office"], new_deadline=D(2023, 12, 15), reason="工作量大"))
    assert [n[0] for n in told] == ["office2"]
    assert [n[:2] for n in _step(lambda: rectification.decide_extension(
        measure.extensions.get(), unit["office2"], approve=True))] == [
        ("office", "【同意延期】整改措施：建立台账")]

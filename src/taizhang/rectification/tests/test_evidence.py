"""Problems, measures and progress updates complete the seed's tasks (issue 9 §2): 二.7, 二.8,
二.10 and 三.6 move in the request that records the change, with no submission."""

import datetime as dt
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse

from taizhang.core.sources import evidence_changed
from taizhang.core.status import events_for
from taizhang.evaluation import services as evaluation
from taizhang.orgs.tests.factories import MemberFactory
from taizhang.plans import services as plans
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment
from taizhang.records import services as records
from taizhang.records.models import MeetingKind
from taizhang.rectification import services
from taizhang.rectification.importer import import_ledger
from taizhang.rectification.models import Problem, ProgressUpdate, Rectification

from .test_import_export import messy_ledger

D = dt.date
SHANGHAI = ZoneInfo("Asia/Shanghai")


@pytest.fixture
def campaign(tree, seed_file):
    campaign = plans.save_draft(plans.draft_to_dict(parse_file(seed_file)), tree["committee"])
    plans.publish_plan(campaign)
    return campaign


@pytest.fixture
def on(time_machine):
    """``on(2023, 10, 9)``: today is that day (10:00 in Shanghai) until the next call."""
    def travel(*day):
        time_machine.move_to(dt.datetime(*day, 10, 0, tzinfo=SHANGHAI), tick=False)
    return travel


def state(campaign, ref, org):
    a = Assignment.objects.get(item__plan=campaign.plan, item__ref=ref, org=org)
    return a.status, a.evidence_count, a.evidence_needed


def complete(rect, **kw):
    return services.move(rect, "complete", completion_note="已落实", evidence="工作记录", **kw)


def test_a_problem_completes_2_7_and_its_date_moves_it_back(
        campaign, tree, on, django_capture_on_commit_callbacks):
    committee, branch = tree["committee"], tree["branches"][0]
    on(2023, 10, 9)
    assert state(campaign, "二.7", committee) == ("pending", 0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.create_problem(org=branch, source="基层调研", description="支部的问题")
    assert state(campaign, "二.7", committee) == ("pending", 0, 1)  # another organization's list
    with django_capture_on_commit_callbacks(execute=True):
        # No 发现日期: it counts on the day it was entered (an imported ledger has none).
        problem = services.create_problem(org=committee, source="巡视巡察", description="公文流转慢")
    assert state(campaign, "二.7", committee) == ("done", 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.update_problem(problem, found_on=D(2022, 5, 1))  # found before the campaign
    assert state(campaign, "二.7", committee) == ("pending", 0, 1)
    assert state(campaign, "二.7", committee)[0] == "pending"


def test_2_8_needs_every_measure_due_by_the_deadline_rectified(
        campaign, tree, on, django_capture_on_commit_callbacks):
    committee = tree["committee"]
    on(2023, 10, 9)
    with django_capture_on_commit_callbacks(execute=True):
        problem = services.create_problem(org=committee, source="巡视巡察", description="公文流转慢")
        a = services.add_measure(problem, measure="压缩环节", deadline=D(2023, 11, 30), leader_name="周宁")
        b = services.add_measure(problem, measure="时限提醒", deadline=D(2023, 12, 29), leader_name="周宁")
        services.add_measure(problem, measure="远期目标", deadline=D(2030, 6, 28), leader_name="周宁")
        d = services.add_measure(problem, measure="当场纠正", kind="immediate", leader_name="周宁")
        services.add_measure(problem, measure="长期坚持", kind="long_term", leader_name="周宁")
    # Due by 2024-01-31 (the campaign's end: 二.8 has no date of its own): a, b and the
    # immediate d; not the 2030 one, not the undated long-term one.
    assert state(campaign, "二.8", committee) == ("pending", 0, 3)
    on(2023, 11, 20)
    with django_capture_on_commit_callbacks(execute=True):
        complete(a)
    assert state(campaign, "二.8", committee) == ("pending", 1, 3)
    with django_capture_on_commit_callbacks(execute=True):
        complete(d)
        complete(b)
    assert state(campaign, "二.8", committee) == ("done", 3, 3)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(b, "return_for_revision", comment="佐证不足")
    assert state(campaign, "二.8", committee) == ("pending", 2, 3)
    with django_capture_on_commit_callbacks(execute=True):
        complete(Rectification.objects.get(pk=b.pk))
        services.move(Rectification.objects.get(pk=b.pk), "verify")
        services.move(Rectification.objects.get(pk=b.pk), "close")
    assert state(campaign, "二.8", committee) == ("done", 3, 3)
    assignment = Assignment.objects.get(item__plan=campaign.plan, item__ref="二.8", org=committee)
    assert [e.verb for e in events_for(assignment)] == [
        "complete_by_evidence", "lose_evidence", "complete_by_evidence"]


def test_2_10_counts_measure_months_with_a_progress_update(
        campaign, tree, on, django_capture_on_commit_callbacks):
    committee = tree["committee"]

    def tracking():
        return state(campaign, "二.10", committee)

    on(2023, 10, 10)
    with django_capture_on_commit_callbacks(execute=True):
        problem = services.create_problem(org=committee, source="巡视巡察", description="公文流转慢")
        m1 = services.add_measure(problem, measure="压缩环节", deadline=D(2023, 12, 29), leader_name="周宁")
    assert tracking() == ("pending", 0, 4)  # October to January (the campaign's end)
    on(2023, 10, 20)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_update(m1, done="已梳理环节")
    assert tracking() == ("pending", 1, 4)
    on(2023, 11, 2)
    with django_capture_on_commit_callbacks(execute=True):
        m2 = services.add_measure(problem, measure="时限提醒", deadline=D(2024, 1, 20), leader_name="周宁")
    assert tracking() == ("pending", 1, 7)  # November to January for the second
    on(2023, 11, 15)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_update(m1, done="已压缩2个环节")
        services.add_update(m2, done="已上线提醒")
        services.add_update(m2, done="再次提醒")  # two in one month: one month reported
    assert tracking() == ("pending", 3, 7)
    on(2023, 12, 12)
    with django_capture_on_commit_callbacks(execute=True):
        services.add_update(m1, done="试运行")
        services.add_update(m2, done="持续推进")
    assert tracking() == ("pending", 5, 7)
    on(2024, 1, 5)  # claimed done in January: that month's report; no months after it
    with django_capture_on_commit_callbacks(execute=True):
        complete(Rectification.objects.get(pk=m1.pk))
    assert tracking() == ("pending", 6, 7)
    on(2024, 1, 8)
    with django_capture_on_commit_callbacks(execute=True):
        complete(Rectification.objects.get(pk=m2.pk))
    assert tracking() == ("done", 7, 7)


def test_3_6_is_met_by_its_parts(campaign, tree, on, client, django_capture_on_commit_callbacks):
    from taizhang.institutions import services as institutions
    from taizhang.plans.tests.conftest import user_with_role

    branch = tree["branches"][0]
    on(2023, 12, 20)
    members = [MemberFactory(org=branch, name=name) for name in ("甲", "乙")]
    members += list(branch.members.exclude(pk__in=[m.pk for m in members]))
    with django_capture_on_commit_callbacks(execute=True):
        records.create_meeting(branch, MeetingKind.ORGANIZATIONAL_LIFE_MEETING, D(2023, 12, 18),
                               title="专题组织生活会", attendance=[])
    n = len([m for m in members if m.is_active])
    assert state(campaign, "三.6", branch) == ("pending", 1, 2 + n)
    with django_capture_on_commit_callbacks(execute=True):
        for member in members:
            evaluation.create_appraisal(org=branch, member=member, year=2023, grade="qualified",
                                        rated_on=D(2023, 12, 19))
    # Meeting and every member's appraisal recorded; the 建章立制 part is still missing.
    assert state(campaign, "三.6", branch) == ("pending", 1 + n, 2 + n)
    client.force_login(user_with_role("sec_zb01", branch, "branch_secretary"))
    assignment = Assignment.objects.get(item__plan=campaign.plan, item__ref="三.6", org=branch)
    page = client.get(reverse("plans:assignment_detail", args=[assignment.pk])).content.decode()
    assert "民主评议党员（每名党员）：" in page and f"{n}/{n}" in page
    with django_capture_on_commit_callbacks(execute=True):
        institutions.create_institution({"org": branch, "name": "支部学习制度", "date": D(2023, 12, 19),
                                         "summary": "每月固定学习日"})
    assert state(campaign, "三.6", branch) == ("done", 2 + n, 2 + n)


def test_views_move_2_7_2_8_2_10_without_a_submission(
        campaign, tree, office, client, on, django_capture_on_commit_callbacks):
    committee = tree["committee"]
    on(2023, 10, 9)
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rectification:problem_add"), {
            "org": committee.pk, "source": services.source_named("巡视巡察", create=True).pk,
            "level": "leadership", "found_on": "2023-10-08", "description": "公文流转慢"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert state(campaign, "二.7", committee) == ("done", 1, 1)
    problem = Problem.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("rectification:measure_add", args=[problem.pk]), {
            "measure": "压缩环节", "kind": "deadline", "deadline": "2023-11-30", "leader_name": "周宁"})
    assert response.status_code == 302
    rect = Rectification.objects.get()
    assert state(campaign, "二.8", committee) == ("pending", 0, 1)
    assert state(campaign, "二.10", committee) == ("pending", 0, 4)
    on(2023, 10, 20)
    client.force_login(office)  # days later: the idle session has ended
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rectification:update_add", args=[rect.pk]),
                    {"reported_on": "2023-10-20", "done": "已梳理环节"})
    assert ProgressUpdate.objects.count() == 1
    assert state(campaign, "二.10", committee) == ("pending", 1, 4)
    on(2023, 11, 10)
    client.force_login(office)  # days later: the idle session has ended
    client.force_login(office)  # a month later: the session has expired
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("rectification:measure_transition", args=[rect.pk, "complete"]),
                    {"completion_note": "已压缩2个环节", "evidence": "流程图"})
    assert Rectification.objects.get().status == "completed"
    assert state(campaign, "二.8", committee) == ("done", 1, 1)
    assert state(campaign, "二.10", committee) == ("done", 2, 2)  # October, November (claimed)
    assert not campaign.plan.items.filter(assignments__submissions__isnull=False).exists()


def test_a_ledger_import_announces_once_per_model_and_completes_2_7(
        campaign, tree, on, tmp_path, django_capture_on_commit_callbacks):
    committee = tree["committee"]
    on(2023, 10, 15)
    senders = []

    def listen(sender, **kwargs):
        senders.append((sender, len(kwargs["org_ids"])))

    evidence_changed.connect(listen, dispatch_uid="test-import-announces")
    try:
        with django_capture_on_commit_callbacks(execute=True):
            result = import_ledger(messy_ledger(tmp_path / "messy.xlsx"), committee, dry_run=True)
        assert result.ok and senders == []  # a dry run announces nothing
        with django_capture_on_commit_callbacks(execute=True):
            result = import_ledger(messy_ledger(tmp_path / "messy.xlsx"), committee)
    finally:
        evidence_changed.disconnect(dispatch_uid="test-import-announces")
    assert (result.problems_created, result.measures_created) == (3, 5)
    assert sorted(s.__name__ for s, _n in senders) == ["Problem", "ProgressUpdate", "Rectification"]
    assert state(campaign, "二.7", committee) == ("done", 1, 1)  # 3 problems ≥ 1
    # Due by 2024-01-31: four dated measures, one of them imported as closed; the undated
    # long-term one is never due.
    assert state(campaign, "二.8", committee) == ("pending", 1, 4)
    # October to January for the four open ones (16 months, one with October's progress from
    # the file), October only for the closed one (its progress is October's report).
    assert state(campaign, "二.10", committee) == ("pending", 2, 17)


def test_rule_suggestions_come_from_the_registry_declarations(db):
    from taizhang.plans.evidence import suggest_rules

    # The tracking code's keywords replace the importer's "rectification" …
    assert suggest_rules("对整改情况逐一进行跟踪反馈", "rectification") == [
        {"record_kind": "rectification_tracking", "per": "record", "min_count": 1}]
    # … but not another importer suggestion, and 二.8's wording keeps "rectification".
    assert suggest_rules("召开民主生活会，跟踪反馈", "democratic_life_meeting") == [
        {"record_kind": "democratic_life_meeting", "per": "record", "min_count": 1}]
    assert suggest_rules("细化整改措施，滚动销号", "rectification", 2) == [
        {"record_kind": "rectification", "per": "record", "min_count": 2}]
    # A registered part with its declared per, and an unregistered part found by the importer.
    assert suggest_rules("开展检视整改，开展民主评议党员，抓好建章立制", "rectification") == [
        {"record_kind": "appraisal", "per": "each_member", "min_count": 1},
        {"record_kind": "institution", "per": "record", "min_count": 1}]
    assert suggest_rules("开展民主评议党员", "appraisal") == [
        {"record_kind": "appraisal", "per": "each_member", "min_count": 1}]

"""Evidence rules on the seed: records entered once complete the branches' tasks."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.core.status import events_for
from taizhang.orgs.models import PositionRole
from taizhang.orgs.tests.factories import MemberFactory, PositionFactory
from taizhang.plans import evidence, services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, EvidencePer, Occurrence, PlanItem
from taizhang.records import services as records
from taizhang.records.models import Lecture, StudySession

D = dt.date


@pytest.fixture
def campaign(tree, seed_file):
    draft = services.draft_to_dict(parse_file(seed_file))
    campaign = services.save_draft(draft, tree["committee"])
    services.publish_plan(campaign)
    return campaign


@pytest.fixture
def branch(tree):
    return tree["branches"][0]


def occurrence(campaign, ref, org, month):
    return Occurrence.objects.get(
        assignment__item__plan=campaign.plan, assignment__item__ref=ref, assignment__org=org,
        period_start__month=month)


def study(org, day, **kw):
    return records.create_study_session(org, day, "学习党的二十大报告", attendance=[], **kw)


def rules_of(campaign, ref):
    item = PlanItem.objects.get(plan=campaign.plan, ref=ref)
    return [(r.record_kind, r.per, r.min_count) for r in item.rules.all()]


def test_rules_are_suggested_from_the_wording(campaign):
    # 三.2（2）: the title's activity, the secretary's lecture, every member's micro-lecture,
    # and 观看党员教育电视片 (film_viewing's registered keywords).
    assert rules_of(campaign, "三.2（2）") == [
        ("theme_party_day", "record", 1),
        ("lecture", "secretary", 1),
        ("micro_lecture", "each_member", 1),
        ("film_viewing", "record", 1),  # "观看党员教育电视片": the registry's keywords
    ]
    assert rules_of(campaign, "三.2（3）") == [("study_session", "record", 1)]
    assert rules_of(campaign, "三.1") == [("study_session", "record", 1)]  # 传达到每一名党员: audience
    assert rules_of(campaign, "二.1") == [("committee_meeting", "record", 1)]
    # Problems and measures (issue 9 §2): 二.8 keeps the importer's kind, 二.10's wording
    # replaces it by the tracking code, 三.6's by its parts (建章立制 still unregistered).
    assert rules_of(campaign, "二.7") == [("problem", "record", 1)]
    assert rules_of(campaign, "二.8") == [("rectification", "record", 1)]
    assert rules_of(campaign, "二.10") == [("rectification_tracking", "record", 1)]
    assert rules_of(campaign, "三.6") == [
        ("organizational_life_meeting", "record", 1),
        ("appraisal", "each_member", 1),
        ("institution", "record", 1),
    ]
    assert rules_of(campaign, "二.13") == [("organizational_life_meeting", "record", 1)]  # 安排部署
    assert evidence.suggest_rules("党支部书记每年讲两次党课", None) == [
        {"record_kind": "lecture", "per": "secretary", "min_count": 2}]
    assert evidence.suggest_rules("开展建章立制", None) == []
    # Registered keywords add the codes the importer did not suggest, once each.
    assert evidence.suggest_rules("设立党员示范岗，组建党员志愿服务队", "model_post") == [
        {"record_kind": "model_post", "per": "record", "min_count": 1},
        {"record_kind": "volunteer_activity", "per": "record", "min_count": 1}]
    assert evidence.suggest_rules("开展志愿服务", "volunteer_activity") == [
        {"record_kind": "volunteer_activity", "per": "record", "min_count": 1}]
    assert evidence.suggest_rules("普通党员结合岗位实际讲好“微党课”", "lecture") == [
        {"record_kind": "micro_lecture", "per": "each_member", "min_count": 1}]


def test_monthly_study_is_done_by_a_study_session_and_falls_back_when_deleted(
        campaign, branch, tree, django_capture_on_commit_callbacks):
    october = occurrence(campaign, "三.2（3）", branch, 10)
    assert october.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        session = study(branch, D(2023, 10, 17))
    october.refresh_from_db()
    assert (october.status, october.evidence_count, october.evidence_needed) == ("done", 1, 1)
    # Only October of this branch changed: not September, not another branch.
    assert occurrence(campaign, "三.2（3）", branch, 9).status == "pending"
    assert occurrence(campaign, "三.2（3）", tree["branches"][1], 10).status == "pending"
    assert [e.verb for e in events_for(october)] == ["complete_by_evidence"]

    with django_capture_on_commit_callbacks(execute=True):
        records.update_record(session, date=D(2023, 11, 2))  # moved to November
    october.refresh_from_db()
    assert october.status == "pending"
    assert occurrence(campaign, "三.2（3）", branch, 11).status == "done"

    with django_capture_on_commit_callbacks(execute=True):
        records.delete_record(StudySession.objects.get())
    assert occurrence(campaign, "三.2（3）", branch, 11).status == "pending"


def test_a_group_session_counts_for_its_branch(campaign, branch, tree, django_capture_on_commit_callbacks):
    group = tree["groups"][branch.code][0]
    with django_capture_on_commit_callbacks(execute=True):
        study(group, D(2023, 12, 5))
    assert occurrence(campaign, "三.2（3）", branch, 12).status == "done"


def test_secretary_lecture_and_every_members_micro_lecture(campaign, branch, django_capture_on_commit_callbacks):
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    # Only the secretary's lecture first (as an office may edit the suggested rules).
    services.set_rules(item, [{"record_kind": "lecture", "per": EvidencePer.SECRETARY}])
    secretary = PositionFactory(member=MemberFactory(org=branch, name="书记甲"), org=branch,
                                role=PositionRole.SECRETARY).member
    other = MemberFactory(org=branch, name="党员乙")
    assignment = Assignment.objects.get(item=item, org=branch)
    with django_capture_on_commit_callbacks(execute=True):
        records.create_record(Lecture, org=branch, kind="lecture", title="微党课", speaker=other,
                              audience=branch, date=D(2023, 10, 10))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count) == ("pending", 0)  # not the secretary
    with django_capture_on_commit_callbacks(execute=True):
        records.create_record(Lecture, org=branch, kind="lecture", title="专题党课", speaker=secretary,
                              audience=branch, date=D(2023, 11, 10))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count, assignment.evidence_needed) == ("done", 1, 1)

    # Now both per-person rules of the seed's wording: the secretary's lecture is there,
    # none of the 2 members gave a micro-lecture yet (the first lecture was of kind "lecture").
    services.set_rules(item, [{"record_kind": "lecture", "per": EvidencePer.SECRETARY},
                              {"record_kind": "micro_lecture", "per": EvidencePer.EACH_MEMBER}])
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count, assignment.evidence_needed) == ("pending", 1, 3)
    with django_capture_on_commit_callbacks(execute=True):
        records.create_record(Lecture, org=branch, kind="micro_lecture", title="我的岗位", speaker=other,
                              audience=branch, date=D(2023, 12, 1))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count, assignment.evidence_needed) == ("pending", 2, 3)
    with django_capture_on_commit_callbacks(execute=True):
        records.create_record(Lecture, org=branch, kind="micro_lecture", title="初心", speaker=secretary,
                              audience=branch, date=D(2024, 1, 8))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count, assignment.evidence_needed) == ("done", 3, 3)
    assert [e.verb for e in events_for(assignment)] == [
        "complete_by_evidence", "lose_evidence", "complete_by_evidence"]


def test_records_entered_before_publishing_count_at_publish(tree, seed_file, django_capture_on_commit_callbacks):
    branch = tree["branches"][1]
    with django_capture_on_commit_callbacks(execute=True):
        study(branch, D(2023, 9, 20))
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    result = services.publish_plan(campaign)
    assert result.completed_by_records >= 2  # 三.1 (传达学习, by 09-30) and 三.2（3） September
    assert occurrence(campaign, "三.2（3）", branch, 9).status == "done"
    first = Assignment.objects.get(item__plan=campaign.plan, item__ref="三.1", org=branch)
    assert first.status == "done"


def test_reevaluation_touches_only_affected_targets(campaign, branch, tree):
    session = study(branch, D(2023, 10, 17))
    targets = evidence.affected_targets(StudySession, {branch.pk}, {session.date})
    assert {(t.obj._meta.model_name, t.item.ref, t.org.pk) for t in targets} == {
        ("occurrence", "三.2（3）", branch.pk),
        # not 三.1: it is due 09-30, and a study in October is late for it
    }
    evidence.reevaluate(StudySession, {branch.pk}, {session.date})  # completes October
    with CaptureQueriesContext(connection) as small:
        evidence.reevaluate(StudySession, {branch.pk}, {session.date})
    for n in range(4, 30):  # many more branches: the re-evaluation does not grow
        from taizhang.orgs.tests.factories import BranchFactory
        BranchFactory(parent=tree["committee"], code=f"ZX{n:02d}")
    services.publish_plan(campaign)
    with CaptureQueriesContext(connection) as large:
        evidence.reevaluate(StudySession, {branch.pk}, {session.date})
    assert len(large.captured_queries) == len(small.captured_queries)


def _codes_of(target):
    return {rule.record_kind for rule in target.item.rules.all()}


def test_a_theme_party_day_re_evaluates_only_the_rules_of_its_kind(
        campaign, branch, monkeypatch, django_capture_on_commit_callbacks):
    """One 主题党日 saved announces its kind's code (core.sources.codes_matching): the
    receiver re-evaluates the tasks with a 主题党日 rule, not those of the other meeting
    kinds a Meeting can also prove (支委会, 支部党员大会, 组织生活会 …)."""
    from taizhang.records.models import Meeting, MeetingKind

    every_kind = evidence.affected_targets(Meeting, {branch.pk}, {D(2023, 10, 20)})
    assert {code for t in every_kind for code in _codes_of(t)} - {"theme_party_day"}  # others too

    evaluated = []
    real_apply = evidence.apply

    def counting_apply(targets):
        evaluated.append(list(targets))
        return real_apply(targets)

    monkeypatch.setattr(evidence, "apply", counting_apply)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = records.create_meeting(branch, MeetingKind.THEME_PARTY_DAY, D(2023, 10, 20), attendance=[])
    assert len(evaluated) == 1
    targets = evaluated[0]
    assert targets and all("theme_party_day" in _codes_of(t) for t in targets)
    assert len(targets) == len([t for t in every_kind if "theme_party_day" in _codes_of(t)])
    assert len(targets) < len(every_kind)
    assert {t.item.ref for t in targets} == {"三.2（2）"}

    # an update that changes the kind concerns the rules of both kinds
    evaluated.clear()
    with django_capture_on_commit_callbacks(execute=True):
        records.update_meeting(meeting, kind=MeetingKind.BRANCH_COMMITTEE_MEETING)
    codes = [_codes_of(t) for t in evaluated[0]]
    assert any("theme_party_day" in c for c in codes)  # the old kind's task is rechecked
    assert all(c & {"theme_party_day", "branch_committee_meeting"} for c in codes)

    # a deleted record announces the codes it satisfied
    evaluated.clear()
    with django_capture_on_commit_callbacks(execute=True):
        records.delete_record(Meeting.objects.get(pk=meeting.pk))
    assert all("branch_committee_meeting" in _codes_of(t) for t in evaluated[0])


def test_codes_for_model_narrows_to_the_changed_codes():
    from taizhang.records.models import Meeting, StudySession

    assert set(evidence.codes_for_model(Meeting, {"theme_party_day"})) == {"theme_party_day"}
    assert len(evidence.codes_for_model(Meeting)) > 5
    # 集中学习 also counts 理论学习中心组学习 (seed 二.3): a central-group study concerns both
    assert {"central_group_study", "study_session"} <= set(
        evidence.codes_for_model(Meeting, {"central_group_study"}))
    assert "study_session" in evidence.codes_for_model(StudySession, {"study_session"})


def test_a_secretary_appointed_for_later_does_not_count_yet(campaign, branch, django_capture_on_commit_callbacks):
    """One definition of a current post (orgs.models.current_posts_q): a 书记 whose post
    starts after today is not yet the one whose lecture the task asks for."""
    import datetime as dt

    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    services.set_rules(item, [{"record_kind": "lecture", "per": EvidencePer.SECRETARY}])
    later = PositionFactory(member=MemberFactory(org=branch, name="候任书记"), org=branch,
                            role=PositionRole.SECRETARY, started_on=dt.date.today() + dt.timedelta(days=30))
    assignment = Assignment.objects.get(item=item, org=branch)
    with django_capture_on_commit_callbacks(execute=True):
        records.create_record(Lecture, org=branch, kind="lecture", title="专题党课", speaker=later.member,
                              audience=branch, date=D(2023, 11, 10))
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count) == ("pending", 0)

"""Checks 12–14 (民主评议党员, domain-rules §5; PY) with exact values, on evaluation.Appraisal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from taizhang.compliance import periods as P
from taizhang.compliance.checks import excellent_findings
from taizhang.compliance.engine import Context, evaluate
from taizhang.compliance.rules import BY_ID, active_rules
from taizhang.evaluation import services
from taizhang.evaluation.models import Appraisal, Grade
from taizhang.orgs.models import MemberStatus, Organization
from taizhang.orgs.tests.factories import CommitteeFactory, MemberFactory

from .helpers import branch

pytestmark = pytest.mark.django_db

YEAR, AFTER = P.parse("2023"), dt.date(2024, 2, 1)
RULES = ["C12", "C13", "C14"]


def rate_all(people, org, excellent=0, grades=None):
    """Rate ``people`` for 2023: the first ``excellent`` 优秀, then ``grades`` (a list), rest 合格."""
    grades = list(grades or [])
    for i, member in enumerate(people):
        grade = Grade.EXCELLENT if i < excellent else (grades.pop(0) if grades else Grade.QUALIFIED)
        services.create_appraisal(org=org, member=member, year=2023, grade=grade, rated_on=dt.date(2023, 12, 20))


def messages(report, rule_id):
    return [v.message for v in report.violations if v.rule.id == rule_id]


def test_the_three_rules_are_active_and_have_a_data_source():
    active = {r.id for r in active_rules()}
    assert set(RULES) <= active
    assert all(BY_ID[r].check == "appraisal" and not BY_ID[r].note for r in RULES)


def test_every_member_needs_a_grade_for_the_year():
    org, people = branch(members=7, code="PY1")
    MemberFactory(org=org, name="新党员", joined_on=dt.date(2024, 1, 5))  # joined after 2023: not rated
    MemberFactory(org=org, name="已转出", is_active=False)  # not on the roll
    rate_all(people[:5], org)
    report = evaluate(org, YEAR, today=AFTER, rule_ids=RULES)
    assert messages(report, "C12") == ["党员PY1党员052023年度尚无民主评议等次", "党员PY1党员062023年度尚无民主评议等次"]
    assert {v.severity for v in report.violations} == {"error"}
    # While the year runs the gaps are reminders; a year not begun says nothing.
    running = evaluate(org, YEAR, today=dt.date(2023, 12, 1), rule_ids=RULES)
    assert [v.severity for v in running.violations] == ["reminder", "reminder"]
    assert evaluate(org, P.parse("2025"), today=AFTER, rule_ids=RULES).violations == []
    rate_all(people[5:], org)
    assert evaluate(org, YEAR, today=AFTER, rule_ids=RULES).violations == []


# Which committee sorts first: the member's ("after": the grading branch's committee is added
# after it in code order) or the grading branch's ("before"). Organizations are kept in code
# order (``Organization.node_order_by``), so in "before" adding the second committee renumbers
# the first one's subtree in the database, and the branch object the test holds keeps a path
# that now belongs to the *grading* branch. The helper used to draw committee codes from the
# clock, so which case a run got was chance (the test failed about 1 run in 3).
ORDERS = {"after": ("DWA", "DWB"), "before": ("DWB", "DWA")}


def stored_path(org):
    return Organization.objects.values_list("path", flat=True).get(pk=org.pk)


@pytest.mark.parametrize("order", ORDERS)
def test_a_grade_given_by_the_previous_branch_counts(order):
    first, second = ORDERS[order]
    org, people = branch(CommitteeFactory(code=first), members=3, code="PY2")
    other, _ = branch(CommitteeFactory(code=second), members=1, code="PY3")
    mover = people[0]
    rate_all(people[1:], org)
    Appraisal.objects.create(org=other, member=mover, year=2023, grade=Grade.QUALIFIED,
                             rated_on=dt.date(2023, 6, 1))  # rated elsewhere before moving in
    # The object held is stale exactly in the "before" order: its path is the other branch's now.
    assert (org.path == stored_path(other)) is (order == "before")
    report = evaluate(org, YEAR, today=AFTER, rule_ids=["C12"])
    assert messages(report, "C12") == []
    assert [row.id for row in report.rows] == [org.pk]  # the subtree checked is the branch's own
    assert Context(org, YEAR, today=AFTER).path == stored_path(org)


def moved_in(order, grade=Grade.QUALIFIED):
    """Branch PY2 (2 members of its own + the mover) and branch PY3 (1 member of its own),
    each in a committee of its own coded as ``order`` says. A member of PY3 graded ``grade`` for 2023 by PY3 (through the
    service) then moved to PY2; PY2 grades its second member only. Returns (PY2, PY2's members
    [mover, graded, not graded], PY3, PY3's own member, the mover's appraisal)."""
    first, second = ORDERS[order]
    org, people = branch(CommitteeFactory(code=first), members=2, code="PY2")
    other, (own,) = branch(CommitteeFactory(code=second), members=1, code="PY3")
    mover = MemberFactory(org=other, name="PY2调入党员", joined_on=dt.date(2010, 1, 1))
    given = services.create_appraisal(org=other, member=mover, year=2023, grade=grade, rated_on=dt.date(2023, 6, 1))
    mover.org = org
    mover.save(update_fields=["org"])
    rate_all(people[:1], org)
    return org, [mover, *people], other, own, given


@pytest.mark.parametrize("order", ORDERS)
def test_a_moved_in_member_counts_for_the_current_branch_and_the_grade_for_the_grading_one(order):
    org, (mover, graded, missing), other, own, given = moved_in(order, Grade.UNQUALIFIED)
    # The member's current branch: graded elsewhere counts; only the ungraded member is found,
    # and the 处置 of a grade given elsewhere is the grading branch's (C14 not here).
    report = evaluate(org, YEAR, today=AFTER, rule_ids=RULES)
    assert [(v.rule.id, v.org_id, v.row_id, v.member_id, v.message) for v in report.violations] == [
        ("C12", org.pk, org.pk, missing.pk, "党员PY2党员012023年度尚无民主评议等次")]
    # The grading branch: its own ungraded member (not the one who left), and the follow-up
    # missing on the grade it gave.
    report = evaluate(other, YEAR, today=AFTER, rule_ids=RULES)
    assert [(v.rule.id, v.org_id, v.member_id, v.message, v.record_url) for v in report.violations] == [
        ("C12", other.pk, own.pk, "党员PY3党员002023年度尚无民主评议等次", ""),
        ("C14", other.pk, mover.pk, "党员PY2调入党员2023年度评为不合格，缺少组织处置记录", f"/evaluation/{given.pk}/")]
    assert graded.pk not in {v.member_id for v in report.violations}


@pytest.mark.parametrize("other_code", ["PY5", "PY1"])
def test_a_move_between_branches_of_one_committee_in_either_code_order(other_code):
    """The usual move: both branches in one committee. The grading branch is added second and
    sorts after the member's branch (PY5) or before it (PY1, renumbering PY2). One evaluation
    of the committee: each gap at the member's current branch, the 优秀 ratio at the branch
    that rated."""
    committee = CommitteeFactory(code="DWM")
    org, (mover, graded, missing) = branch(committee, members=3, code="PY2")
    other, (own_missing, own_graded) = branch(committee, members=2, code=other_code)
    assert (org.path == stored_path(other)) is (other_code == "PY1")
    Appraisal.objects.create(org=other, member=mover, year=2023, grade=Grade.EXCELLENT, rated_on=dt.date(2023, 6, 1))
    rate_all([graded], org)
    rate_all([own_graded], other)
    report = evaluate(committee, YEAR, today=AFTER, rule_ids=RULES)
    assert sorted((v.rule.id, v.org_id, v.member_id or 0) for v in report.violations) == sorted([
        ("C12", org.pk, missing.pk), ("C12", other.pk, own_missing.pk), ("C13", other.pk, 0)])
    gaps = {"PY2": "党员PY2党员022023年度尚无民主评议等次", other_code: f"党员{other_code}党员002023年度尚无民主评议等次"}
    assert messages(report, "C12") == [gaps[code] for code in sorted(gaps)]  # branches in code order
    assert messages(report, "C13") == [f"{other.name}2023年度民主评议评为优秀 1 人，参评党员 2 人，超过1/3（最多 0 人）"]
    # The member's branch alone, through the object held (renumbered in the PY1 case).
    assert [(v.rule.id, v.org_id, v.member_id) for v in evaluate(org, YEAR, today=AFTER, rule_ids=RULES).violations] \
        == [("C12", org.pk, missing.pk)]


@pytest.mark.parametrize("excellent, flagged", [(2, False), (3, True)])
def test_excellent_is_at_most_a_third_of_the_members_rated(excellent, flagged):
    org, people = branch(members=7, code=f"PX{excellent}")
    rate_all(people, org, excellent=excellent)
    found = messages(evaluate(org, YEAR, today=AFTER, rule_ids=RULES), "C13")
    assert found == ([f"{org.name}2023年度民主评议评为优秀 3 人，参评党员 7 人，超过1/3（最多 2 人）"] if flagged else [])


def test_excellent_arithmetic_is_exact_and_the_threshold_a_setting(settings):
    assert excellent_findings(9, 3) == [] and excellent_findings(6, 2) == []
    assert excellent_findings(6, 3) == ["评为优秀 3 人，参评党员 6 人，超过1/3（最多 2 人）"]
    assert excellent_findings(0, 0) == []
    org, people = branch(members=7, code="PY4")
    rate_all(people, org, excellent=2)
    settings.TAIZHANG_COMPLIANCE = {"EXCELLENT_MAX_FRACTION": "1/4"}
    assert messages(evaluate(org, YEAR, today=AFTER, rule_ids=["C13"]), "C13") == [
        f"{org.name}2023年度民主评议评为优秀 2 人，参评党员 7 人，超过1/4（最多 1 人）"]


def test_a_probationary_member_rated_excellent_is_refused_and_flagged_if_present():
    org, people = branch(members=7, probationary=1, code="PY5")
    probationary = people[-1]
    assert probationary.status == MemberStatus.PROBATIONARY
    with pytest.raises(ValidationError):
        services.create_appraisal(org=org, member=probationary, year=2023, grade=Grade.EXCELLENT,
                                  rated_on=dt.date(2023, 12, 20))
    rate_all(people[:-1], org, excellent=1)
    # Data written around the service (an old import, a member made probationary again …).
    bad = Appraisal.objects.create(org=org, member=probationary, year=2023, grade=Grade.EXCELLENT,
                                   rated_on=dt.date(2023, 12, 20))
    report = evaluate(org, YEAR, today=AFTER, rule_ids=RULES)
    assert messages(report, "C13") == ["预备党员PY5党员062023年度被评为优秀，预备党员不评优秀"]
    (violation,) = [v for v in report.violations if v.rule.id == "C13"]
    assert violation.member_id == probationary.pk and violation.record_url == f"/evaluation/{bad.pk}/"
    assert messages(report, "C12") == []


def test_basically_qualified_and_unqualified_need_a_follow_up():
    org, people = branch(members=7, code="PY6")
    rate_all(people, org, grades=[Grade.BASICALLY_QUALIFIED, Grade.UNQUALIFIED, Grade.BASICALLY_QUALIFIED])
    Appraisal.objects.filter(member=people[2]).update(follow_up="已结对帮助，季度跟踪")
    report = evaluate(org, YEAR, today=AFTER, rule_ids=RULES)
    assert messages(report, "C14") == ["党员PY6党员002023年度评为基本合格，缺少改进情况记录",
                                       "党员PY6党员012023年度评为不合格，缺少组织处置记录"]
    assert {v.severity for v in report.violations} == {"warning"}
    Appraisal.objects.filter(member=people[0]).update(follow_up="   ")
    Appraisal.objects.filter(member=people[1]).update(follow_up="限期改正")
    assert messages(evaluate(org, YEAR, today=AFTER, rule_ids=RULES), "C14") == [
        "党员PY6党员002023年度评为基本合格，缺少改进情况记录"]


def test_sample_data_flags_exactly_the_deliberate_gap(sample):
    from taizhang.evaluation.sample import load_sample_appraisals

    load_sample_appraisals(sample["committee"])
    report = evaluate(sample["committee"], YEAR, today=AFTER, rule_ids=RULES)
    assert {(v.rule.id, sample_code(sample, v.org_id)) for v in report.violations} == {("C12", "ZB04")}
    assert len(report.violations) == 2


def sample_code(sample, org_id):
    return next(b.code for b in sample["branches"].values() if b.pk == org_id)

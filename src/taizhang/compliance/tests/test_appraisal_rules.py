"""Checks 12–14 (民主评议党员, domain-rules §5; PY) with exact values, on evaluation.Appraisal."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from taizhang.compliance import periods as P
from taizhang.compliance.checks import excellent_findings
from taizhang.compliance.engine import evaluate
from taizhang.compliance.rules import BY_ID, active_rules
from taizhang.evaluation import services
from taizhang.evaluation.models import Appraisal, Grade
from taizhang.orgs.models import MemberStatus
from taizhang.orgs.tests.factories import MemberFactory

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

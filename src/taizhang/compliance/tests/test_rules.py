"""Each rule with exact values (issue 5 §3), and the rules-as-data contract."""

import datetime as dt

import pytest

from taizhang.compliance import checks, conf, engine, rules
from taizhang.compliance import periods as P
from taizhang.compliance.engine import evaluate
from taizhang.compliance.services import record_findings
from taizhang.records.models import MeetingKind, Talk
from taizhang.records import services as records

from .helpers import branch, meeting

pytestmark = pytest.mark.django_db

AFTER_Q1 = dt.date(2024, 4, 10)


def found(report, rule_id):
    return [v for v in report.violations if v.rule.id == rule_id]


# --- check 5: 支委会 monthly ------------------------------------------------------------------

def test_branch_of_7_with_committee_meetings_in_january_and_march_is_reported_for_february_only():
    org, people = branch(members=7)
    meeting(org, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2024, 1, 10), present=people[:1])
    meeting(org, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2024, 3, 12), present=people[:1])
    report = evaluate(org, P.parse("2024-Q1"), today=AFTER_Q1)
    missing = found(report, "C05")
    assert [(v.period.key, v.org_id, v.severity) for v in missing] == [("2024-02", org.pk, "error")]
    assert missing[0].message == f"2024年2月{org.name}支委会 0 次，应不少于 1 次"
    cells = {c.period.key: c.status for c in report.cells if c.rule.id == "C05"}
    assert cells == {"2024-01": "met", "2024-02": "missing", "2024-03": "met"}


def test_a_branch_of_6_full_members_needs_no_committee_meeting():
    org, _people = branch(members=6)
    assert found(evaluate(org, P.parse("2024-Q1"), today=AFTER_Q1), "C05") == []


def test_the_current_month_is_due_not_missing_and_later_months_are_future():
    org, _people = branch(members=7)
    report = evaluate(org, P.parse("2024"), today=dt.date(2024, 2, 15))
    cells = {c.period.key: c.status for c in report.cells if c.rule.id == "C05"}
    assert cells["2024-01"] == "missing" and cells["2024-02"] == "due" and cells["2024-03"] == "future"
    assert [v.period.key for v in found(report, "C05")] == ["2024-01"]


# --- quarter and month boundaries in Asia/Shanghai ---------------------------------------------

def test_periods_of_an_instant_use_the_shanghai_calendar():
    utc = dt.timezone.utc
    # 2024-03-31 16:30 UTC is 2024-04-01 00:30 in Beijing: second quarter, April.
    assert P.period_of(dt.datetime(2024, 3, 31, 16, 30, tzinfo=utc), P.QUARTER).key == "2024-Q2"
    assert P.period_of(dt.datetime(2024, 3, 31, 16, 30, tzinfo=utc), P.MONTH).key == "2024-04"
    # 15:59 UTC is still 23:59 on 31 March in Beijing.
    assert P.period_of(dt.datetime(2024, 3, 31, 15, 59, tzinfo=utc), P.QUARTER).key == "2024-Q1"
    assert P.period_of(dt.datetime(2023, 12, 31, 16, 0, tzinfo=utc), P.YEAR).key == "2024"
    q4 = P.parse("2023-Q4")
    assert (q4.start, q4.end) == (dt.date(2023, 10, 1), dt.date(2023, 12, 31))
    assert [p.key for p in q4.split(P.MONTH)] == ["2023-10", "2023-11", "2023-12"]
    assert P.parse("2024-02").end == dt.date(2024, 2, 29)


def test_meetings_on_the_last_and_first_day_count_for_their_own_quarter():
    org, people = branch(members=5)
    meeting(org, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2024, 3, 31), present=people)
    meeting(org, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2024, 7, 1), present=people)
    report = evaluate(org, P.parse("2024"), today=dt.date(2025, 1, 5))
    cells = {c.period.key: (c.status, c.count) for c in report.cells if c.rule.id == "C07"}
    assert cells == {"2024-Q1": ("met", 1), "2024-Q2": ("missing", 0), "2024-Q3": ("met", 1),
                     "2024-Q4": ("missing", 0)}


def test_today_is_the_shanghai_date(time_machine):
    org, _people = branch(members=7)
    # 2024-01-31 16:30 UTC = 1 February 00:30 in Beijing: January is over, so it is missing.
    time_machine.move_to(dt.datetime(2024, 1, 31, 16, 30, tzinfo=dt.timezone.utc), tick=False)
    assert P.today() == dt.date(2024, 2, 1)
    assert [v.period.key for v in found(evaluate(org, P.parse("2024-01")), "C05")] == ["2024-01"]
    # 15:30 UTC = 23:30 on 31 January: January is still due, not a violation.
    time_machine.move_to(dt.datetime(2024, 1, 31, 15, 30, tzinfo=dt.timezone.utc), tick=False)
    assert found(evaluate(org, P.parse("2024-01")), "C05") == []


# --- check 16: 支委会 quorum -------------------------------------------------------------------

def test_committee_meeting_with_2_of_5_committee_members_present_fails_quorum():
    org, people = branch(members=9, posts=5)
    m = meeting(org, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2024, 1, 10), present=people[:2],
                absent=people[2:5])
    report = evaluate(org, P.parse("2024-01"), today=AFTER_Q1)
    assert [v.message for v in found(report, "C16")] == ["2024-01-10 支委会：到会委员 2 人，应到 5 人，未超过半数"]
    assert found(report, "C16")[0].record_url == m.get_absolute_url()
    assert checks.quorum_findings(2, 5) and not checks.quorum_findings(3, 5)
    assert [f.rule.id for f in record_findings(m)] == ["C16"]


def test_committee_quorum_counts_only_committee_members_present():
    org, people = branch(members=9, posts=5)
    # 2 committee members + 4 ordinary members present: still 2 of 5 committee members.
    meeting(org, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2024, 1, 10), present=people[:2] + people[5:9],
            absent=people[2:5])
    assert len(found(evaluate(org, P.parse("2024-01"), today=AFTER_Q1), "C16")) == 1


# --- check 17: 党员大会 vote ------------------------------------------------------------------

def test_motion_with_4_yes_of_9_voting_members_who_should_attend_fails_even_if_all_present_voted_yes():
    org, people = branch(members=9)
    m = meeting(org, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2024, 2, 20), present=people[:4],
                absent=people[4:], motions=[{"title": "接收张三为预备党员", "yes": 4, "no": 0, "abstain": 0,
                                             "declared_passed": True}])
    assert m.attendance_counts()["voting_expected"] == 9 and m.attendance_counts()["voting_present"] == 4
    messages = [v.message for v in found(evaluate(org, P.parse("2024-02"), today=AFTER_Q1), "C17")]
    assert messages == [
        "2024-02-20 支部党员大会：到会有表决权的党员 4 人，应到 9 人，未超过半数",
        "2024-02-20 支部党员大会：表决事项“接收张三为预备党员”赞成 4 票，应到会有表决权党员 9 人，赞成票未超过半数，不能通过，但会议宣布通过",
    ]
    # The pure arithmetic: 4 of 9 fails, 5 of 9 passes; half of those present never counts.
    assert checks.vote_findings([{"title": "x", "yes": 4}], 9)
    assert not checks.vote_findings([{"title": "x", "yes": 5}], 9)


def test_probationary_members_do_not_count_as_voting_members():
    org, people = branch(members=10, probationary=1)  # 9 voting, 1 预备党员
    m = meeting(org, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2024, 2, 20), present=people,
                motions=[{"title": "审议工作计划", "yes": 5}])
    assert m.attendance_counts()["voting_expected"] == 9
    assert found(evaluate(org, P.parse("2024-02"), today=AFTER_Q1), "C17") == []


# --- check 18: elections ----------------------------------------------------------------------

def test_election_needs_four_fifths_present_and_winners_more_than_half_of_those_present():
    assert checks.election_findings([], 10, 8) == ["选举时到会有选举权党员 8 人，应到 10 人，未超过五分之四"]
    assert checks.election_findings([], 10, 9) == []
    winners = [{"post": "支部委员", "name": "李四", "yes": 4, "elected": True}]
    assert checks.election_findings(winners, 10, 9) == [
        "支部委员 李四 得票 4，未超过实到会有选举权党员 9 人的半数，不应当选"]
    assert checks.election_findings([{**winners[0], "yes": 5}], 10, 9) == []


# --- check 19: completeness -------------------------------------------------------------------

def test_present_plus_absent_not_equal_to_expected_is_flagged():
    facts = {"start_time": dt.time(9), "place": "会议室", "host_id": 1, "recorder_id": 2,
             "expected": 10, "present": 7, "absent": 2, "missing_reason": 0}
    assert checks.completeness_findings(facts) == ["实到 7 + 缺席 2 ≠ 应到 10"]
    assert checks.completeness_findings({**facts, "absent": 3}) == []


def test_incomplete_meeting_record_lists_what_is_missing():
    org, people = branch(members=5)
    m = meeting(org, MeetingKind.THEME_PARTY_DAY, dt.date(2024, 1, 20), present=people[:3], complete=False,
                absent=[(people[3], "absent", ""), (people[4], "leave", "病假")])
    messages = [v.message for v in found(evaluate(org, P.parse("2024-01"), today=AFTER_Q1), "C19")]
    assert messages == ["2024-01-20 主题党日：未填写：开始时间、地点、主持人、记录人；1 名缺席或请假人员未填写原因"]
    empty = records.create_meeting(org, MeetingKind.THEME_PARTY_DAY, dt.date(2024, 1, 21), attendance=[])
    assert "未登记应到人数（出席情况）" in [f.message for f in record_findings(empty)]
    assert {f.rule.id for f in record_findings(m)} == {"C19"}


def test_record_findings_are_safe_for_any_object():
    assert record_findings(None) == []
    assert record_findings("text") == []
    org, _people = branch(members=3)
    assert record_findings(org) == []


# --- checks 1–4: structure --------------------------------------------------------------------

def test_structure_of_branches():
    org, _people = branch(members=7, posts=0)
    report = evaluate(org, P.parse("2024-01"), today=AFTER_Q1)
    assert [v.message for v in found(report, "C03")] == [
        f"{org.name}正式党员 7 人，应设支部委员会（3至5人），现有委员 0 人"]
    small, _ = branch(members=2, posts=1)
    assert [v.message for v in found(evaluate(small, P.parse("2024-01"), today=AFTER_Q1), "C01b")] == [
        f"{small.name}正式党员 2 人，不足 3 人，应成立联合党支部"]
    big, _ = branch(members=51, posts=5)
    assert len(found(evaluate(big, P.parse("2024-01"), today=AFTER_Q1), "C02")) == 1


def test_committee_roles_and_secretary_of_a_small_branch():
    org, _ = branch(members=8, posts=3)  # 书记, 组织委员, 宣传委员: no 纪检委员
    assert [(v.message, v.severity) for v in found(evaluate(org, P.parse("2024-01"), today=AFTER_Q1), "C03")] == [
        (f"{org.name}支部委员会缺少：纪检委员", "warning")]
    small, _ = branch(members=5, posts=0)
    assert [v.message for v in found(evaluate(small, P.parse("2024-01"), today=AFTER_Q1), "C03")] == [
        f"{small.name}正式党员 5 人，未设书记"]


def test_term_expiry_warns_90_days_before_and_flags_when_overdue():
    org, _ = branch(members=7, posts=4, committee_elected_on=dt.date(2021, 3, 10))
    warn = found(evaluate(org, P.parse("2024-01"), today=dt.date(2024, 1, 5)), "C04")
    assert [(v.severity, v.message) for v in warn] == [
        ("warning", f"{org.name}本届委员会将于 2024-03-10 任期届满（还有 65 天），请准备换届")]
    over = found(evaluate(org, P.parse("2024-04"), today=dt.date(2024, 4, 20)), "C04")
    assert [(v.severity, v.message) for v in over] == [
        ("error", f"{org.name}本届委员会 2021-03-10 选举，任期 3 年，已于 2024-03-10 届满（超期 41 天），应按期换届")]


# --- checks 6–9, 11, 15, 20 ------------------------------------------------------------------

def test_group_meeting_monthly_for_each_group_with_members():
    from taizhang.orgs.tests.factories import GroupFactory

    org, people = branch(members=4)
    group = GroupFactory(parent=org, name="第一党小组")
    for p in people[:2]:
        p.group = group
        p.save()
    meeting(group, MeetingKind.GROUP_MEETING, dt.date(2024, 1, 15), present=people[:2])
    report = evaluate(org, P.parse("2024-Q1"), today=AFTER_Q1)
    assert [(v.period.key, v.org_id, v.row_id) for v in found(report, "C06")] == [
        ("2024-02", group.pk, org.pk), ("2024-03", group.pk, org.pk)]
    assert found(report, "C06")[0].message == f"2024年2月{org.name}第一党小组党小组会 0 次，应不少于 1 次"


def test_lecture_counts_a_lecture_meeting_or_a_lecture_record():
    from taizhang.records.models import Lecture

    org, people = branch(members=4)
    meeting(org, MeetingKind.PARTY_LECTURE, dt.date(2024, 2, 1), present=people)
    records.create_record(Lecture, org=org, audience=org, speaker=people[0], title="党课", date=dt.date(2024, 5, 1))
    report = evaluate(org, P.parse("2024-H1" if False else "2024"), today=dt.date(2025, 1, 2))
    cells = {c.period.key: c.status for c in report.cells if c.rule.id == "C08"}
    assert cells == {"2024-Q1": "met", "2024-Q2": "met", "2024-Q3": "missing", "2024-Q4": "missing"}


def test_settings_change_a_threshold(settings):
    org, people = branch(members=4)
    meeting(org, MeetingKind.PARTY_LECTURE, dt.date(2024, 2, 1), present=people)
    settings.TAIZHANG_COMPLIANCE = {"LECTURES_PER_QUARTER": 2}
    assert conf.get("LECTURES_PER_QUARTER") == 2
    assert [v.message for v in found(evaluate(org, P.parse("2024-Q1"), today=AFTER_Q1), "C08")] == [
        f"2024年第一季度{org.name}党课 1 次，应不少于 2 次"]


def test_org_life_meeting_warns_from_1_december_and_fails_after_the_year():
    org, people = branch(members=4)
    assert found(evaluate(org, P.parse("2024"), today=dt.date(2024, 11, 30)), "C11") == []
    assert [v.severity for v in found(evaluate(org, P.parse("2024"), today=dt.date(2024, 12, 1)), "C11")] == ["warning"]
    assert [v.severity for v in found(evaluate(org, P.parse("2024"), today=dt.date(2025, 1, 1)), "C11")] == ["error"]
    meeting(org, MeetingKind.ORGANIZATIONAL_LIFE_MEETING, dt.date(2024, 12, 20), present=people)
    messages = [v.message for v in found(evaluate(org, P.parse("2024"), today=dt.date(2025, 1, 1)), "C11")]
    assert messages == ["2024-12-20 组织生活会缺少会前谈心谈话记录、会后整改清单（问题清单中来源为本次会议的问题）"]


def test_talk_coverage_lists_missing_pairs_and_members():
    org, people = branch(members=5, posts=3)  # committee: 00, 01, 02; members 03, 04
    a, b, c, d, e = people
    for x, y in ((a, b), (b, c), (a, d)):
        records.create_record(Talk, org=org, party_a=x, party_b=y, date=dt.date(2024, 6, 1))
    report = evaluate(org, P.parse("2024"), today=dt.date(2025, 1, 2))
    assert sorted(v.message for v in found(report, "C15")) == sorted([
        f"支委{a.name}与{c.name}2024年未开展谈心谈话", f"党员{e.name}2024年未与支委开展谈心谈话"])
    during = evaluate(org, P.parse("2024"), today=dt.date(2024, 7, 1))
    assert {v.severity for v in found(during, "C15")} == {"reminder"}


def test_member_without_organizational_life_for_6_months_is_flagged():
    org, people = branch(members=3)
    a, b, c = people
    meeting(org, MeetingKind.THEME_PARTY_DAY, dt.date(2024, 3, 20), present=[a], absent=[(b, "leave", "病假"),
                                                                                       (c, "absent", "")])
    report = evaluate(org, P.parse("2024-06"), today=dt.date(2024, 7, 5))
    assert [v.member_name for v in found(report, "C20")] == [c.name]
    assert found(report, "C20")[0].message == f"党员{c.name}自 2024-01-01 至 2024-06-30 未参加组织生活，也无请假原因记录，请书记了解情况"


# --- checks 24–26: rectification --------------------------------------------------------------

def test_rectification_links_deadlines_and_close_out():
    from taizhang.rectification.models import Problem, ProblemSource, Rectification

    org, _ = branch(members=3)
    source = ProblemSource.objects.create(name="调研")
    bare = Problem.objects.create(org=org, source=source, description="没有措施的问题")
    problem = Problem.objects.create(org=org, source=source, description="有措施的问题")
    today = dt.date.today()
    overdue = Rectification.objects.create(org=org, problem=problem, measure="措施一", leader_name="王",
                                           department="办公室", person="李", deadline=today - dt.timedelta(days=3))
    soon = Rectification.objects.create(org=org, problem=problem, measure="措施二", leader_name="王",
                                        department="办公室", person="李", deadline=today + dt.timedelta(days=30))
    closed = Rectification.objects.create(org=org, problem=problem, measure="措施三", status="closed")
    report = evaluate(org, P.period_of(today, P.MONTH), today=today)
    assert [v.record_url for v in found(report, "C24") if "尚无整改措施" in v.message] == [bare.get_absolute_url()]
    assert [v.message for v in found(report, "C24") if v.record_url == closed.get_absolute_url()] == [
        "整改措施未明确：责任领导、责任部门、责任人、整改时限"]
    reds = [v for v in found(report, "C25") if v.severity == "error"]
    assert [v.record_url for v in reds] == [overdue.get_absolute_url()]
    assert soon.get_absolute_url() not in [v.record_url for v in found(report, "C25")]
    assert sorted(v.message for v in found(report, "C26")) == [
        "已销号但没有任何整改进展记录，请核查", "已销号但缺少：完成情况、佐证材料、审核人核验"]


# --- rules as data ----------------------------------------------------------------------------

def test_every_rule_is_declared_with_source_scope_period_severity_and_a_known_check():
    from taizhang.compliance.checks import CHECKS

    assert len({r.id for r in rules.RULES}) == len(rules.RULES)
    numbers = {int(r.id[1:3]) for r in rules.RULES}
    assert numbers == set(range(1, 21)) | {24, 25, 26}
    for rule in rules.RULES:
        assert rule.title and rule.source and rule.tag in "CSU"
        assert rule.scope in rules.SCOPE_LABELS and rule.period in rules.PERIOD_LABELS
        assert rule.severity in rules.SEVERITY_LABELS and rule.check in CHECKS
        for value in rule.params.values():
            if isinstance(value, rules.S):
                assert value.name in conf.SETTINGS
    for name in ("LECTURES_PER_QUARTER", "INACTIVE_MONTHS", "BRANCH_SECRETARY_LECTURE", "TERM_WARN_DAYS"):
        assert conf.SETTINGS[name].tag in "SU"


def test_a_new_rule_of_an_existing_type_is_only_a_declaration(monkeypatch):
    org, people = branch(members=4)
    meeting(org, MeetingKind.THEME_PARTY_DAY, dt.date(2024, 1, 20), present=people)
    twice = rules.Rule("X01", "每月至少两次主题党日（示例）", "示例", "S", "branch", P.MONTH, rules.WARNING,
                       "frequency", {"sources": (("meeting", "theme_party_day"),), "min_count": 2})
    monkeypatch.setattr(rules, "RULES", rules.RULES + (twice,))
    monkeypatch.setattr(engine, "active_rules", lambda: [twice])
    report = evaluate(org, P.parse("2024-01"), today=AFTER_Q1)
    assert [v.message for v in report.violations] == [f"2024年1月{org.name}主题党日 1 次，应不少于 2 次"]


def test_branch_secretary_lecture_rule_is_off_by_default_and_switched_on_by_a_setting(settings):
    assert not rules.BY_ID["C10b"].enabled
    settings.TAIZHANG_COMPLIANCE = {"BRANCH_SECRETARY_LECTURE": True}
    assert rules.BY_ID["C10b"].enabled
    org, _ = branch(members=4, posts=1)
    messages = [v.message for v in found(evaluate(org, P.parse("2024"), today=dt.date(2025, 1, 2)), "C10b")]
    assert messages == [f"{org.name}书记{org.code}党员002024年讲党课 0 次，应不少于 1 次"]

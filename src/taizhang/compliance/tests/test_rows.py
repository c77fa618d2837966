"""The evaluation's facts read as cursor tuples (:mod:`taizhang.compliance.sqlrows`, issue 14)
hold exactly what the ORM reads, and the shortcuts of a period that is over (month counts and
check 20's branches taken from the meetings already read) give what their queries give."""

import datetime as dt
import pickle

import pytest
from django.db.models import Count, F, Min

from taizhang.compliance import periods as P
from taizhang.compliance import store
from taizhang.compliance.engine import Context, MonthKey, _as_date, evaluate
from taizhang.compliance.sqlrows import day, time_of
from taizhang.orgs.models import Member
from taizhang.records.models import Attendance, Meeting, Talk

from .helpers import meeting

pytestmark = pytest.mark.django_db

TODAY = dt.date(2024, 3, 1)  # the sample's 2023 is over


def test_loaders_read_what_the_orm_reads(sample):
    committee = sample["committee"]
    period = P.parse("2023")
    ctx = Context(committee, period, TODAY)
    members = {r["id"]: r for r in Member.objects.filter(org__path__startswith=ctx.path, is_active=True)
               .values("id", "name", "org_id", "group_id", "status", "joined_on")}
    assert ctx.members == members and list(ctx.members) == list(members)
    assert any(m["joined_on"] for m in members.values())
    meetings = list(Meeting.objects.filter(org__path__startswith=ctx.path, date__range=(period.start, ctx.as_of))
                    .values("id", "org_id", "kind", "date", "title", "start_time", "place", "host_id", "recorder_id",
                            n_expected=F("att_expected"), n_present=F("att_present"), n_leave=F("att_leave"),
                            n_voting_expected=F("att_voting_expected"), n_voting_present=F("att_voting_present"),
                            n_missing_reason=F("att_missing_reason")).order_by("date", "id"))
    assert len(meetings) > 20 and ctx.meetings == meetings
    assert all(isinstance(m["date"], dt.date) for m in ctx.meetings)
    assert {type(m["start_time"]) for m in ctx.meetings} <= {dt.time, type(None)}
    talks = list(Talk.objects.filter(org__path__startswith=ctx.path, date__range=(period.start, period.end))
                 .values("org_id", "party_a_id", "party_b_id", "date", "purpose"))
    key = lambda t: (t["date"], t["org_id"], t["party_a_id"], t["party_b_id"], t["purpose"])  # noqa: E731
    assert talks and sorted(ctx.talks, key=key) == sorted(talks, key=key)
    present = {}
    for meeting_id, member_id in (Attendance.objects.filter(
            meeting__org__path__startswith=ctx.path, meeting__kind="branch_committee_meeting", status="present",
            meeting__date__range=(period.start, ctx.as_of)).values_list("meeting_id", "member_id")):
        present.setdefault(meeting_id, []).append(member_id)
    assert present and {k: sorted(v) for k, v in ctx.committee_present.items()} == {
        k: sorted(v) for k, v in present.items()}


def test_month_counts_of_a_period_over_come_from_the_meetings_read(sample):
    committee = sample["committee"]
    period = P.parse("2023")
    zb01 = sample["branches"]["ZB01"]
    for date in (dt.date(2023, 10, 25), dt.date(2023, 10, 27)):  # three 主题党日 in October
        meeting(zb01, "theme_party_day", date)
    grouped = {(r["org_id"], r["kind"], _as_date(r["month"])): (r["n"], r["first"]) for r in (
        Meeting.objects.filter(org__path__startswith=committee.path, date__range=(period.start, period.end))
        .annotate(month=MonthKey("date")).values("org_id", "kind", "month")
        .annotate(n=Count("id"), first=Min("id")).order_by())}
    october = grouped[(zb01.pk, "theme_party_day", dt.date(2023, 10, 1))]
    assert october == (3, Meeting.objects.filter(org=zb01, kind="theme_party_day", date__month=10).order_by("id")
                       .values_list("id", flat=True).first())
    by_query = Context(committee, period, TODAY)
    assert by_query.meeting_counts == grouped
    from_rows = Context(committee, period, TODAY)
    from_rows.reads_meetings = True
    assert from_rows.meeting_counts == grouped
    # a period still running: the GROUP BY (meetings dated after today count for the month)
    running = Context(committee, period, dt.date(2023, 11, 15))
    running.reads_meetings = True
    assert running.meeting_counts == grouped


def test_a_year_over_gives_the_same_findings_with_and_without_the_shortcuts(sample):
    """Check 20's branches holding meetings and the month counts, from the meetings read or
    from their own queries: the same findings."""
    committee = sample["committee"]
    period = P.parse("2023")
    report = evaluate(committee, period, TODAY)
    alone = {rule_id: evaluate(committee, period, TODAY, rule_ids=[rule_id]).violations
             for rule_id in ("C05", "C06", "C07", "C09", "C20")}  # no meeting check: the queries
    for rule_id, violations in alone.items():
        assert [v for v in report.violations if v.rule.id == rule_id] == violations
    assert alone["C05"] and alone["C09"]


def test_kept_rows_of_the_earlier_format_are_read():
    rows = {"C05": (["v"], ["c"])}
    from taizhang.compliance.rules import rule_by_id
    from taizhang.compliance.findings import Cell, Violation

    rule = rule_by_id("C05")
    month = P.parse("2023-10")
    v = Violation(rule, 1, 1, "消息", period=month)
    c = Cell(rule, 1, month, 0, 1, "missing", "", "branch_committee_meeting")
    rows = {"C05": ([v], [c])}
    old = pickle.dumps(rows, protocol=pickle.HIGHEST_PROTOCOL)
    for data in (old, store._dumps(rows)):
        back = store._loads(data)
        assert back == rows
        assert type(back["C05"][0][0]) is Violation and type(back["C05"][1][0]) is Cell
        assert back["C05"][0][0].rule is rule and back["C05"][1][0].status == "missing"


def test_day_and_time_read_text_and_values():
    assert day("2023-10-05") == dt.date(2023, 10, 5)
    assert day(dt.date(2023, 10, 5)) == dt.date(2023, 10, 5)
    assert day(None) is None
    assert time_of("15:00:00") == dt.time(15, 0)
    assert time_of("08:30") == dt.time(8, 30)
    assert time_of(dt.time(9, 0)) == dt.time(9, 0)
    assert time_of(None) is None and time_of("") is None


def test_fetch_of_an_empty_in_list_is_no_rows_without_a_query(django_assert_num_queries):
    from taizhang.compliance.sqlrows import fetch

    with django_assert_num_queries(0):
        assert fetch(Member.objects.filter(pk__in=[]).values_list("id")) == []

"""Evaluating every rule for a year costs the same number of queries for 2 or 6 branches
(CONTRIBUTING: constant queries, asserted at two data sizes)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.compliance import periods as P
from taizhang.compliance.engine import evaluate
from taizhang.compliance.services import still_needed
from taizhang.orgs.tests.factories import CommitteeFactory, GroupFactory, PositionFactory
from taizhang.records import services as records
from taizhang.records.models import Lecture, MeetingKind, Talk
from taizhang.rectification.models import Problem, ProblemSource, Rectification

from .helpers import branch, meeting

pytestmark = pytest.mark.django_db


def populate(committee, n_branches: int, start: int):
    source, _ = ProblemSource.objects.get_or_create(name="调研")
    for i in range(n_branches):
        org, people = branch(committee, members=8, posts=4, code=f"Q{start + i:03d}",
                             committee_elected_on=dt.date(2021, 5, 1))
        group = GroupFactory(parent=org, code=f"Q{start + i:03d}-1")
        for p in people[:4]:
            p.group = group
            p.save()
        for month in (1, 2, 4, 5):
            meeting(org, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2023, month, 8), present=people[:2],
                    absent=people[2:4])
            meeting(org, MeetingKind.THEME_PARTY_DAY, dt.date(2023, month, 20), present=people[:7],
                    absent=[(people[7], "absent", "")])
            meeting(group, MeetingKind.GROUP_MEETING, dt.date(2023, month, 14), present=people[:4], complete=False)
        meeting(org, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 3, 25), present=people[:5],
                absent=people[5:], motions=[{"title": "审议", "yes": 4}])
        records.create_record(Lecture, org=org, audience=org, speaker=people[0], title="党课", date=dt.date(2023, 6, 1))
        records.create_record(Talk, org=org, party_a=people[0], party_b=people[5], date=dt.date(2023, 6, 2))
        problem = Problem.objects.create(org=org, source=source, description="问题", found_on=dt.date(2023, 6, 1))
        Rectification.objects.create(org=org, problem=problem, measure="措施", deadline=dt.date(2023, 6, 30))
        Problem.objects.create(org=org, source=source, description="无措施", found_on=dt.date(2023, 6, 1))
        Rectification.objects.create(org=org, problem=problem, measure="已销号", status="closed",
                                     closed_on=dt.date(2023, 7, 1))


def count_queries(fn):
    with CaptureQueriesContext(connection) as ctx:
        result = fn()
    return len(ctx.captured_queries), result


def test_year_evaluation_queries_do_not_depend_on_the_number_of_branches():
    committee = CommitteeFactory(code="QDW")
    PositionFactory(member=branch(committee, members=1, code="Q999")[1][0], org=committee, role="secretary")
    populate(committee, 2, 0)
    period, today = P.parse("2023"), dt.date(2024, 1, 10)
    evaluate(committee, period, today)  # warm caches (content types)
    small, report_small = count_queries(lambda: evaluate(committee, period, today))
    populate(committee, 4, 10)
    large, report_large = count_queries(lambda: evaluate(committee, period, today))
    assert small == large
    assert small <= 21  # 20, and the leadership teams read once for checks 21–23 (democratic)
    # The larger tree really has more findings: the queries are not constant by doing less.
    assert len(report_large.violations) > len(report_small.violations)
    assert {"C05", "C06", "C07", "C09", "C11", "C15", "C16", "C17", "C19", "C24", "C25", "C26", "C10"} <= {
        v.rule.id for v in report_large.violations}
    n1, _ = count_queries(lambda: still_needed(committee, dt.date(2023, 6, 20)))
    populate(committee, 2, 20)
    n2, _ = count_queries(lambda: still_needed(committee, dt.date(2023, 6, 20)))
    assert n1 == n2 <= 6


def test_the_root_is_read_with_the_tree_and_a_stale_path_costs_one_query_more():
    """Context reads the root's stored path with the subtree (no extra query); only a root
    object whose path was renumbered since it was loaded (a committee added before it in code
    order) costs a second query, and the subtree is the root's own either way."""
    from taizhang.compliance.engine import Context
    from taizhang.orgs.models import Organization

    held, _ = branch(CommitteeFactory(code="QDWB"), members=1, code="Q100")
    fresh = Context(held, P.parse("2023"))
    n, orgs = count_queries(lambda: fresh.orgs)
    assert (n, list(orgs)) == (1, [held.pk])
    other, _ = branch(CommitteeFactory(code="QDWA"), members=1, code="Q101")  # sorts first: renumbers ``held``
    stored = Organization.objects.values_list("path", flat=True).get(pk=held.pk)
    assert held.path != stored and held.path == other.path
    stale = Context(held, P.parse("2023"))
    n, orgs = count_queries(lambda: stale.orgs)
    assert (n, list(orgs), stale.path) == (2, [held.pk], stored)

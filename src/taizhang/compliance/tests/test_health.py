"""Health per row in one pass over the findings, and the committee view's queries not
growing with the tree (issue 14: a city's overview scanned every finding once per row and
reversed a URL per finding)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.compliance import periods as P
from taizhang.compliance import store
from taizhang.compliance.engine import Report, Violation, evaluate
from taizhang.compliance.rules import ERROR, REMINDER, WARNING, RULES
from taizhang.orgs.tests.factories import CommitteeFactory, PositionFactory, UserFactory, grant

from .helpers import branch
from .test_queries import populate

pytestmark = pytest.mark.django_db


def old_health(report: Report, row_id: int) -> str:
    """The implementation before issue 14 (a scan of every finding per row), as the oracle."""
    severities = {v.severity for v in report.violations if v.row_id == row_id}
    if ERROR in severities:
        return "red"
    if WARNING in severities:
        return "amber"
    return "green"


def test_health_is_red_amber_green_by_the_worst_counted_finding():
    rule = RULES[0]
    report = Report(root=None, period=P.parse("2023"), today=dt.date(2024, 1, 1), rules=[rule], rows=[])
    report.violations += [Violation(rule, 1, 1, "e", severity=ERROR), Violation(rule, 1, 1, "w", severity=WARNING),
                          Violation(rule, 2, 2, "w", severity=WARNING), Violation(rule, 2, 2, "r", severity=REMINDER),
                          Violation(rule, 3, 3, "r", severity=REMINDER), Violation(rule, 5, 5, "w", severity=WARNING),
                          Violation(rule, 5, 5, "e", severity=ERROR)]
    assert [report.health(i) for i in (1, 2, 3, 4, 5)] == ["red", "amber", "green", "green", "red"]
    assert report.health_by_row() == {1: "red", 2: "amber", 5: "red"}
    # A finding added after the first look is seen (the map is rebuilt).
    report.violations.append(Violation(rule, 2, 2, "e", severity=ERROR))
    assert report.health(2) == "red"


def test_health_equals_the_per_row_scan_on_a_year_of_a_small_tree():
    committee = CommitteeFactory(code="QDW")
    PositionFactory(member=branch(committee, members=1, code="Q999")[1][0], org=committee, role="secretary")
    populate(committee, 3, 0)
    report = evaluate(committee, P.parse("2023"), dt.date(2024, 1, 10))
    expected = {row.id: old_health(report, row.id) for row in report.rows}
    assert {row.id: report.health(row.id) for row in report.rows} == expected
    assert set(expected.values()) >= {"red"} and len(report.rows) == 5  # the committee, 4 branches
    # The ledger findings link to the same pages as reverse() gives.
    links = {v.record_url for v in report.violations if v.rule.id in ("C24", "C25", "C26")}
    assert links and all(url.startswith("/") and url.endswith("/") for url in links)
    assert any(url == reverse("rectification:measure_detail", args=[int(url.rstrip("/").rsplit("/", 1)[1])])
               for url in links)
    assert all(url in (reverse("rectification:measure_detail", args=[int(url.rstrip("/").rsplit("/", 1)[1])]),
                       reverse("rectification:problem_detail", args=[int(url.rstrip("/").rsplit("/", 1)[1])]))
               for url in links)


def test_the_overview_costs_the_same_queries_for_2_or_6_branches(client):
    committee = CommitteeFactory(code="QDW")
    PositionFactory(member=branch(committee, members=1, code="Q999")[1][0], org=committee, role="secretary")
    user = UserFactory(username="office")
    grant(user, committee, "committee_staff")
    client.force_login(user)
    url = reverse("compliance:overview")
    query = {"org": committee.pk, "period": "2023"}
    populate(committee, 2, 0)
    client.get(url, query)  # warm caches (content types, sessions)

    def measure():
        with CaptureQueriesContext(connection) as ctx:
            response = client.get(url, query)
        assert response.status_code == 200
        return len(ctx.captured_queries), response

    small, first = measure()
    populate(committee, 4, 10)
    # the changed branches' findings are evaluated and stored on the next load (compliance.store);
    # the overview is then read like the first: the same queries at 6 branches as at 2
    client.get(url, query)
    large, second = measure()
    assert small == large
    assert second.context["health_counts"]["red"] > first.context["health_counts"]["red"]
    # the page shows the kept figures (compliance.overview); the oracle scans the whole report
    report = store.evaluate_stored(committee, P.parse("2023"), P.today())
    assert [row.id for row in second.context["report"].rows] == [row.id for row in report.rows]
    assert [r["health"] for r in second.context["rows"]] == [old_health(report, row.id) for row in report.rows]

"""The committee view read from the kept findings (``compliance.overview``, issue 14): the
same figures and the same page of findings as the whole report, in the same order, on the
first (computed) and the later (kept) requests; constant queries at two sizes; a record
written shows on the next request."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.compliance import periods as P
from taizhang.compliance import store
from taizhang.compliance.overview import sort_key
from taizhang.orgs.tests.factories import CommitteeFactory, UserFactory, grant
from taizhang.records.models import MeetingKind

from .helpers import meeting
from .test_queries import populate

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def empty_cache():
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def office(sample):
    user = UserFactory(username="office")
    grant(user, sample["committee"], "committee_staff")
    return user


def expected(root, period_key: str, row=None, rule=None, page=1, per_page=50):
    report = store.evaluate_stored(root, P.parse(period_key), P.today())
    found = sorted((v for v in report.violations
                    if (row is None or v.row_id == row) and (rule is None or v.rule.id == rule)), key=sort_key)
    matrix = report.matrix()
    cells = {r.id: [matrix.get((r.id, rule.id), 0) for rule in report.rules] for r in report.rows}
    health = {r.id: report.health(r.id) for r in report.rows}
    page = min(page, max(1, -(-len(found) // per_page)))  # Paginator.get_page: past the end, the last
    return found[(page - 1) * per_page:page * per_page], len(found), cells, health


def shown(response):
    ctx = response.context
    cells = {r["org"].id: [n for _rule, n in r["cells"]] for r in ctx["rows"]}
    return list(ctx["drill"]), ctx["drill_total"], cells, {r["org"].id: r["health"] for r in ctx["rows"]}


@pytest.mark.parametrize("period", ["2023", "2023-Q4"])
def test_computed_and_kept_pages_equal_the_whole_report(client, office, sample, period, monkeypatch):
    from taizhang.compliance import services

    computed_reports = []
    original = services.committee_report
    monkeypatch.setattr(services, "committee_report", lambda *a: computed_reports.append(a) or original(*a))
    client.force_login(office)
    root = sample["committee"]
    zb03 = sample["branches"]["ZB03"].pk
    url = reverse("compliance:overview")
    for query in [{}, {"page": 2}, {"row": zb03}, {"rule": "C05"}, {"row": zb03, "rule": "C05"}]:
        args = dict(query)
        want = expected(root, period, **args)
        cache.clear()
        computed = client.get(url, {"period": period, **query})
        assert len(computed_reports) == 1
        kept = client.get(url, {"period": period, **query})
        assert len(computed_reports) == 1  # the second request read the kept figures and rows
        computed_reports.clear()
        assert shown(computed) == want
        assert shown(kept) == want
        assert computed.content.decode().count('class="sev-') == kept.content.decode().count('class="sev-')
    assert want[1] > 0


def test_kept_page_queries_do_not_depend_on_the_number_of_branches(client):
    committee = CommitteeFactory(code="QDW")
    user = UserFactory(username="qdw")
    grant(user, committee, "committee_staff")
    client.force_login(user)
    url = reverse("compliance:overview")
    populate(committee, 2, 0)
    sizes = []
    for more in (0, 4):
        populate(committee, more, 2)
        for query in ({"period": "2023"}, {"period": "2023", "page": 2}):
            client.get(url, query)
            with CaptureQueriesContext(connection) as ctx:
                response = client.get(url, query)
            sizes.append(len(ctx))
        rows = len(response.context["rows"])
    assert sizes[:2] == sizes[2:] and rows == 7


def test_a_record_written_shows_on_the_next_request(client, office, sample):
    client.force_login(office)
    url = reverse("compliance:overview")
    before = client.get(url, {"period": "2023-Q4"})
    assert client.get(url, {"period": "2023-Q4"}).context["drill_total"] == before.context["drill_total"]
    zb03 = sample["branches"]["ZB03"]
    meeting(zb03, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2023, 11, 9))  # the gap of November
    after = client.get(url, {"period": "2023-Q4"})
    assert shown(after) == expected(sample["committee"], "2023-Q4")
    gap = [v for v in before.context["drill"] if v.row_id == zb03.pk and v.rule.id == "C05"]
    assert [v.period.key for v in gap] == ["2023-11"]
    assert [v for v in after.context["drill"] if v.row_id == zb03.pk and v.rule.id == "C05"] == []

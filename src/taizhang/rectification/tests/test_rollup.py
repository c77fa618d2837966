"""The problem list and ledger rolled up per unit for a superior (issue 12 §1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory, UserFactory, grant
from taizhang.rectification import services
from taizhang.rectification.models import Rectification, RectificationStatus
from taizhang.rectification.rollup import unit_rollup

TODAY = dt.date(2026, 6, 15)


@pytest.fixture
def city(db):
    """A city committee SW with its own branch, over unit committees DW (2 branches) and XW (1)."""
    city = CommitteeFactory(code="SW", name="某某市委")
    own = BranchFactory(parent=city, code="SZ01", name="市委机关支部")
    dw = CommitteeFactory(parent=city, code="DW", name="某某局机关党委", kind="committee")
    xw = CommitteeFactory(parent=city, code="XW", name="某某中心党委", kind="committee")
    branches = {"DW": [BranchFactory(parent=dw, code=f"ZB0{i}") for i in (1, 2)],
                "XW": [BranchFactory(parent=xw, code="XZ01")]}
    return {"city": city, "own": own, "DW": dw, "XW": xw, "branches": branches}


def add(org, measures: int, closed: int = 0, overdue: int = 0, n: int = 0):
    """A problem of ``org`` with ``measures`` measures: ``closed`` closed, ``overdue`` past due."""
    problem = services.create_problem(org=org, source="巡视巡察", description=f"问题{org.code}-{n}")
    ids = [services.add_measure(problem, measure=f"措施{k}", deadline=dt.date(2030, 1, 10)).pk
           for k in range(measures)]
    Rectification.objects.filter(pk__in=ids[:closed]).update(status=RectificationStatus.CLOSED)
    Rectification.objects.filter(pk__in=ids[closed:closed + overdue]).update(effective_due=dt.date(2026, 1, 5))
    return problem


def figures(rows):
    return [(r.org.code, r.problems, r.measures, r.closed, r.overdue, r.closure_rate, r.own) for r in rows]


def test_unit_rollup_counts_per_child_subtree(city):
    add(city["branches"]["DW"][0], 3, closed=1, overdue=1)
    add(city["branches"]["DW"][1], 1, closed=1, n=1)
    add(city["DW"], 0, n=2)  # the unit committee's own problem, no measure yet
    add(city["branches"]["XW"][0], 2, overdue=2)
    add(city["city"], 1, n=3)  # the city's own problem
    rows, total = unit_rollup(city["city"], today=TODAY)
    assert figures(rows) == [
        ("SW", 1, 1, 0, 0, 0.0, True),
        ("DW", 3, 4, 2, 1, 50.0, False),
        ("SZ01", 0, 0, 0, 0, 0.0, False),
        ("XW", 1, 2, 0, 2, 0.0, False),
    ]
    assert (total.problems, total.measures, total.closed, total.overdue, total.closure_rate) == (5, 7, 2, 3, 28.6)
    # a unit over branches only (no child committee) has no roll-up
    assert unit_rollup(city["DW"], today=TODAY) is None


def test_rollup_queries_do_not_grow_with_units_or_records(city):
    add(city["branches"]["DW"][0], 2, closed=1)
    with CaptureQueriesContext(connection) as small:
        unit_rollup(city["city"], today=TODAY)
    for i in range(3):
        unit = CommitteeFactory(parent=city["city"], kind="committee", code=f"U{i}")
        for j in range(2):
            add(BranchFactory(parent=unit, code=f"U{i}B{j}"), 3, closed=1, overdue=1, n=j)
    with CaptureQueriesContext(connection) as large:
        rows, total = unit_rollup(city["city"], today=TODAY)
    assert len(small) == len(large) == 4  # children, problems, measures, list review steps
    assert len(rows) == 6 and total.measures == 20


def test_ledger_and_problem_list_show_the_rollup_with_drill_down(client, city):
    add(city["branches"]["DW"][0], 2, closed=1, overdue=1)
    add(city["branches"]["XW"][0], 1, n=1)
    user = UserFactory(username="shiwei")
    grant(user, city["city"], "committee_staff")
    client.force_login(user)
    for name in ("rectification:ledger", "rectification:problem_list"):
        url = reverse(name)
        body = client.get(url).content.decode()
        assert 'id="unit-rollup"' in body
        assert f'href="?org={city["DW"].pk}" data-drill="DW"' in body
        rows, total = client.get(url).context["rollup"]
        assert [(r.org.code, r.problems, r.measures, r.closed) for r in rows] == [
            ("DW", 1, 2, 1), ("SZ01", 0, 0, 0), ("XW", 1, 1, 0)]
        # drilling into DW: its own list, no roll-up (DW has branches, no units)
        drilled = client.get(f"{url}?org={city['DW'].pk}")
        assert drilled.context["rollup"] is None
        assert "问题XZ01" not in drilled.content.decode()
        assert "问题ZB01" in drilled.content.decode(), name


def test_ledger_rollup_queries_constant_at_two_sizes(client, city):
    user = UserFactory(username="shiwei")
    grant(user, city["city"], "committee_staff")
    client.force_login(user)
    url = reverse("rectification:ledger")
    add(city["branches"]["DW"][0], 1)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(4):
        unit = CommitteeFactory(parent=city["city"], kind="committee", code=f"U{i}")
        add(BranchFactory(parent=unit, code=f"U{i}B"), 2, closed=1, n=i)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(small) == len(large)
    assert response.context["rollup"][1].measures == 9


def test_unit_user_sees_no_superior_rollup_and_cannot_drill_into_another_unit(client, city):
    add(city["branches"]["XW"][0], 1)
    user = UserFactory(username="danwei")
    grant(user, city["DW"], "committee_staff")
    client.force_login(user)
    response = client.get(reverse("rectification:ledger") + f"?org={city['XW'].pk}")
    assert response.context["rollup"] is None
    assert "问题XZ01" not in response.content.decode()
    response = client.get(reverse("rectification:ledger") + f"?org={city['city'].pk}")
    assert response.context["rollup"] is None

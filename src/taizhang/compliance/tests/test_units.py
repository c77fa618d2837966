"""The committee view rolled up per unit for a superior (issue 12 §1)."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.compliance import periods as P
from taizhang.compliance.engine import evaluate
from taizhang.compliance.units import unit_findings
from taizhang.orgs.tests.factories import UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def city(db):
    """The sample with its city committee SW over DW (with the sample records) and XW (none)."""
    from taizhang.orgs.models import Organization
    from taizhang.orgs.sample import create_sample_orgs
    from taizhang.records.sample import load_sample_records

    orgs = create_sample_orgs(with_city=True)
    load_sample_records(orgs["committee"])
    return {code: Organization.objects.get(code=code) for code in ("SW", "DW", "XW")}


def figures(rows):
    return [(r.org.code, r.errors, r.warnings, r.red, r.amber, r.green, r.own) for r in rows]


def test_findings_per_unit_add_up_to_the_report(city):
    report = evaluate(city["SW"], P.parse("2023-Q4"), today=dt.date(2024, 3, 1))
    rows, total = unit_findings(report)
    # DW: the sample's four gaps (ZB02-2, ZB03, ZB04, ZB05 red; DW, ZB01, ZB06 green);
    # XW has no records at all; the city itself is green
    assert figures(rows) == [("SW", 0, 0, 0, 0, 1, True), ("DW", 4, 0, 4, 0, 3, False),
                             ("XW", 11, 2, 2, 0, 1, False)]
    assert (total.errors, total.warnings, total.red, total.amber, total.green) == (15, 2, 6, 0, 5)
    assert total.errors == sum(1 for v in report.violations if v.severity == "error")
    assert total.warnings == sum(1 for v in report.violations if v.severity == "warning")
    assert total.orgs == len(report.rows)
    # a unit over branches only has no roll-up
    assert unit_findings(evaluate(city["DW"], P.parse("2023-Q4"), today=dt.date(2024, 3, 1))) is None


def test_rollup_is_one_query_whatever_the_number_of_units(city):
    from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory

    period, today = P.parse("2023-Q4"), dt.date(2024, 3, 1)
    report = evaluate(city["SW"], period, today)
    with CaptureQueriesContext(connection) as small:
        unit_findings(report)
    for i in range(3):
        BranchFactory(parent=CommitteeFactory(parent=city["SW"], code=f"YW{i}", kind="committee"))
    report = evaluate(city["SW"], period, today)
    with CaptureQueriesContext(connection) as large:
        rows, _total = unit_findings(report)
    assert len(small) == len(large) == 1
    assert len(rows) == 6


def test_superior_sees_units_and_drills_into_one(client, city):
    user = UserFactory(username="shiwei")
    grant(user, city["SW"], "committee_staff")
    client.force_login(user)
    url = reverse("compliance:overview")
    body = client.get(url + "?period=2023-Q4").content.decode()
    assert 'id="unit-findings"' in body
    drill = f'href="?org={city["DW"].pk}&period=2023-Q4" data-drill="DW"'
    assert drill in body
    response = client.get(url + f"?org={city['DW'].pk}&period=2023-Q4")
    assert response.context["units"] is None
    assert response.context["root"] == city["DW"]
    assert 'data-org="XZ01"' not in response.content.decode()


def test_unit_office_sees_no_superior_rollup_nor_the_city(client, city):
    user = UserFactory(username="danwei2")
    grant(user, city["XW"], "committee_staff")
    client.force_login(user)
    url = reverse("compliance:overview")
    response = client.get(url + "?period=2023-Q4")
    assert response.context["units"] is None and response.context["root"] == city["XW"]
    assert client.get(url + f"?org={city['SW'].pk}").status_code == 404
    assert client.get(url + f"?org={city['DW'].pk}").status_code == 404

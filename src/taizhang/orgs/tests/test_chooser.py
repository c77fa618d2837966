"""The organization filter at scale (issue 14): a select up to the threshold, above it a
search box over ``/orgs/choose/`` (scoped, at most 20 answers) and only the chosen
organization in the page."""

import json
import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from ..models import Organization, OrgKind
from .factories import BranchFactory, CommitteeFactory

pytestmark = pytest.mark.django_db

MANY = 1500


def many_branches(committee, n=MANY, prefix="ZX"):
    """``n`` branches ``ZX0001``… under ``committee``, written in one bulk insert (paths as
    treebeard computes them; ``add_child`` would take a minute)."""
    committee.refresh_from_db()
    start = committee.numchild
    rows = [Organization(name=f"城区第{i}党支部", code=f"{prefix}{i:04d}", kind=OrgKind.BRANCH,
                         path=Organization._get_path(committee.path, committee.depth + 1, start + i),
                         depth=committee.depth + 1, numchild=0)
            for i in range(1, n + 1)]
    Organization.objects.bulk_create(rows, batch_size=500)
    Organization.objects.filter(pk=committee.pk).update(numchild=start + n)
    return rows


def _get(client, url, **headers):
    return client.get(url, headers=headers)


@pytest.fixture
def city(tree, staff):
    many_branches(tree["committee"])
    return tree


def test_the_endpoint_answers_only_organizations_in_scope(client, tree, staff, secretary_a):
    other = CommitteeFactory(name="另一单位党委", code="QT")
    BranchFactory(parent=other, name="另一单位第1党支部", code="QT01")
    url = reverse("orgs:choose")

    client.force_login(secretary_a)
    found = _get(client, url + "?q=党支部").json()["results"]
    assert [r["code"] for r in found] == ["ZB01"]
    assert found[0] == {"id": tree["branches"][0].pk, "name": "第1党支部", "code": "ZB01",
                        "text": "第1党支部（ZB01）"}
    assert _get(client, url + "?q=ZB02").json() == {"results": []}
    assert _get(client, url + "?q=QT").json() == {"results": []}
    # without q: everything A sees (its branch and groups), in tree order
    assert [r["code"] for r in _get(client, url).json()["results"]] == ["ZB01", "ZB01-1", "ZB01-2"]

    client.force_login(staff)
    assert [r["code"] for r in _get(client, url + "?q=党支部").json()["results"]] == ["ZB01", "ZB02"]
    assert [r["code"] for r in _get(client, url + "?q=zb02-").json()["results"]] == ["ZB02-1", "ZB02-2"]
    assert [r["code"] for r in _get(client, url + "?q=ZB&kind=group").json()["results"]] == [
        "ZB01-1", "ZB01-2", "ZB02-1", "ZB02-2"]
    assert _get(client, url + "?q=另一").json() == {"results": []}

    client.logout()
    assert _get(client, url).status_code == 302


def test_the_endpoint_answers_options_to_htmx_and_at_most_20(client, city, staff):
    client.force_login(staff)
    url = reverse("orgs:choose")
    html = _get(client, url + "?q=城区第12", HX_Request="true").content.decode()
    values = re.findall(r'<option value="(\d*)"', html)
    assert values[0] == ""  # the empty choice first, then 20 of the 111 matches
    assert len(values) == 21
    assert '城区第12党支部（ZX0012）</option>' in html
    assert len(_get(client, url + "?q=城区").json()["results"]) == 20
    html = _get(client, url + "?q=不存在", HX_Request="true").content.decode()
    assert '<option value="" disabled>没有匹配的组织</option>' in html
    assert _get(client, url + "?q=<b>", HX_Request="true").status_code == 200


def test_below_the_threshold_the_filter_is_a_select_of_every_organization(client, tree, staff):
    client.force_login(staff)
    html = client.get(reverse("orgs:member_list")).content.decode()
    select = re.search(r'<select[^>]*name="org".*?</select>', html, re.S).group(0)
    assert re.findall(r'<option value="(\d*)"', select) == [""] + [str(b.pk) for b in tree["branches"]]
    assert 'hx-get="/orgs/choose/' not in html


def test_above_the_threshold_the_page_carries_a_search_box_and_the_chosen_org(client, city, staff):
    client.force_login(staff)
    response = client.get(reverse("orgs:member_list"))
    html = response.content.decode()
    assert html.count("<option") < 20
    assert len(response.content) < 60_000
    assert 'hx-get="/orgs/choose/?kind=general_branch&amp;kind=branch&amp;keep=org" hx-include="#id_org"' in html
    assert 'form="id_org-none"' in html  # the search box is not part of the filter form

    chosen = Organization.objects.get(code="ZX0777")
    html = client.get(reverse("orgs:member_list") + f"?org={chosen.pk}").content.decode()
    select = re.search(r'<select[^>]*name="org".*?</select>', html, re.S).group(0)
    assert select.count("<option") == 2
    assert f'<option value="{chosen.pk}" selected>城区第777党支部（ZX0777）</option>' in select


def test_the_threshold_is_a_setting_and_costs_no_query_more(client, city, staff, settings):
    client.force_login(staff)
    url = reverse("orgs:member_list") + f"?org={Organization.objects.get(code='ZX0005').pk}"
    with CaptureQueriesContext(connection) as above:
        client.get(url)
    settings.TAIZHANG_CHOOSER_THRESHOLD = 5000
    with CaptureQueriesContext(connection) as below:
        html = client.get(url).content.decode()
    assert html.count("<option") > MANY
    assert len(above) == len(below)


def test_the_json_names_no_other_unit_even_when_asked_for_its_code(client, city, secretary_a):
    client.force_login(secretary_a)
    body = _get(client, reverse("orgs:choose") + "?q=ZX").content.decode()
    assert json.loads(body) == {"results": []}

"""Every registered list page runs the same number of queries with one row as with several
(issue 14: a list's query count must not grow with its data): each row's related objects
(organization, members, counts) come with the page's queries, never one query a row."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.core.sources import sources
from taizhang.core.testing import build_sample, build_world
from taizhang.orgs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db


def _queries(client, url) -> int:
    client.get(url)  # sessions, caches
    with CaptureQueriesContext(connection) as log:
        assert client.get(url).status_code == 200, url
    return len(log)


def test_every_list_runs_as_many_queries_for_one_row_as_for_five(client):
    world = build_world()
    client.force_login(world.office)
    listed = [s for s in sources() if s.url_name("list")]
    assert {"meeting", "study", "selfstudy", "lecture", "talk", "rectification"} <= {s.code for s in listed}
    differ = []
    for source in listed:
        url = reverse(source.url_name("list"))
        build_sample(source, world.branch_a, MemberFactory(org=world.branch_a), f"{source.code}-1")
        one = _queries(client, url)
        for i, org in enumerate([world.branch_a, world.branch_b] * 2):
            build_sample(source, org, MemberFactory(org=org), f"{source.code}-{i + 2}")
        five = _queries(client, url)
        if one != five:
            differ.append(f"{source.code}: {one} queries with 1 row, {five} with 5")
    assert not differ, differ

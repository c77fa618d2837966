"""The ledger's figures kept between requests (``rectification.ledgercache``, issue 14):
the same figures as computed, a constant number of queries, fresh after any write."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.rectification import services
from taizhang.rectification.ledger import status_counts
from taizhang.rectification.models import Problem, Rectification

from .test_rollup import add, city  # noqa: F401 — the city fixture


@pytest.fixture(autouse=True)
def ledger_cached(settings):
    settings.TAIZHANG_LEDGER_CACHE_SECONDS = 300
    cache.clear()
    yield
    cache.clear()


@pytest.fixture
def staff(city):  # noqa: F811
    from taizhang.orgs.tests.factories import UserFactory, grant

    user = UserFactory(username="city_staff")
    grant(user, city["city"], "committee_staff")
    return user


def _figures(response):
    rows, total = response.context["rollup"]
    return (dict(response.context["counts"]),
            [(r.org.code, r.problems, r.measures, r.closed, r.overdue) for r in rows],
            (total.problems, total.measures, total.closed, total.overdue))


def test_kept_figures_equal_the_computed_ones_and_queries_stay_constant(client, city, staff, settings):  # noqa: F811
    client.force_login(staff)
    url = reverse("rectification:ledger")
    add(city["own"], 2, closed=1)
    add(city["branches"]["DW"][0], 3, overdue=2)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        kept_small = client.get(url)
    for i in range(10):
        add(city["branches"]["DW"][i % 2], 2, closed=1, overdue=1, n=i + 1)
        add(city["branches"]["XW"][0], 3, n=i + 1)
    client.get(url)
    with CaptureQueriesContext(connection) as large:
        kept_large = client.get(url)
    assert len(small) == len(large)
    settings.TAIZHANG_LEDGER_CACHE_SECONDS = 0
    computed = client.get(url)
    assert _figures(kept_large) == _figures(computed)
    assert _figures(kept_small) != _figures(kept_large)
    counts = computed.context["counts"]
    assert counts == status_counts(Rectification.objects.all())
    assert (counts["total"], counts["closed"]) == (2 + 3 + 10 * 5, 1 + 10)


def test_a_write_or_a_deletion_shows_on_the_next_request(client, city, staff):  # noqa: F811
    client.force_login(staff)
    url = reverse("rectification:ledger")
    problem = add(city["branches"]["XW"][0], 2)
    assert client.get(url).context["counts"]["total"] == 2
    assert client.get(url).context["counts"]["total"] == 2  # kept
    services.add_measure(problem, measure="新增措施", deadline=dt.date(2030, 3, 1))
    assert client.get(url).context["counts"]["total"] == 3
    Problem.objects.get(pk=problem.pk).delete()
    response = client.get(url)
    assert response.context["counts"]["total"] == 0
    assert _figures(response)[2] == (0, 0, 0, 0)


def test_a_filter_other_than_the_organization_keeps_counts_and_rollup_apart(client, city, staff):  # noqa: F811
    client.force_login(staff)
    add(city["own"], 2, closed=1)
    add(city["branches"]["DW"][0], 3, closed=2)
    response = client.get(reverse("rectification:ledger") + "?status=closed")
    assert response.context["counts"]["total"] == 3
    # the roll-up counts every measure the user sees, whatever the status filter
    assert _figures(response)[2] == (2, 5, 3, 0)


def test_a_deletion_is_seen_by_every_server_process(client, city, staff):  # noqa: F811
    """Each gunicorn worker keeps its own cache: a deletion in one must reach the others
    through the database, not through a counter in the deleting process's cache."""
    from django.core.cache.backends.locmem import LocMemCache

    from taizhang.rectification import ledgercache

    client.force_login(staff)
    url = reverse("rectification:ledger")
    problem = add(city["branches"]["XW"][0], 2)
    assert client.get(url).context["counts"]["total"] == 2  # kept by the worker serving it
    other_worker = LocMemCache("another-process", {})
    real = ledgercache.cache
    ledgercache.cache = other_worker  # the deletion happens in another process
    try:
        Rectification.objects.filter(problem=problem).first().delete()
    finally:
        ledgercache.cache = real
    assert client.get(url).context["counts"]["total"] == 1
    Problem.objects.get(pk=problem.pk)  # the problem stays


def test_the_first_page_is_kept_until_something_changes(client, city, staff):  # noqa: F811
    """The first page's count per organization reads every measure of the set (1.8 s at the
    province's 2,000,000): it is kept with the figures and follows every change."""
    client.force_login(staff)
    url = reverse("rectification:ledger")
    problem = add(city["branches"]["XW"][0], 2)
    client.get(url)
    with CaptureQueriesContext(connection) as kept:
        first = client.get(url)
    assert not [q["sql"] for q in kept.captured_queries
                if "GROUP BY" in q["sql"] and "rectification_rectification" in q["sql"]]
    assert len(first.context["object_list"]) == 2
    services.add_measure(problem, measure="新增措施", deadline=dt.date(2030, 3, 1))
    assert [m.measure for m in client.get(url).context["object_list"]][-1] == "新增措施"

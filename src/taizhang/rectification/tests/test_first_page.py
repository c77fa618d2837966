"""The ledger's first page read organization block by organization block (issue 14): the same
rows, in the same order, as ordering the whole set; the paginator's count and the figures
equal to direct counts."""

import datetime as dt

import pytest
from django.urls import reverse

from taizhang.orgs.tests.factories import BranchFactory
from taizhang.rectification import ledger, services
from taizhang.rectification.ledger import first_page_ids, ledger_queryset
from taizhang.rectification.models import ACTIVE_STATUSES, Rectification, RectificationStatus

pytestmark = pytest.mark.django_db

TODAY = dt.date(2025, 6, 1)


@pytest.fixture
def spread(tree):
    """Problems in six branches (and the committee), in an order that is not the tree's:
    overdue ones (a 2020 deadline) here and there, some with a future measure too, some
    only future, some closed."""
    branches = tree["branches"] + [BranchFactory(parent=tree["committee"], name=f"第{b}党支部", code=f"ZB{b:02d}")
                                   for b in range(3, 7)]
    orgs = [*reversed(branches), tree["committee"]]
    made = []
    for i in range(36):
        org = orgs[i % len(orgs)]
        problem = services.create_problem(org=org, source="巡视巡察", description=f"问题{i}")
        kinds = [(2020, 2040), (2040,), (2040, 2041), (2020,), (2041, 2020), (2040, 2041, 2042)][i % 6]
        for k, year in enumerate(kinds):
            made.append(services.add_measure(problem, measure=f"措施{i}-{k}", deadline=dt.date(year, 1, 10),
                                             leader=tree["leaders"][k % 2]))
    Rectification.objects.filter(pk__in=[m.pk for m in made[::5]]).update(status=RectificationStatus.CLOSED)
    return tree


def whole_order(base, today=TODAY):
    return list(ledger_queryset(base, today).values_list("pk", flat=True))


def test_first_page_equals_the_whole_order_for_any_size_and_filter(spread):
    bases = [Rectification.objects.all(),
             Rectification.objects.filter(status__in=ACTIVE_STATUSES),
             Rectification.objects.filter(org__path__startswith=spread["branches"][0].path),
             Rectification.objects.filter(effective_due__gt=dt.date(2030, 1, 1))]
    for base in bases:
        expected = whole_order(base)
        assert expected
        for size in (1, 3, 7, 20, 50, len(expected) + 5):
            assert first_page_ids(base, size, TODAY) == expected[:size], (base.query, size)
    # the order really is overdue first, and not plain tree order
    overdue = set(Rectification.objects.filter(ledger.overdue_q(TODAY)).values_list("problem_id", flat=True))
    problems = [Rectification.objects.get(pk=pk).problem_id for pk in whole_order(bases[0])]
    flags = [p in overdue for p in problems]
    assert flags == sorted(flags, reverse=True) and True in flags and False in flags


def test_first_page_gives_up_beyond_the_walk_limit(spread, monkeypatch):
    monkeypatch.setattr(ledger, "MAX_WALK", 2)
    assert first_page_ids(Rectification.objects.all(), 50, TODAY) is None


def test_ledger_page_one_and_two_keep_the_order_and_the_figures(client, spread, office, monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: TODAY)
    client.force_login(office)
    url = reverse("rectification:ledger")
    first = client.get(url, {"page": 1})
    second = client.get(url, {"page": 2})
    expected = whole_order(Rectification.objects.all())
    assert len(expected) > 50
    assert [r["m"].pk for r in first.context["rows"]] == expected[:50]
    assert [r["m"].pk for r in second.context["rows"]] == expected[50:100]
    counts = first.context["counts"]
    assert first.context["paginator"].count == counts["total"] == Rectification.objects.count()
    assert counts["overdue"] == Rectification.objects.filter(ledger.overdue_q(TODAY)).count()
    assert counts[RectificationStatus.CLOSED] == Rectification.objects.filter(status="closed").count()
    filtered = client.get(url, {"status": "open"})
    assert [r["m"].pk for r in filtered.context["rows"]] == whole_order(
        Rectification.objects.filter(status="open"))[:50]
    assert filtered.context["counts"]["total"] == Rectification.objects.filter(status="open").count()


def _ledger_queries(client, url) -> int:
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(url)
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("with_rows", [False, True])
def test_ledger_page_queries_do_not_grow_with_the_tree(client, tree, office, with_rows):
    """benchmarks/bench_pages.py: 16 queries at 5 branches, 17 at 50 — the first page walked
    the organization tree block by block (32 organizations, then 128 …), one query a block,
    so a bigger tree (or an empty ledger in one) took more blocks. The same page at 3 and at
    45 branches, overdue problems only in the last branch (the walk's worst case), with an
    empty ledger too: the same number of queries."""
    client.force_login(office)
    url = reverse("rectification:ledger")
    counts = []
    for total in (3, 45):
        while len(tree["branches"]) < total:
            n = len(tree["branches"]) + 1
            tree["branches"].append(BranchFactory(parent=tree["committee"], name=f"第{n}党支部", code=f"QB{n:02d}"))
        if with_rows:
            Rectification.objects.all().delete()
            last = tree["branches"][-1]
            for i in range(3):
                problem = services.create_problem(org=last, source="巡视巡察", description=f"问题{total}-{i}")
                services.add_measure(problem, measure=f"措施{i}", deadline=dt.date(2020, 1, 10),
                                     leader=tree["leaders"][0])
                services.add_measure(problem, measure=f"措施{i}b", deadline=dt.date(2040, 1, 10),
                                     leader=tree["leaders"][1])
        counts.append(_ledger_queries(client, url))
    assert counts[0] == counts[1], counts

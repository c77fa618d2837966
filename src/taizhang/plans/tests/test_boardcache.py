"""The board's cache after a change (``plans.boardcache``, ``plans.boardparts``): a record in
one branch computes again only that branch's row (or its rolled-up child) and the totals,
shows exactly what a board computed afresh shows, and costs a number of queries that does not
grow with the number of branches (issue 14 §4)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from taizhang.orgs.tests.factories import BranchFactory
from taizhang.plans import boardcache, services
from taizhang.plans.templatetags import plans as tags
from taizhang.plans.tests.test_boardsql import board_page, campaign, general, tbody  # noqa: F401
from taizhang.records import services as records

pytestmark = pytest.mark.django_db
D = dt.date
AFRESH = "COUNT(DISTINCT"  # the first query of a board computed afresh (boardsql._Sql.rows_meta)

# (query string, row limit): every row shown; rolled up per child; rolled up and paged; a
# month; every row a branch of the general branch, paged (the flat case)
VARIANTS = [("", 100), ("?rollup=1", 100), ("", 3), ("?month=2023-10", 3), ("UNDER", 2)]


def content(response) -> str:
    """The board's legend (totals), table and pages."""
    html = response.content.decode()
    return html[html.index('<div class="legend'):html.index("</table>")]


def study(branch, day, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(branch, day, "集中学习", attendance=[])


@pytest.fixture
def refreshed(monkeypatch):
    """Exact change detection (no margin for late commits: a test saves one at a time)."""
    monkeypatch.setattr(boardcache, "RACE_SECONDS", 0)


@pytest.mark.parametrize("query,limit", VARIANTS)
def test_a_record_moves_only_its_row_and_the_totals(client, campaign, office, general, refreshed,  # noqa: F811
                                                     monkeypatch, django_capture_on_commit_callbacks,
                                                     query, limit):
    zz, zz_branches = general
    branch = zz_branches[0]
    query = f"?under={zz.pk}" if query == "UNDER" else query
    url = reverse("plans:board", args=[campaign.pk]) + query
    cache.clear()
    client.force_login(office)
    with override_settings(TAIZHANG_BOARD_ROWS=limit):
        before, computed = board_page(client, campaign, query)
        assert computed
        rendered = []
        real = tags.board_row_html
        monkeypatch.setattr(tags, "board_row_html", lambda rows: rendered.extend(r.path for r in rows) or real(rows))
        study(branch, D(2023, 10, 12), django_capture_on_commit_callbacks)
        with CaptureQueriesContext(connection) as log:
            after = client.get(url)
        again = list(rendered)
        assert not any(AFRESH in q["sql"] for q in log.captured_queries)  # refreshed, not afresh
        assert any("WITH occ AS" in q["sql"] for q in log.captured_queries)
        cache.clear()
        fresh, computed = board_page(client, campaign, query)
        assert computed
    assert tbody(after) == tbody(fresh)
    assert content(after) == content(fresh)  # the legend's totals and the footer's counts too
    got, want = after.context["board"], fresh.context["board"]
    assert (got.totals, got.column_counts) == (want.totals, want.column_counts)
    assert [(r.org_id, r.counts) for r in got.rows] == [(r.org_id, r.counts) for r in want.rows]
    shown = [r.path for r in want.rows]
    row = branch.path if branch.path in shown else zz.path if zz.path in shown else None
    assert again == ([row] if row else [])  # only the changed row rendered again
    if row == branch.path:  # a rolled-up cell may read the same (0/3 organizations done)
        assert tbody(after) != tbody(before)
        done = [sum(c.done for c in r.cells if c) for r in (before.context["board"].rows, got.rows)
                for r in r if r.org_id == branch.pk]
        assert done[1] == done[0] + 1


@pytest.mark.parametrize("query,limit", [("", 100), ("", 3), ("UNDER", 2)])
def test_queries_after_a_change_do_not_grow_with_the_branches(client, campaign, office, tree, general,  # noqa: F811
                                                             refreshed, django_capture_on_commit_callbacks,
                                                             query, limit):
    zz, zz_branches = general
    client.force_login(office)
    cache.clear()

    def after_change(day) -> int:
        url = reverse("plans:board", args=[campaign.pk]) + (f"?under={zz.pk}" if query == "UNDER" else query)
        assert client.get(url).status_code == 200
        study(zz_branches[0], day, django_capture_on_commit_callbacks)
        with CaptureQueriesContext(connection) as log:
            assert client.get(url).status_code == 200
        sql = [q["sql"] for q in log.captured_queries]
        assert not any(AFRESH in s for s in sql) and any("WITH occ AS" in s for s in sql)
        return len(sql)

    with override_settings(TAIZHANG_BOARD_ROWS=limit):
        small = after_change(D(2023, 9, 26))
        for n in range(4, 12):
            BranchFactory(parent=zz, name=f"总支第{n}支部", code=f"ZZ{n}")
            BranchFactory(parent=tree["committee"], name=f"第{n}党支部", code=f"B{n}")
        services.publish_plan(campaign)
        zz.refresh_from_db()
        large = after_change(D(2023, 10, 12))
    assert small == large


def test_kept_makings_older_than_the_lifetime_are_computed_afresh(client, campaign, office, tree,  # noqa: F811
                                                                 refreshed, monkeypatch,
                                                                 django_capture_on_commit_callbacks):
    import time

    cache.clear()
    client.force_login(office)
    board_page(client, campaign)
    study(tree["branches"][1], D(2023, 10, 12), django_capture_on_commit_callbacks)

    class Later:  # 301 s on: past the default lifetime of 300 s
        @staticmethod
        def time():
            return time.time() + 301

    monkeypatch.setattr(boardcache, "time", Later)
    with CaptureQueriesContext(connection) as log:
        client.get(reverse("plans:board", args=[campaign.pk]))
    assert any(AFRESH in q["sql"] for q in log.captured_queries)

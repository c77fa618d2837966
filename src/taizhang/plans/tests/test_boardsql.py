"""The board page computed in SQL (``plans.boardsql.shown_board``) shows exactly what the
Python reference (``rollup.limit_rows(build_board(…))``) shows — rows, cells, counts, totals,
pages — for every filter and row limit, with a query count that does not grow with the data
(issue 14 §4)."""

import datetime as dt

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from taizhang.orgs.models import OrgKind
from taizhang.orgs.tests.factories import BranchFactory, OrganizationFactory
from taizhang.plans import services
from taizhang.plans.board import build_board
from taizhang.plans.boardsql import due_soon_until, shown_board
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment
from taizhang.plans.rollup import limit_rows
from taizhang.core.workdays import workdays_until
from taizhang.records import services as records

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def general(tree):
    zz = OrganizationFactory(parent=tree["committee"], name="机关总支", code="ZZ", kind=OrgKind.GENERAL_BRANCH)
    return zz, [BranchFactory(parent=zz, name=f"总支第{n}支部", code=f"ZZ{n}") for n in range(1, 4)]


@pytest.fixture
def campaign(tree, general, seed_file, django_capture_on_commit_callbacks):
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    zz, zz_branches = general
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(tree["branches"][0], D(2023, 9, 26), "传达学习", attendance=[])
        records.create_study_session(tree["branches"][0], D(2023, 10, 10), "集中学习", attendance=[])
        records.create_study_session(zz_branches[1], D(2023, 10, 11), "集中学习", attendance=[])
    return campaign


def drill(pk):
    return f"?under={pk}"


def shape(board, page, rolled_up):
    """Everything a board page shows, as plain values."""
    rows = []
    for row in board.rows:
        cells = [None if c is None else (c.status, c.done, c.total, c.url, c.label, getattr(c, "due", None))
                 for c in row.cells]
        rows.append((row.org_id, row.org_name, row.drill_url, cells, row.counts))
    return {"items": [i.pk for i in board.items], "rows": rows, "columns": board.column_counts,
            "totals": board.totals, "pages": page and (page.number, page.paginator.num_pages),
            "rolled_up": rolled_up}


def reference(campaign, user, page=1, rollup=False, **args):
    return shape(*limit_rows(build_board(campaign, user, **args), drill, page, rollup=rollup))


def from_sql(campaign, user, page=1, rollup=False, **args):
    return shape(*shown_board(campaign, user, drill, page=page, rollup=rollup, **args))


def test_due_soon_until_agrees_with_workdays_until():
    for today in [D(2023, 9, 28), D(2023, 10, 20), D(2024, 2, 8), D(2024, 4, 3)]:
        last = due_soon_until(today)
        assert workdays_until(today, last) <= 3 < workdays_until(today, last + dt.timedelta(days=1))
    assert due_soon_until(D(2023, 10, 20)) == D(2023, 10, 25)  # Fri → Mon, Tue, Wed


@pytest.mark.parametrize("limit", [100, 4, 2, 1])
@pytest.mark.parametrize("today", [D(2023, 9, 28), D(2023, 10, 20), D(2024, 1, 29)])
def test_sql_board_equals_the_python_board(campaign, office, limit, today):
    with override_settings(TAIZHANG_BOARD_ROWS=limit):
        for args in [{}, {"month": D(2023, 9, 1)}, {"month": D(2023, 10, 1)}, {"status": "done"},
                     {"status": "overdue"}, {"status": "due_soon"}, {"responsible": "committee"},
                     {"rollup": True}, {"page": 2}, {"page": 3, "status": "not_started"}]:
            args = {**args, "today": today}
            assert from_sql(campaign, office, **args) == reference(campaign, office, **args), args


def test_sql_board_of_a_drill_down_and_of_a_branch(campaign, office, secretary_a, general):
    zz, _branches = general
    with override_settings(TAIZHANG_BOARD_ROWS=2):
        # under the general branch every row is a branch of its own: the paged, flat case
        for args in [{"under": zz}, {"under": zz, "page": 2}, {"under": zz, "status": "not_started"},
                     {"under": zz, "page": 2, "status": "due_soon", "today": D(2023, 9, 28)},
                     {"under": zz, "rollup": True}, {"section": campaign.plan.items.filter(
                parent__isnull=True).first().pk}]:
            assert from_sql(campaign, office, **args) == reference(campaign, office, **args), args
        mine = from_sql(campaign, secretary_a)
        assert mine == reference(campaign, secretary_a) and len(mine["rows"]) == 1
    rolled = from_sql(campaign, office, rollup=True, today=D(2023, 10, 20), month=D(2023, 10, 1))
    zz_row = next(r for r in rolled["rows"] if r[0] == zz.pk)
    assert zz_row[2] == f"?under={zz.pk}"
    # the study column: one of the general branch's three branches has studied in October
    assert all(c[2] == 3 for c in zz_row[3] if c)
    assert [c[:3] for c in zz_row[3] if c and c[1]] == [("overdue", 1, 3)] or any(
        c[1] == 1 for c in zz_row[3] if c)


def test_sql_board_queries_are_constant(campaign, office, general, tree):
    zz, _ = general
    with override_settings(TAIZHANG_BOARD_ROWS=3):
        shown_board(campaign, office, drill)  # the user's scope, cached for the request
        with CaptureQueriesContext(connection) as small:
            shown_board(campaign, office, drill)
        with override_settings(TAIZHANG_BOARD_ROWS=2), CaptureQueriesContext(connection) as flat_small:
            shown_board(campaign, office, drill, under=zz)  # every row a branch: paged, not rolled up
        for n in range(4, 12):
            BranchFactory(parent=zz, name=f"总支第{n}支部", code=f"ZZ{n}")
            BranchFactory(parent=tree["committee"], name=f"第{n}党支部", code=f"B{n}")
        services.publish_plan(campaign)
        with CaptureQueriesContext(connection) as large:
            board, page, _rolled = shown_board(campaign, office, drill)
        assert len(board.rows) == 3 and page.paginator.num_pages > 3
        assert len(large) == len(small) == 5  # columns, rows, aggregate, page's cells, names
        zz.refresh_from_db()  # siblings are kept sorted by name: new ones move its path
        with override_settings(TAIZHANG_BOARD_ROWS=2), CaptureQueriesContext(connection) as flat_large:
            board, page, rolled = shown_board(campaign, office, drill, under=zz)
        assert len(board.rows) == 2 and page.paginator.count == 11 and not rolled
        assert len(flat_large) == len(flat_small) == 5  # columns, rows, column counts, page, cells
    with CaptureQueriesContext(connection) as unrolled:
        board, page, _rolled = shown_board(campaign, office, drill)
    assert page is None and len(board.rows) >= 3 + 8 + 11
    assert len(unrolled) == 3  # columns, rows, the cells


# --- the cache of the computed board (plans.boardcache) ---------------------------------

def board_page(client, campaign, query=""):
    with CaptureQueriesContext(connection) as log:
        response = client.get(reverse("plans:board", args=[campaign.pk]) + query)
    assert response.status_code == 200
    computed = any("WITH occ AS" in q["sql"] for q in log.captured_queries)
    return response, computed


def tbody(response):
    html = response.content.decode()
    return html[html.index("<tbody>"):html.index("</tbody>")]


def done_periods(response, org_id):
    row = next(r for r in response.context["board"].rows if r.org_id == org_id)
    return sum(c.done for c in row.cells if c)


def test_a_record_shows_on_the_next_request_despite_the_cache(client, campaign, office, tree,
                                                              django_capture_on_commit_callbacks):
    cache.clear()
    client.force_login(office)
    branch = tree["branches"][2]
    first, computed = board_page(client, campaign)
    assert computed
    again, computed = board_page(client, campaign)
    assert not computed and tbody(again) == tbody(first)  # unchanged: from the cache
    assert again.context["board"].totals == first.context["board"].totals  # read lazily
    before = done_periods(again, branch.pk)
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(branch, D(2023, 9, 26), "传达学习", attendance=[])
    after, computed = board_page(client, campaign)
    assert computed and done_periods(after, branch.pk) == before + 1
    assert tbody(after) != tbody(first)


def test_a_changed_deadline_and_a_new_branch_show_at_once(client, campaign, office, tree):
    cache.clear()
    client.force_login(office)
    board_page(client, campaign)
    item = next(i for i in campaign.plan.items.filter(kind="task", recurrence="")
                if i.responsible == "branch" and i.due)
    item.due = item.due_workday = D(2024, 1, 5)
    item.save()
    services.publish_plan(campaign)
    response, computed = board_page(client, campaign)
    assert computed
    cells = [c for r in response.context["board"].rows for c in r.cells if c and c.url.endswith(
        f"/{Assignment.objects.get(item=item, org=tree['branches'][0]).pk}/")]
    assert [c.due for c in cells] == [D(2024, 1, 5)]
    BranchFactory(parent=tree["committee"], name="新建支部", code="NEW")
    services.publish_plan(campaign)
    response, computed = board_page(client, campaign)
    assert computed and "新建支部" in [r.org_name for r in response.context["board"].rows]


def test_the_cache_can_be_turned_off(client, campaign, office):
    client.force_login(office)
    with override_settings(TAIZHANG_BOARD_CACHE_SECONDS=0):
        assert board_page(client, campaign)[1] and board_page(client, campaign)[1]


def test_the_board_export_has_the_boards_cells_in_queries_independent_of_the_branches(
        client, campaign, office, tree, general):
    """The Excel export (``views.board_export``) builds every row from ``build_board`` (the
    reference the page's SQL is tested against above) and ``owing_by_org``: no query per
    row or cell."""
    import io

    from openpyxl import load_workbook

    zz, _ = general
    client.force_login(office)

    def export():
        with CaptureQueriesContext(connection) as log:
            response = client.get(reverse("plans:board_export", args=[campaign.pk]))
            book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
        return list(book.active.iter_rows(values_only=True)), len(log)

    rows, small = export()
    board = build_board(campaign, office)
    assert [row[0] for row in rows[1:]] == [row.org_name for row in board.rows]
    assert [row[1 + n] or None for row in rows[1:2] for n in range(len(board.items))] == [
        (f"{c.label} {c.periods}" if c.total > 1 else c.label) if c else None for c in board.rows[0].cells]
    for n in range(4, 12):
        BranchFactory(parent=zz, name=f"总支第{n}支部", code=f"ZZ{n}")
        BranchFactory(parent=tree["committee"], name=f"第{n}党支部", code=f"B{n}")
    services.publish_plan(campaign)
    rows, large = export()
    assert len(rows) - 1 == len(build_board(campaign, office).rows) >= 3 + 16
    assert large == small

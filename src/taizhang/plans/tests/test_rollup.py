"""The progress board above its row limit (issue 14 §4): one row per child organization
rolled up, drill-down into a child's board, pages of at most the limit, queries constant."""

import pytest
from django.core.cache import cache
from django.db import connection
from django.test.utils import CaptureQueriesContext, override_settings
from django.urls import reverse

from taizhang.orgs.models import OrgKind
from taizhang.orgs.tests.factories import BranchFactory, OrganizationFactory
from taizhang.plans import services
from taizhang.plans.board import build_board
from taizhang.plans.importer import parse_file
from taizhang.plans.rollup import MAX_ROWS, common_root, limit_rows, roll_up, rows_limit

pytestmark = pytest.mark.django_db


@pytest.fixture
def general(tree):
    """A general branch ZZ under the committee with three branches of its own."""
    zz = OrganizationFactory(parent=tree["committee"], name="机关总支", code="ZZ", kind=OrgKind.GENERAL_BRANCH)
    branches = [BranchFactory(parent=zz, name=f"总支第{n}支部", code=f"ZZ{n}") for n in range(1, 4)]
    return zz, branches


@pytest.fixture
def campaign(tree, general, seed_file):
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    return campaign


def page_rows(client, campaign, query=""):
    response = client.get(reverse("plans:board", args=[campaign.pk]) + query)
    assert response.status_code == 200
    return response, [(row.org_name, row.drill_url) for row in response.context["board"].rows]


def test_rows_limit_setting_is_bounded():
    assert rows_limit() == 100
    with override_settings(TAIZHANG_BOARD_ROWS=5000):
        assert rows_limit() == MAX_ROWS == 200
    with override_settings(TAIZHANG_BOARD_ROWS=7):
        assert rows_limit() == 7


def test_board_rolls_up_per_child_organization_above_the_limit(client, campaign, office, general):
    zz, zz_branches = general
    client.force_login(office)
    _response, full = page_rows(client, campaign)
    assert len(full) == 6 and not any(url for _n, url in full)  # 3 + 3 branches: under the limit
    with override_settings(TAIZHANG_BOARD_ROWS=4):
        response, rows = page_rows(client, campaign)
        names = [name for name, _url in rows]
        assert names == ["第1党支部", "第2党支部", "第3党支部", "机关总支"]
        assert rows[3][1].endswith(f"under={zz.pk}") and response.context["page"] is None
        board = response.context["board"]
        zz_row = board.rows[3]
        column = next(n for n, c in enumerate(zz_row.cells) if c is not None)
        branch_cells = [r.cells[column] for r in build_board(campaign, office, under=zz).rows if r.cells[column]]
        rolled = zz_row.cells[column]
        assert rolled.total == len(branch_cells) == 3
        assert rolled.done == sum(c.status == "done" for c in branch_cells)
        assert zz_row.counts["overdue"] == sum(
            r.counts["overdue"] for r in build_board(campaign, office, under=zz).rows)
        html = response.content.decode()
        assert f'data-drill="?under={zz.pk}"' in html and "按下级组织汇总" in html
        # the drill-down: the general branch's own branches, each its own row
        _response, inside = page_rows(client, campaign, f"?under={zz.pk}")
        assert [name for name, _url in inside] == [b.name for b in zz_branches]
        # totals stay those of the whole board
        assert response.context["board"].totals == build_board(campaign, office).totals


def test_board_pages_what_stays_above_the_limit(client, campaign, office):
    client.force_login(office)
    with override_settings(TAIZHANG_BOARD_ROWS=2):
        first, rows1 = page_rows(client, campaign)
        assert len(rows1) == 2 and first.context["page"].paginator.num_pages == 2
        _second, rows2 = page_rows(client, campaign, "?page=2")
        assert len(rows2) == 2 and not set(rows1) & set(rows2)
        assert 'id="board-pages"' in first.content.decode()


def test_drill_down_outside_the_users_organizations_is_404(client, campaign, secretary_a, general):
    zz, _branches = general
    client.force_login(secretary_a)
    response = client.get(reverse("plans:board", args=[campaign.pk]) + f"?under={zz.pk}")
    assert response.status_code == 404


def test_roll_up_of_a_city_over_units_gives_one_row_per_unit(tree, campaign, office, general):
    """A superior over unit committees (issue 12): the deepest common organization's
    children, whatever their kind."""
    board = build_board(campaign, office)
    assert common_root(board.rows) == tree["committee"].path
    rolled = roll_up(board, lambda pk: f"?under={pk}")
    assert [r.org_name for r in rolled.rows] == ["第1党支部", "第2党支部", "第3党支部", "机关总支"]
    shown, page, rolled_up = limit_rows(board, lambda pk: "", 1)
    assert page is None and not rolled_up and len(shown.rows) == 6


def test_board_queries_do_not_grow_with_organizations(client, tree, general, seed_file, office):
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    client.force_login(office)
    url = reverse("plans:board", args=[campaign.pk])
    with override_settings(TAIZHANG_BOARD_ROWS=3):
        client.get(url)
        cache.clear()  # the computed board, not the cached one (plans.boardcache)
        with CaptureQueriesContext(connection) as small:
            client.get(url)
        zz, _ = general
        for n in range(4, 9):
            BranchFactory(parent=zz, name=f"总支第{n}支部", code=f"ZZ{n}")
        services.publish_plan(campaign)
        cache.clear()
        with CaptureQueriesContext(connection) as large:
            response = client.get(url)
        assert len(response.context["board"].rows) <= 3
        assert len(large) == len(small)



def test_rollup_on_request_below_the_limit(client, campaign, office, general):
    zz, _branches = general
    client.force_login(office)
    response, rows = page_rows(client, campaign, "?rollup=1")
    assert [name for name, _url in rows] == ["第1党支部", "第2党支部", "第3党支部", "机关总支"]
    assert rows[3][1] == f"?under={zz.pk}"  # the drill-down does not roll up again
    _response, inside = page_rows(client, campaign, f"?rollup=1&under={zz.pk}")
    assert len(inside) == 3

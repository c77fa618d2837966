"""The board's filters and export, and the dashboard's figures."""

import datetime as dt
import io
import re

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.plans import services
from taizhang.plans.board import build_board
from taizhang.plans.dashboard import completion
from taizhang.plans.importer import parse_file
from taizhang.plans.models import PlanItem
from taizhang.records import services as records

D = dt.date
TODAY = D(2023, 10, 20)


@pytest.fixture
def campaign(tree, seed_file, django_capture_on_commit_callbacks):
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        # Branch 1 studied in September and October; branch 2 in October only.
        records.create_study_session(tree["branches"][0], D(2023, 9, 26), "传达学习", attendance=[])
        records.create_study_session(tree["branches"][0], D(2023, 10, 10), "集中学习", attendance=[])
        records.create_study_session(tree["branches"][1], D(2023, 10, 11), "集中学习", attendance=[])
    return campaign


def refs(board):
    return [item.ref for item in board.items]


def test_month_filter_shows_that_months_period(campaign, office):
    board = build_board(campaign, office, today=TODAY, month=D(2023, 9, 1))
    # September: the recurring tasks and 三.1 / 三.2（1） due 09-30; not 三.3 … (due 2024-01-31).
    assert refs(board) == ["三.1", "三.2（1）", "三.2（3）"]
    study = refs(board).index("三.2（3）")
    assert [row.cells[study].status for row in board.rows] == ["done", "overdue", "overdue"]
    october = build_board(campaign, office, today=TODAY, month=D(2023, 10, 1))
    assert [row.cells[refs(october).index("三.2（3）")].status for row in october.rows] == [
        "done", "done", "not_started"]


def test_section_and_status_filters(campaign, office):
    section = PlanItem.objects.get(plan=campaign.plan, ref="二")
    committee = build_board(campaign, office, responsible="committee", today=TODAY, section=section.pk)
    assert refs(committee)[:3] == ["二.1", "二.2", "二.3"] and len(committee.items) == 14
    done_rows = build_board(campaign, office, today=TODAY, status="done")
    # 三.1 is due 09-30: branch 2's study of 10-11 is late and does not complete it on time.
    assert [row.org_name for row in done_rows.rows] == ["第1党支部"]


def test_export_has_the_boards_cells(client, campaign, office):
    client.force_login(office)
    response = client.get(reverse("plans:board_export", args=[campaign.pk]) + "?month=2023-09")
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][:4] == ("党组织", "三.1 进行传达部署", "三.2（1） 各党支部需单独制定学习计划",
                           "三.2（3） 每月至少安排1天时间进行集中学习")
    assert [r[0] for r in rows[1:]] == ["第1党支部", "第2党支部", "第3党支部"]
    assert rows[1][3] == "已完成"


def test_dashboard_counts(client, campaign, office, secretary_b):
    figures = completion(campaign, office)
    by_name = {o["name"]: (o["done"], o["total"]) for o in figures["orgs"]}
    # Branch 1: 三.1 + Sep and Oct of 三.2（3）; branch 2: October only (its study of 10-11 is
    # late for 三.1, due 09-30). 6 single tasks + 10 periods.
    assert by_name["第1党支部"] == (3, 16) and by_name["第2党支部"] == (1, 16)
    months = {m["month"]: (m["done"], m["total"]) for m in figures["months"]}
    assert months["2023-10"] == (2, 6 + 1)  # 2 × 3 branches periods + the committee's 二.3
    assert [o["name"] for o in completion(campaign, secretary_b)["orgs"]] == ["第2党支部"]
    client.force_login(office)
    page = client.get(reverse("plans:dashboard", args=[campaign.pk])).content.decode()
    assert 'id="figures"' in page and "echarts.min.js" in page


def test_cells_never_add_up_different_requirements(client, campaign, office):
    """Issue 15 §2: a one-off task's cell read "5/19", the sum of different rules' counts
    (records, members, leaders). It shows its status; a recurring task's cell counts periods
    and says so ("1/5期")."""
    board = build_board(campaign, office, today=TODAY)
    one_off = [c for row in board.rows for c, item in zip(row.cells, board.items, strict=True)
               if c and not item.recurrence]
    assert one_off and all(c.total == 0 and c.periods == "" for c in one_off)
    study = refs(board).index("三.2（3）")
    cell = board.rows[0].cells[study]
    assert (cell.done, cell.total) == (2, 5) and cell.periods == "2/5期"
    client.force_login(office)
    html = client.get(reverse("plans:board", args=[campaign.pk])).content.decode()
    assert ">2/5期<" in html
    assert not re.search(r">\d+/\d+<", html)


def test_a_filter_matching_nothing_says_so_and_offers_clearing_it(client, campaign, office):
    """A new user filtered on 已退回 and read 暂无任务分解（发布任务清单后…） on a published plan."""
    client.force_login(office)
    url = reverse("plans:board", args=[campaign.pk])
    html = client.get(url, {"level": "branch", "status": "returned"}).content.decode()
    assert "暂无任务分解" not in html
    empty = re.search(r'<div class="alert alert-info" id="board-empty-filter">(.*?)</div>', html, re.S)
    assert empty and "没有符合筛选条件的任务" in empty.group(1)
    assert 'href="?level=branch"' in empty.group(1) and "清除筛选" in empty.group(1)

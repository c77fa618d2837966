"""The superior's approval of a unit's leadership problem list counts (issue 12 §1; seed 四.2):
the city's roll-up shows each unit's review status, and the problem list and ledger exports of
a unit whose list is not approved carry the mark 未经上级审核 (marked, never refused)."""

import datetime as dt
import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from docx import Document

from taizhang.orgs.models import Organization
from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory, UserFactory, grant
from taizhang.rectification import listreview, services
from taizhang.rectification.models import Problem
from taizhang.rectification.rollup import unit_rollup


@pytest.fixture
def units(db):
    city = CommitteeFactory(code="SW", name="某某市委")
    dw = CommitteeFactory(parent=city, code="DW", name="某某局机关党委", kind="committee")
    xw = CommitteeFactory(parent=city, code="XW", name="某某中心党委", kind="committee")
    own = BranchFactory(parent=city, code="SZ01", name="市委机关支部")
    zb01 = BranchFactory(parent=dw, code="ZB01")
    offices = {}
    for name, org in (("shiwei", city), ("danwei", dw), ("danwei2", xw)):
        offices[name] = UserFactory(username=name)
        grant(offices[name], org, "committee_staff")
    for org in (dw, xw):
        services.create_problem(org=org, source="民主生活会", description=f"{org.code}班子问题",
                                level="leadership")
    problem = services.create_problem(org=zb01, source="巡视巡察", description="ZB01问题")
    services.add_measure(problem, measure="整改措施一", deadline=dt.date(2030, 1, 10))
    # re-read: the tree is ordered by code, so adding SZ01 moved XW's path
    orgs = {o.code: o for o in Organization.objects.filter(pk__in=[city.pk, dw.pk, xw.pk, own.pk])}
    return {**orgs, **offices}


def reviews(rows):
    return {r.org.code: (r.review, r.review_label) for r in rows}


def test_rollup_shows_each_units_review_status(units, client):
    dw, xw = units["DW"], units["XW"]
    rows, _total = unit_rollup(units["SW"])
    assert reviews(rows) == {"DW": ("", "未报审"), "SZ01": (None, ""), "XW": ("", "未报审")}
    listreview.submit(dw, actor=units["danwei"])
    listreview.submit(xw, actor=units["danwei2"])
    assert reviews(unit_rollup(units["SW"])[0])["DW"] == ("submitted", "待审核")
    listreview.review(dw, "approve", actor=units["shiwei"])
    listreview.review(xw, "return", actor=units["shiwei"], comment="查摆不具体")
    assert reviews(unit_rollup(units["SW"])[0]) == {
        "DW": ("approved", "已审核"), "SZ01": (None, ""), "XW": ("returned", "已退回")}
    services.create_problem(org=dw, source="民主生活会", description="新增班子问题", level="leadership")
    assert reviews(unit_rollup(units["SW"])[0])["DW"] == ("changed", "审核后已修改")
    # the page: a column with each unit's status
    client.force_login(units["shiwei"])
    body = client.get(reverse("rectification:ledger")).content.decode()
    table = body.split('id="unit-rollup"')[1].split("</table>")[0]
    assert "班子问题清单上级审核" in table
    dw_row = table.split('data-unit="DW"')[1].split("</tr>")[0]
    xw_row = table.split('data-unit="XW"')[1].split("</tr>")[0]
    assert 'data-review="changed"' in dw_row and "审核后已修改" in dw_row
    assert 'data-review="returned"' in xw_row and "已退回" in xw_row


def test_rollup_review_statuses_take_constant_queries(units):
    listreview.submit(units["DW"], actor=units["danwei"])
    listreview.review(units["DW"], "approve", actor=units["shiwei"])
    with CaptureQueriesContext(connection) as small:
        unit_rollup(units["SW"])
    for i in range(4):
        unit = CommitteeFactory(parent=units["SW"], kind="committee", code=f"U{i}")
        services.create_problem(org=unit, source="民主生活会", description=f"U{i}", level="leadership")
        office = UserFactory(username=f"u{i}")
        grant(office, unit, "committee_staff")
        listreview.submit(unit, actor=office)
    with CaptureQueriesContext(connection) as large:
        rows, _total = unit_rollup(units["SW"])
    assert len(small) == len(large) == 5
    assert [r.review for r in rows if r.org.code.startswith("U")] == ["submitted"] * 4


def _xlsx_title(response) -> str:
    content = b"".join(response.streaming_content)
    return openpyxl.load_workbook(io.BytesIO(content)).active["A1"].value


def test_ledger_exports_of_a_unit_not_approved_are_marked(units, client):
    client.force_login(units["danwei"])
    response = client.get(reverse("rectification:export_xlsx"))
    assert response.status_code == 200
    assert _xlsx_title(response) == "问题整改台账（未经上级审核）"
    assert "%EF%BC%88%E6%9C%AA%E7%BB%8F" in response["Content-Disposition"]  # （未经 in the name
    docx = client.get(reverse("rectification:export_docx"))
    heading = Document(io.BytesIO(b"".join(docx.streaming_content))).paragraphs[0].text
    assert heading == "整改清单（未经上级审核）"
    csv = client.get(reverse("rectification:export_csv"))
    assert "%E6%9C%AA%E7%BB%8F%E4%B8%8A%E7%BA%A7%E5%AE%A1%E6%A0%B8" in csv["Content-Disposition"]
    # once approved: no mark
    listreview.submit(units["DW"], actor=units["danwei"])
    listreview.review(units["DW"], "approve", actor=units["shiwei"])
    assert _xlsx_title(client.get(reverse("rectification:export_xlsx"))) == "问题整改台账"
    # the city's own export (no superior) is never marked; its export of DW follows DW's review
    client.force_login(units["shiwei"])
    assert _xlsx_title(client.get(reverse("rectification:export_xlsx"))) == "问题整改台账"
    services.update_problem(Problem.objects.get(description="DW班子问题"), description="DW班子问题（修改）")
    url = reverse("rectification:export_xlsx") + f"?org={units['DW'].pk}"
    assert _xlsx_title(client.get(url)) == "问题整改台账（未经上级审核）"


def test_problems_report_of_a_unit_not_approved_is_marked(units):
    from taizhang.reports.builders import problems
    from taizhang.reports.builders.common import Params
    from taizhang.reports.generate import render_docx
    from taizhang.reports.kinds import get_kind

    dw = units["DW"]
    params = Params(org=dw, user=units["danwei"])
    assert problems.build(params)["review_mark"] == "（未经上级审核）"
    title = Document(io.BytesIO(render_docx(get_kind("problems"), params))).paragraphs[0].text
    assert title == "某某局机关党委问题清单（未经上级审核）"
    # no org given: the user's own unit
    assert problems.build(Params(user=units["danwei"]))["review_mark"] == "（未经上级审核）"
    listreview.submit(dw, actor=units["danwei"])
    listreview.review(dw, "approve", actor=units["shiwei"])
    title = Document(io.BytesIO(render_docx(get_kind("problems"), params))).paragraphs[0].text
    assert title == "某某局机关党委问题清单"
    # the city (no superior) and a branch are never marked
    assert problems.build(Params(org=units["SW"], user=units["shiwei"]))["review_mark"] == ""
    assert problems.build(Params(org=units["SZ01"], user=units["shiwei"]))["review_mark"] == ""

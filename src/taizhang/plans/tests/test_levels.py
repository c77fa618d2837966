"""Plans over several levels (issue 12 §1): a city committee's plan reaches every committee
and branch below it; a unit derives its own plan (more tasks, earlier deadlines, never later),
the city reviews it (every round kept) and only then may the unit publish it."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.management import call_command
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.orgs.models import Organization, OrgKind
from taizhang.plans import levels, services
from taizhang.plans.forms import ItemEditForm
from taizhang.plans.models import (
    Assignment,
    Campaign,
    PlanItem,
    PlanReview,
    ReviewStatus,
)

from .conftest import user_with_role

D = dt.date


def city_tree() -> dict:
    """City ``SW`` over units ``DW`` (branches ZB01, ZB02) and ``XW`` (branch XZ01)."""
    tree = Organization.objects
    city = tree.add_root({"code": "SW", "name": "市委", "kind": OrgKind.COMMITTEE})
    dw = tree.add_child(city, {"code": "DW", "name": "局党委", "kind": OrgKind.COMMITTEE})
    xw = tree.add_child(city, {"code": "XW", "name": "中心党委", "kind": OrgKind.COMMITTEE})
    branches = [tree.add_child(dw, {"code": f"ZB0{n}", "name": f"第{n}支部", "kind": OrgKind.BRANCH})
                for n in (1, 2)]
    branches.append(tree.add_child(xw, {"code": "XZ01", "name": "综合支部", "kind": OrgKind.BRANCH}))
    return {"city": city, "dw": dw, "xw": xw, "branches": branches}


def plan_data() -> dict:
    """A two-section plan: 二.1 for committees (due 2023-11-30), 三.1 for branches (due
    2023-12-29), 三.2 monthly for branches."""
    return {
        "title": "主题教育任务清单", "period": {"start": "2023-09-01", "end": "2024-01-31"},
        "items": [
            {"kind": "section", "label": "二、", "title": "党委任务", "lines": [1, 2], "children": [
                {"kind": "task", "label": "1.", "title": "制定实施方案", "responsible": "committee",
                 "due": "2023-11-30", "lines": [2, 2], "children": []}]},
            {"kind": "section", "label": "三、", "title": "支部任务", "lines": [3, 5], "children": [
                {"kind": "task", "label": "1.", "title": "开展专题学习", "responsible": "branch",
                 "due": "2023-12-29", "lines": [4, 4], "children": []},
                {"kind": "task", "label": "2.", "title": "每月主题党日", "responsible": "branch",
                 "recurrence": "FREQ=MONTHLY", "lines": [5, 5], "children": []}]},
        ],
    }


@pytest.fixture
def city(db):
    t = city_tree()
    t["city_office"] = user_with_role("city_office", t["city"], "committee_staff")
    t["dw_office"] = user_with_role("dw_office", t["dw"], "committee_staff")
    t["xw_office"] = user_with_role("xw_office", t["xw"], "committee_staff")
    t["campaign"] = services.save_draft(plan_data(), t["city"])
    services.publish_plan(t["campaign"])
    return t


def test_city_plan_reaches_every_committee_and_branch(city):
    rows = set(Assignment.objects.filter(item__plan=city["campaign"].plan)
               .values_list("item__ref", "org__code"))
    assert rows == {("二.1", "SW"), ("二.1", "DW"), ("二.1", "XW"),
                    ("三.1", "ZB01"), ("三.1", "ZB02"), ("三.1", "XZ01"),
                    ("三.2", "ZB01"), ("三.2", "ZB02"), ("三.2", "XZ01")}
    # the unit committee sees its own 二.1 assignment, not the other unit's
    visible = Assignment.objects.visible_to(city["dw_office"]).filter(item__ref="二.1")
    assert [a.org.code for a in visible] == ["DW"]


def test_derive_copies_the_plan_with_links_and_rules(city):
    superior = city["campaign"]
    assert [o.code for o in levels.derivable_orgs(superior, city["dw_office"])] == ["DW"]
    assert levels.derivable_orgs(superior, city["city_office"]) == [city["dw"], city["xw"]]
    unit = levels.derive_plan(superior, city["dw"], actor=city["dw_office"])
    assert (unit.org, unit.derived_from, unit.status, unit.review_status) == (
        city["dw"], superior, "draft", ReviewStatus.DRAFT)
    copied = list(unit.plan.items.order_by("line_first", "position"))
    assert [(i.ref, i.source_item.ref, i.due) for i in copied] == [
        ("二", "二", None), ("二.1", "二.1", D(2023, 11, 30)), ("三", "三", None),
        ("三.1", "三.1", D(2023, 12, 29)), ("三.2", "三.2", None)]
    assert copied[1].parent == copied[0]
    source_rules = [r.record_kind for r in PlanItem.objects.get(plan=superior.plan, ref="三.2").rules.all()]
    assert [r.record_kind for r in copied[4].rules.all()] == source_rules
    assert Event.objects.filter(verb="derive", object_id=unit.pk).count() == 1
    assert levels.derivable_orgs(superior, city["dw_office"]) == []
    with pytest.raises(ValidationError, match="已从该清单分解过"):
        levels.derive_plan(superior, city["dw"], actor=city["dw_office"])
    with pytest.raises(PermissionDenied):
        levels.derive_plan(superior, city["xw"], actor=city["dw_office"])


def test_deadlines_may_be_earlier_never_later(city):
    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    item = unit.plan.items.get(ref="三.1")
    data = {"title": item.title, "kind": "task", "responsible": "branch", "recurrence": "", "text": ""}
    late = ItemEditForm({**data, "due": "2024-01-05"}, instance=item)
    assert not late.is_valid()
    assert "完成时限不能晚于上级清单的 2023-12-29。" in str(late.errors)
    assert not ItemEditForm({**data, "due": "2023-12-01", "ongoing": "on"}, instance=item).is_valid()
    assert ItemEditForm({**data, "due": "2023-12-15"}, instance=item).is_valid()
    # an added task under 二 is bounded by nothing (二 has no deadline); under 三.1 by 2023-12-29
    section = unit.plan.items.get(ref="三")
    added = levels.add_item(unit.plan, {"parent": section, "title": "本单位增加：读书班",
                                        "responsible": "branch", "due": D(2023, 10, 31)},
                            actor=city["dw_office"])
    assert (added.ref, added.label, added.source_item, added.kind) == ("三.3", "3.", None, "task")
    with pytest.raises(ValidationError, match="不能晚于上级清单的 2023-12-29"):
        levels.add_item(unit.plan, {"parent": item, "title": "子任务", "responsible": "branch",
                                    "due": D(2024, 1, 10)}, actor=city["dw_office"])
    with pytest.raises(PermissionDenied):
        levels.add_item(unit.plan, {"parent": None, "title": "x"}, actor=city["xw_office"])


def test_review_rounds_and_publishing_only_once_approved(city):
    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    with pytest.raises(ValidationError, match="须经上级审核通过"):
        services.publish_plan(unit)
    levels.submit_for_review(unit, actor=city["dw_office"])
    with pytest.raises(PermissionDenied):  # the unit cannot approve its own plan
        levels.review_plan(unit, "approve", actor=city["dw_office"])
    with pytest.raises(ValidationError, match="已报审"):
        levels.submit_for_review(unit, actor=city["dw_office"])
    with pytest.raises(ValidationError, match="请填写修改意见"):
        levels.review_plan(unit, "return", actor=city["city_office"])
    levels.review_plan(unit, "return", actor=city["city_office"], comment="二.1 时限请提前")
    unit.refresh_from_db()
    assert unit.review_status == ReviewStatus.RETURNED
    levels.submit_for_review(unit, actor=city["dw_office"], comment="已修改")
    levels.review_plan(unit, "approve", actor=city["city_office"])
    assert list(PlanReview.objects.filter(campaign=unit).values_list("round", "action", "comment")) == [
        (1, "submit", ""), (1, "return", "二.1 时限请提前"), (2, "submit", "已修改"), (2, "approve", "")]
    result = services.publish_plan(unit)
    # the unit's own plan reaches its committee and its two branches only
    assert result.assignments_created == 1 + 2 + 2
    assert set(Assignment.objects.filter(item__plan=unit.plan).values_list("org__code", flat=True)) == {
        "DW", "ZB01", "ZB02"}
    # a change after approval sends it back to review
    levels.add_item(unit.plan, {"parent": None, "title": "新增", "responsible": "committee"},
                    actor=city["dw_office"])
    unit.refresh_from_db()
    assert unit.review_status == ReviewStatus.DRAFT
    changes = levels.changes(unit)
    assert [i.title for i in changes["added"]] == ["新增"]


def test_review_page_for_unit_and_city(city, client):
    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    url = reverse("plans:plan_review", args=[unit.pk])
    client.force_login(city["dw_office"])
    page = client.get(url).content.decode()
    assert 'id="submit-review"' in page and 'id="approve"' not in page
    client.post(url, {"action": "submit", "comment": "请审核"})
    client.force_login(city["xw_office"])
    assert client.get(url).status_code == 404  # the other unit does not see it
    client.force_login(city["city_office"])
    detail = client.get(city["campaign"].get_absolute_url()).content.decode()
    assert 'id="derived-plans"' in detail and "局党委" in detail and "待上级审核" in detail
    page = client.get(url).content.decode()
    assert 'id="approve"' in page and "请审核" in page
    response = client.post(url, {"action": "approve"})
    assert response.status_code == 302
    unit.refresh_from_db()
    assert unit.review_status == ReviewStatus.APPROVED


def test_derive_and_add_pages(city, client):
    client.force_login(city["dw_office"])
    detail = client.get(city["campaign"].get_absolute_url()).content.decode()
    assert 'id="derive"' in detail
    response = client.post(reverse("plans:derive", args=[city["campaign"].pk]), {"org": city["dw"].pk})
    unit = Campaign.objects.get(derived_from=city["campaign"])
    assert response.url == unit.get_absolute_url()
    # the other unit's office cannot derive for DW
    client.force_login(city["xw_office"])
    assert client.post(reverse("plans:derive", args=[city["campaign"].pk]),
                       {"org": city["dw"].pk}).status_code == 404
    client.force_login(city["dw_office"])
    add = reverse("plans:item_add", args=[unit.pk])
    assert client.get(add).status_code == 200
    parent = unit.plan.items.get(ref="三.1")
    response = client.post(add, {"parent": parent.pk, "title": "晚了", "responsible": "branch",
                                 "due": "2024-01-20"})
    assert "完成时限不能晚于上级清单的 2023-12-29。" in response.content.decode()
    response = client.post(add, {"parent": parent.pk, "title": "按时", "responsible": "branch",
                                 "due": "2023-12-20"})
    assert response.status_code == 302
    assert unit.plan.items.filter(title="按时", source_item=None).count() == 1
    client.force_login(city["xw_office"])
    assert client.get(add).status_code == 404


def test_cli_with_the_city_of_the_sample(db, seed_file):
    """issue 12 §1: ``import_plan SEED --save --org SW`` and ``publish_plan`` with the sample."""
    out = io.StringIO()
    call_command("load_sample", stdout=out)
    out = io.StringIO()
    call_command("import_plan", str(seed_file), "--save", "--org", "SW", stdout=out)
    campaign = Campaign.objects.get(pk=int(out.getvalue().strip()))
    assert campaign.org.code == "SW"
    out = io.StringIO()
    call_command("publish_plan", str(campaign.pk), stdout=out)
    orgs = set(Assignment.objects.filter(item__plan=campaign.plan, item__ref__startswith="二.")
               .values_list("org__code", flat=True))
    assert orgs == {"SW", "DW", "XW"}
    branches = set(Assignment.objects.filter(item__plan=campaign.plan, item__ref__startswith="三.")
                   .values_list("org__code", flat=True))
    assert branches == {"ZB01", "ZB02", "ZB03", "ZB04", "ZB05", "ZB06", "XZ01", "XZ02"}


def test_superior_sees_each_unit_and_units_not_each_other(city, client):
    """The scope walk's world has one committee; here the city's view of each unit: every
    page of each unit's derived plan opens for the city, and not for the other unit."""
    plans = {}
    for org, office in ((city["dw"], city["dw_office"]), (city["xw"], city["xw_office"])):
        unit = levels.derive_plan(city["campaign"], org, actor=office)
        levels.submit_for_review(unit, actor=office)
        levels.review_plan(unit, "approve", actor=city["city_office"])
        services.publish_plan(unit)
        plans[org.code] = unit
    names = ["plans:campaign_detail", "plans:plan_review", "plans:board", "plans:dashboard",
             "plans:board_export", "plans:item_add", "plans:campaign_publish"]
    for code, unit in plans.items():
        other = city["xw_office"] if code == "DW" else city["dw_office"]
        own = city["dw_office"] if code == "DW" else city["xw_office"]
        for name in names:
            url = reverse(name, args=[unit.pk])
            client.force_login(city["city_office"])
            assert client.get(url).status_code == 200, (code, name)
            client.force_login(own)
            assert client.get(url).status_code == 200, (code, name)
            client.force_login(other)
            assert client.get(url).status_code == 404, (code, name)
    client.force_login(city["city_office"])
    detail = client.get(city["campaign"].get_absolute_url()).content.decode()
    units = detail.split('id="derived-plans"')[1].split("</table>")[0]
    assert "局党委" in units and "中心党委" in units and units.count("上级已审核") == 2

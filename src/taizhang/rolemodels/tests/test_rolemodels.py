"""The role models app: nomination rules, status moves, objections, evidence on the plan
(二.11 / 三.5), pages, Excel ledger, API and publicity page."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.core.status import IllegalTransition, events_for
from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant
from taizhang.plans.models import Assignment, Campaign, EvidenceRule, ItemKind, Plan, PlanItem, Responsible
from taizhang.plans import evidence as plan_evidence
from taizhang.rolemodels import services
from taizhang.rolemodels.models import Objection, RoleModel

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tree():
    t = build_tree(branches=2, groups=1)
    a, b = t["branches"]
    secretary, office = UserFactory(username="sec_rm"), UserFactory(username="office_rm")
    grant(secretary, a, "branch_secretary")
    grant(office, t["committee"], "committee_staff")
    return {"committee": t["committee"], "a": a, "b": b, "group": t["groups"][a.code][0],
            "secretary": secretary, "office": office,
            "zhang": MemberFactory(org=a, name="张三"), "wang": MemberFactory(org=b, name="王五")}


def nominate(org, member=None, day=D(2023, 11, 10), **kw):
    data = {"org": org, "deeds": "扎根一线，服务群众", "nominated_on": day, **kw}
    if member is not None:
        data["member"] = member
    else:
        data.setdefault("kind", "collective")
        data.setdefault("collective", "党员志愿服务队")
    return services.nominate(data)


def test_nomination_rules(tree):
    with pytest.raises(ValidationError) as exc:
        nominate(tree["a"], tree["wang"])
    assert exc.value.message_dict == {"member": ["该党员不属于推荐组织"]}
    with pytest.raises(ValidationError) as exc:
        nominate(tree["a"], collective="")
    assert exc.value.message_dict == {"collective": ["请填写先进集体名称"]}
    with pytest.raises(ValidationError) as exc:
        nominate(tree["a"], tree["zhang"], day=D(2999, 1, 1))
    assert exc.value.message_dict == {"nominated_on": ["推荐日期不能晚于今天"]}
    model = nominate(tree["a"], tree["zhang"])
    # The branch's nomination goes to its committee; the committee may nominate a branch's member.
    assert (model.selector, model.status, model.name) == (tree["committee"], "nominated", "张三")
    assert nominate(tree["committee"], tree["wang"]).selector == tree["committee"]
    with pytest.raises(PermissionDenied):
        services.nominate({"org": tree["b"], "member": tree["wang"], "deeds": "x", "nominated_on": D(2023, 11, 1)},
                          actor=tree["secretary"])


def test_status_moves_and_illegal_moves(tree):
    model = nominate(tree["a"], tree["zhang"])
    with pytest.raises(IllegalTransition):
        services.move(model, "announce")
    with pytest.raises(PermissionDenied):  # a branch does not select
        services.move(model, "select", actor=tree["secretary"])
    with pytest.raises(ValidationError):  # a return needs its reason
        services.move(model, "return_for_revision", actor=tree["office"])
    services.move(model, "return_for_revision", actor=tree["office"], comment="事迹不够具体")
    assert (model.status, model.reason) == ("returned", "事迹不够具体")
    services.save_role_model(model, actor=tree["secretary"])  # revised while returned
    services.move(model, "resubmit", actor=tree["secretary"])
    services.move(model, "select", actor=tree["office"], on=D(2023, 12, 1))
    with pytest.raises(ValidationError):  # the nomination is the committee's record now
        services.save_role_model(model, actor=tree["secretary"])
    with pytest.raises(ValidationError):
        services.move(model, "publicise", actor=tree["office"], start=D(2023, 12, 8), end=D(2023, 12, 4))
    services.move(model, "publicise", actor=tree["office"], start=D(2023, 12, 4), end=D(2023, 12, 8))
    objection = services.add_objection(model, actor=tree["office"], text="反映其考勤情况", received_on=D(2023, 12, 5))
    with pytest.raises(ValidationError) as exc:
        services.move(model, "announce", actor=tree["office"], on=D(2023, 12, 6))
    assert "期满后方可公布" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        services.move(model, "announce", actor=tree["office"], on=D(2023, 12, 11))
    assert "未处理的公示异议" in str(exc.value)
    services.handle_objection(objection, actor=tree["office"], handling="经核查，考勤记录完整，异议不成立")
    services.move(model, "announce", actor=tree["office"], on=D(2023, 12, 11))
    model.refresh_from_db()
    assert (model.status, model.announced_on) == ("announced", D(2023, 12, 11))
    assert [e.verb for e in events_for(model)] == [
        "return_for_revision", "resubmit", "select", "publicise", "announce"]
    assert Objection.objects.get().org == tree["committee"]
    with pytest.raises(ValidationError):
        services.delete_role_model(model)


def _campaign(tree):
    campaign = Campaign.objects.create(org=tree["committee"], title="主题教育", status="published",
                                       start=D(2023, 9, 1), end=D(2024, 1, 31))
    plan = Plan.objects.create(campaign=campaign)
    items = {}
    for ref, responsible, org in (("二.11", Responsible.COMMITTEE, tree["committee"]),
                                  ("三.5", Responsible.BRANCH, tree["a"])):
        item = PlanItem.objects.create(plan=plan, kind=ItemKind.TASK, ref=ref, title="开展学习身边榜样活动",
                                       responsible=responsible, evidence="role_model")
        EvidenceRule.objects.create(item=item, record_kind="role_model")
        items[ref] = Assignment.objects.create(item=item, org=org, due=D(2024, 1, 31))
    plan_evidence.evaluate_campaign(campaign)
    return campaign, items


def _status(assignment):
    assignment.refresh_from_db()
    return assignment.status, assignment.evidence_count, assignment.evidence_needed


def test_a_branch_nomination_completes_3_5_and_the_committee_publicity_2_11(
        tree, django_capture_on_commit_callbacks):
    campaign, items = _campaign(tree)
    assert _status(items["三.5"]) == ("pending", 0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        model = nominate(tree["group"], tree["zhang"], campaign=campaign)  # a Party group's counts for its branch
    assert _status(items["三.5"]) == ("done", 1, 1)
    assert _status(items["二.11"]) == ("pending", 0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(model, "select", actor=tree["office"], on=D(2023, 12, 1))
    assert _status(items["二.11"]) == ("pending", 0, 1)  # selected, not yet publicised
    with django_capture_on_commit_callbacks(execute=True):
        services.move(model, "publicise", actor=tree["office"], start=D(2023, 12, 4), end=D(2023, 12, 8))
    assert _status(items["二.11"]) == ("done", 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.move(model, "reject", actor=tree["office"], comment="公示期间异议经核查属实")
    assert _status(items["二.11"]) == ("pending", 0, 1)
    assert _status(items["三.5"]) == ("done", 1, 1)  # the branch did nominate
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_role_model(model)
    assert _status(items["三.5"]) == ("pending", 0, 1)


def test_pages_moves_and_constant_queries(client, tree):
    client.force_login(tree["secretary"])
    nominate(tree["b"], tree["wang"])
    data = {"org": tree["a"].pk, "kind": "member", "member": tree["zhang"].pk, "title": "身边榜样",
            "deeds": "带头攻坚", "nominated_on": "2023-11-10"}
    response = client.post(reverse("rolemodels:rolemodel_add"), {**data, "member": tree["wang"].pk})
    assert response.status_code == 200 and not RoleModel.objects.filter(org=tree["a"]).exists()  # B's member
    response = client.post(reverse("rolemodels:rolemodel_add"), data)
    model = RoleModel.objects.get(org=tree["a"])
    assert response.url == reverse("rolemodels:rolemodel_detail", args=[model.pk])
    page = client.get(response.url).content.decode()
    assert "带头攻坚" in page and 'id="move-select"' not in page  # a branch does not select
    url = reverse("rolemodels:rolemodel_list")
    assert [m.name for m in client.get(url).context["table"].data] == ["张三"]
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(5):
        nominate(tree["a"], MemberFactory(org=tree["a"], name=f"党员{i}"))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["table"].data) == 6
    assert len(small.captured_queries) == len(large.captured_queries)
    client.force_login(tree["office"])
    assert 'id="move-select"' in client.get(model.get_absolute_url()).content.decode()
    client.post(reverse("rolemodels:rolemodel_move", args=[model.pk, "select"]), {"on": "2023-12-01"})
    client.post(reverse("rolemodels:rolemodel_move", args=[model.pk, "publicise"]),
                {"start": "2023-12-04", "end": "2023-12-08"})
    model.refresh_from_db()
    assert (model.status, model.publicity_end) == ("publicised", D(2023, 12, 8))
    response = client.post(reverse("rolemodels:rolemodel_move", args=[model.pk, "select"]), follow=True)
    assert "不能执行此操作" in response.content.decode()


def test_publicity_page_lists_the_selected_models_in_scope(client, tree):
    campaign = Campaign.objects.create(org=tree["committee"], title="主题教育", status="published")
    own = nominate(tree["a"], tree["zhang"], campaign=campaign)
    other = nominate(tree["b"], tree["wang"], campaign=campaign)
    committee = nominate(tree["committee"], collective="机关党委办公室", campaign=campaign)
    pending = nominate(tree["a"], collective="未选树的集体", campaign=campaign)
    for m in (own, other, committee):
        services.move(m, "select", on=D(2023, 12, 1))
    services.move(committee, "publicise", start=D(2023, 12, 4), end=D(2023, 12, 8))
    client.force_login(tree["secretary"])
    response = client.get(reverse("rolemodels:publicity", args=[campaign.pk]))
    assert [m.name for m in response.context["models"]] == ["张三", "机关党委办公室"]
    assert pending.collective not in response.content.decode()


def test_excel_ledger_and_api(client, tree):
    client.force_login(tree["secretary"])
    model = nominate(tree["a"], tree["zhang"], deeds="=HYPERLINK(\"x\")")
    nominate(tree["b"], tree["wang"])
    response = client.get(reverse("rolemodels:rolemodel_export"))
    rows = list(load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(values_only=True))
    assert rows[0][:8] == ("序号", "推荐组织", "类别", "名称", "推荐称号", "主要事迹", "推荐日期", "状态")
    assert rows[1][:8] == (1, "第1党支部", "党员个人", "张三", "身边榜样", "=HYPERLINK(\"x\")",
                           dt.datetime(2023, 11, 10), "已推荐")
    assert len(rows) == 2
    listed = client.get(reverse("rolemodel-list")).json()
    assert [r["name"] for r in listed["results"]] == ["张三"]
    payload = {"org": tree["a"].pk, "kind": "collective", "collective": "青年突击队", "deeds": "攻坚",
               "nominated_on": "2023-11-12", "status": "announced"}
    response = client.post(reverse("rolemodel-list"), payload, content_type="application/json")
    assert response.status_code == 201 and response.json()["status"] == "nominated"  # status is not writable
    response = client.post(reverse("rolemodel-list"), {**payload, "org": tree["b"].pk},
                           content_type="application/json")
    assert response.status_code == 403
    assert client.delete(reverse("rolemodel-detail", args=[model.pk])).status_code == 204


def test_sample_role_models(db):
    from taizhang.orgs.sample import create_sample_orgs
    from taizhang.rolemodels.sample import load_sample_role_models

    orgs = create_sample_orgs()
    assert load_sample_role_models(orgs["committee"]) == (
        "先进典型推荐 7 个，选树 4 个，公示 3 个（异议 1 条已处理），公布 2 个，退回修改 1 个")
    assert sorted(RoleModel.objects.values_list("status", flat=True)) == [
        "announced", "announced", "nominated", "nominated", "publicised", "returned", "selected"]
    assert Objection.objects.exclude(handling="").count() == 1

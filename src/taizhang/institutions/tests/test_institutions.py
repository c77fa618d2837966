"""The institutions app: 建章立制 register (links to problems and measures, evidence of 二.14),
typical cases with their source records, pages, Excel exports and API."""

import datetime as dt
import io

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.institutions import services
from taizhang.institutions.models import Institution, TypicalCase
from taizhang.orgs.tests.factories import UserFactory, build_tree, grant
from taizhang.plans import evidence as plan_evidence
from taizhang.plans.models import Assignment, Campaign, EvidenceRule, ItemKind, Plan, PlanItem, Responsible
from taizhang.rectification import services as rect

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def tree():
    t = build_tree(branches=2, groups=1)
    a, b = t["branches"]
    secretary, office = UserFactory(username="sec_in"), UserFactory(username="office_in")
    grant(secretary, a, "branch_secretary")
    grant(office, t["committee"], "committee_staff")
    return {"committee": t["committee"], "a": a, "b": b, "secretary": secretary, "office": office,
            "problem_a": rect.create_problem(org=a, source="检视剖析", description="学习制度不健全"),
            "problem_b": rect.create_problem(org=b, source="检视剖析", description="乙支部的问题")}


def make(org, name="党员学习制度", day=D(2023, 12, 15), **kw):
    return services.create_institution({"org": org, "name": name, "date": day, **kw})


def test_links_stay_inside_the_organization(tree):
    with pytest.raises(ValidationError) as exc:
        make(tree["a"], problems=[tree["problem_b"]])
    assert list(exc.value.message_dict) == ["problems"]
    inst = make(tree["a"], problems=[tree["problem_a"]], doc_number="一支〔2023〕3号")
    assert list(inst.problems.all()) == [tree["problem_a"]]
    # The committee's rule may answer its branches' problems.
    assert make(tree["committee"], problems=[tree["problem_a"], tree["problem_b"]]).problems.count() == 2
    with pytest.raises(ValidationError) as exc:
        make(tree["a"], day=D(2999, 1, 1))
    assert exc.value.message_dict == {"date": ["日期不能晚于今天"]}
    with pytest.raises(PermissionDenied):
        services.create_institution({"org": tree["b"], "name": "x", "date": D(2023, 12, 1)}, actor=tree["secretary"])


def test_an_institution_made_completes_2_14_and_an_abolished_one_does_not(
        tree, django_capture_on_commit_callbacks):
    campaign = Campaign.objects.create(org=tree["committee"], title="主题教育", status="published",
                                       start=D(2023, 9, 1), end=D(2024, 1, 31))
    item = PlanItem.objects.create(plan=Plan.objects.create(campaign=campaign), kind=ItemKind.TASK, ref="二.14",
                                   title="总结主题教育工作", responsible=Responsible.COMMITTEE, evidence="institution")
    EvidenceRule.objects.create(item=item, record_kind="institution")
    assignment = Assignment.objects.create(item=item, org=tree["committee"], due=D(2024, 1, 31))
    plan_evidence.evaluate_campaign(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        abolished = make(tree["committee"], action="abolished")
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count) == ("pending", 0)
    with django_capture_on_commit_callbacks(execute=True):
        abolished.action = "revised"
        services.save_institution(abolished, actor=tree["office"])
    assignment.refresh_from_db()
    assert (assignment.status, assignment.evidence_count, assignment.evidence_needed) == ("done", 1, 1)
    with django_capture_on_commit_callbacks(execute=True):
        services.delete_institution(abolished, actor=tree["office"])
    assignment.refresh_from_db()
    assert assignment.status == "pending"


def test_register_page_filters_constant_queries_and_export(client, tree):
    client.force_login(tree["secretary"])
    make(tree["a"], problems=[tree["problem_a"]], summary="=1+1")
    make(tree["b"], name="乙支部制度")
    url = reverse("institutions:institution_list")
    response = client.get(url)
    assert [i.name for i in response.context["table"].data] == ["党员学习制度"]
    assert [i.n_problems for i in response.context["table"].data] == [1]
    assert list(client.get(url, {"action": "abolished"}).context["table"].data) == []
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for i in range(5):
        make(tree["a"], name=f"制度{i}", problems=[tree["problem_a"]])
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["table"].data) == 6
    assert len(small.captured_queries) == len(large.captured_queries)
    response = client.get(reverse("institutions:institution_export"), {"q": "学习"})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "组织", "制度名称", "类型", "印发日期", "文号", "主要内容", "针对的问题", "针对的整改措施")
    assert rows[1] == (1, "第1党支部", "党员学习制度", "制定", dt.datetime(2023, 12, 15), None, "=1+1",
                       "1. 学习制度不健全", None)
    assert len(rows) == 2
    assert sheet["G2"].data_type == "s"


def test_add_through_the_form_with_problems(client, tree):
    client.force_login(tree["secretary"])
    data = {"org": tree["a"].pk, "name": "谈心谈话制度", "action": "made", "date": "2023-12-10",
            "problems": [tree["problem_a"].pk]}
    response = client.post(reverse("institutions:institution_add"), data)
    inst = Institution.objects.get()
    assert response.url == inst.get_absolute_url()
    assert "学习制度不健全" in client.get(response.url).content.decode()
    response = client.post(reverse("institutions:institution_add"), {**data, "problems": [tree["problem_b"].pk]})
    assert response.status_code == 200 and Institution.objects.count() == 1


def test_typical_case_from_a_record(client, tree):
    client.force_login(tree["secretary"])
    inst = make(tree["a"])
    problem = tree["problem_a"]
    source = f"{ContentType.objects.get_for_model(problem).pk}:{problem.pk}"
    response = client.get(reverse("institutions:case_add"), {"source": source})
    assert response.context["form"].initial["source"] == source
    data = {"org": tree["a"].pk, "kind": "practice", "title": "“支部+网格”服务群众", "date": "2023-12-20",
            "summary": "把支部建在网格上", "institution": inst.pk, "source": source}
    response = client.post(reverse("institutions:case_add"), data)
    case = TypicalCase.objects.get()
    assert (case.source_record, case.institution) == (problem, inst)
    assert problem.get_absolute_url() in client.get(case.get_absolute_url()).content.decode()
    hidden = f"{ContentType.objects.get_for_model(problem).pk}:{tree['problem_b'].pk}"
    response = client.post(reverse("institutions:case_add"), {**data, "source": hidden})
    assert response.status_code == 200 and TypicalCase.objects.count() == 1
    rows = list(load_workbook(io.BytesIO(b"".join(client.get(reverse("institutions:case_export")).streaming_content)))
                .active.iter_rows(values_only=True))
    assert rows[1] == (1, "第1党支部", "经验做法", "“支部+网格”服务群众", dt.datetime(2023, 12, 20), "把支部建在网格上",
                       "党员学习制度")


def test_api_is_scoped_and_uses_the_service(client, tree):
    client.force_login(tree["secretary"])
    hidden = make(tree["b"])
    assert client.get(reverse("institution-detail", args=[hidden.pk])).status_code == 404
    payload = {"org": tree["a"].pk, "name": "制度", "action": "made", "date": "2023-12-01",
               "problems": [tree["problem_b"].pk]}
    response = client.post(reverse("institution-list"), payload, content_type="application/json")
    assert response.status_code == 400 and "problems" in response.json()
    response = client.post(reverse("institution-list"), {**payload, "problems": [tree["problem_a"].pk]},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["problems"] == [tree["problem_a"].pk]
    response = client.post(reverse("typicalcase-list"), {"org": tree["b"].pk, "title": "x", "date": "2023-12-01",
                                                         "summary": "x"}, content_type="application/json")
    assert response.status_code == 403


def test_sample_institutions(db):
    from taizhang.institutions.sample import load_sample_institutions
    from taizhang.orgs.sample import create_sample_orgs

    orgs = create_sample_orgs()
    assert load_sample_institutions(orgs["committee"]) == (
        "建章立制 5 项（制定或修订 4 项，废止 1 项），典型案例和经验做法 2 个")
    assert Institution.objects.filter(org__code="ZB01").count() == 1
    assert TypicalCase.objects.filter(institution__isnull=False).count() == 1

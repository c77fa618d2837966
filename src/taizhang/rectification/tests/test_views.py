"""Pages: the ledger (constant queries, colours, counts), a problem raised from a record,
the related-problems tag, a stale edit in the browser form, and the API."""

import datetime as dt

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.template import Context, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from rest_framework.test import APIClient

from taizhang.core.status import events_for
from taizhang.rectification import services
from taizhang.rectification.models import Problem, Rectification


def make_measures(tree, n: int, start: int = 0):
    for i in range(start, start + n):
        problem = services.create_problem(org=tree["branches"][i % 2], source="巡视巡察", description=f"问题{i}")
        for k in range(2):
            services.add_measure(problem, measure=f"措施{i}-{k}", deadline=dt.date(2020 + k * 20, 1, 10),
                                 leader=tree["leaders"][k])


def test_ledger_runs_constant_queries_and_puts_overdue_first(client, tree, office):
    client.force_login(office)
    url = reverse("rectification:ledger")
    make_measures(tree, 3)
    client.get(url)
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    make_measures(tree, 30, start=3)
    with CaptureQueriesContext(connection) as large:
        big = client.get(url)
    assert len(small) == len(large)
    body = big.content.decode()
    # every problem has an overdue measure (2020): all are in the overdue group, and a
    # problem's measures stay together, so page 1 shows 25 problems, 25 red rows
    assert body.count('data-colour="red"') == 25
    assert [r["span"] for r in big.context["rows"]] == [2, 0] * 25
    counts = big.context["counts"]
    assert (counts["total"], counts["overdue"], counts["open"], counts["closure_rate"]) == (66, 33, 66, 0.0)
    assert response.status_code == 200


def test_ledger_filters_and_rowspans(client, tree, office, problem, measure):
    services.add_measure(problem, measure="第二项", deadline=dt.date(2030, 7, 1), leader_name="王五")
    client.force_login(office)
    response = client.get(reverse("rectification:ledger"))
    assert [r["span"] for r in response.context["rows"]] == [2, 0]
    response = client.get(reverse("rectification:ledger") + f"?leader={tree['leaders'][1].pk}")
    assert [r["m"].measure for r in response.context["rows"]] == ["推行午间轮岗值班"]
    response = client.get(reverse("rectification:ledger") + "?rolling=new")
    assert len(response.context["rows"]) == 2


def test_filtered_ledger_and_csv_keep_each_problem_s_own_number(client, tree, office):
    make_measures(tree, 4)  # problems 0 and 2 in the first branch, 1 and 3 in the second
    client.force_login(office)
    first = tree["branches"][0]
    rows = client.get(reverse("rectification:ledger") + f"?org={first.pk}").context["rows"]
    assert sorted({(r["m"].problem.description, r["n"]) for r in rows}) == [("问题0", 1), ("问题2", 2)]
    response = client.get(reverse("rectification:export_csv"))
    lines = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()
    assert lines[0].split(",")[-1] == "所属组织"  # two branches: each numbers its own list
    assert [line.split(",")[0] + line.split(",")[-1] for line in lines[1::2]] == [
        "1第1党支部", "2第1党支部", "1第2党支部", "2第2党支部"]
    response = client.get(reverse("rectification:export_csv") + f"?org={first.pk}")
    header = b"".join(response.streaming_content).decode("utf-8-sig").splitlines()[0]
    assert header.endswith("是否销号,状态,发现日期,责任人,整改目标")


def test_problem_list_constant_queries(client, tree, office):
    client.force_login(office)
    make_measures(tree, 2)
    with CaptureQueriesContext(connection) as small:
        client.get(reverse("rectification:problem_list"))
    make_measures(tree, 20, start=2)
    with CaptureQueriesContext(connection) as large:
        response = client.get(reverse("rectification:problem_list"))
    assert len(small) == len(large)
    assert "问题21" in response.content.decode()


def test_problem_from_a_record_prefills_and_links_both_ways(client, tree, secretary_a):
    from taizhang.orgs.tests.factories import MemberFactory

    record = MemberFactory(org=tree["branches"][0], name="赵六")
    ct = ContentType.objects.get_for_model(record)
    client.force_login(secretary_a)
    url = reverse("rectification:problem_add") + f"?source={ct.pk}-{record.pk}"
    form = client.get(url).context["form"]
    assert form.initial["description"] == "赵六" and form.initial["org"] == tree["branches"][0].pk
    source = services.source_named("谈心谈话")
    response = client.post(url, {"org": tree["branches"][0].pk, "source": source.pk, "level": "member",
                                 "description": "谈话中反映的问题", "source_ref": f"{ct.pk}-{record.pk}"})
    problem = Problem.objects.get()
    assert response.status_code == 302 and problem.source_record == record
    request = RequestFactory().get("/")
    request.user = secretary_a
    html = Template("{% load rectification %}{% related_problems obj %}").render(
        Context({"request": request, "obj": record}))
    assert "谈话中反映的问题" in html and f"?source={ct.pk}-{record.pk}" in html and "发现问题" in html
    # Another branch's record is not found at all.
    other = MemberFactory(org=tree["branches"][1])
    assert client.get(reverse("rectification:problem_add") + f"?source={ct.pk}-{other.pk}").status_code == 404


def test_research_visit_prefill(client, tree, secretary_a):
    work = pytest.importorskip("taizhang.records.models.work")
    visit = work.ResearchVisit.objects.create(
        org=tree["branches"][0], topic="窗口服务", leader=tree["leaders"][0].member, place="政务大厅",
        date=dt.date(2023, 10, 12), findings="午间无人值守")
    ct = ContentType.objects.get_for_model(visit)
    client.force_login(secretary_a)
    initial = client.get(reverse("rectification:problem_add") + f"?source={ct.pk}-{visit.pk}").context["form"].initial
    assert (initial["description"], initial["found_on"], initial["level"]) == (
        "午间无人值守", dt.date(2023, 10, 12), "leadership")
    assert initial["source"] == services.source_named("基层调研").pk


def test_stale_edit_is_refused_in_the_form_and_keeps_the_input(client, measure, secretary_a, office):
    url = reverse("rectification:measure_edit", args=[measure.pk])
    client.force_login(secretary_a)
    opened = client.get(url).context["form"]["version"].value()
    services.update_measure(measure, office, version=measure.version, person="党委改的")
    data = {"measure": "我改的措施", "kind": "deadline", "leader_name": "周宁", "person": "我",
            "version": opened, "target": "", "milestone": "", "department": ""}
    response = client.post(url, data)
    assert response.status_code == 200
    assert "已被他人修改" in response.content.decode() and "我改的措施" in response.content.decode()
    assert "党委改的" in response.content.decode()  # the other person's version is shown
    measure.refresh_from_db()
    assert (measure.measure, measure.person) == ("推行午间轮岗值班", "党委改的")


def test_transition_pages_refuse_illegal_moves_with_a_message(client, measure, office):
    client.force_login(office)
    url = reverse("rectification:measure_transition", args=[measure.pk, "close"])
    response = client.post(url, {"comment": ""}, follow=True)
    assert "不能执行此操作" in response.content.decode()
    measure.refresh_from_db()
    assert measure.status == "open" and not list(events_for(measure))


def test_api_scoped_writes_version_conflict_and_moves(tree, secretary_a, office, measure):
    api = APIClient()
    api.force_authenticate(secretary_a)
    rows = api.get("/api/rectifications/").data["results"]
    assert [r["id"] for r in rows] == [measure.pk]
    other = services.create_problem(org=tree["branches"][1], source="其他", description="乙")
    response = api.post("/api/rectifications/", {"problem": other.pk, "measure": "x", "deadline": "2030-01-01",
                                                 "leader_name": "x"})
    assert response.status_code == 400  # branch B's problem does not exist for A
    v = rows[0]["version"]
    assert api.patch(f"/api/rectifications/{measure.pk}/", {"person": "甲", "version": v}).status_code == 200
    stale = api.patch(f"/api/rectifications/{measure.pk}/", {"person": "乙", "version": v})
    assert stale.status_code == 409
    moved = api.post(f"/api/rectifications/{measure.pk}/move/",
                     {"name": "complete", "completion_note": "完成", "evidence": "记录"})
    assert moved.status_code == 200 and moved.data["status"] == "completed"
    assert api.post(f"/api/rectifications/{measure.pk}/move/", {"name": "verify"}).status_code == 403
    update = api.post("/api/progress-updates/", {"rectification": measure.pk, "reported_on": "2025-01-02",
                                                  "done": "补充材料"})
    assert update.status_code == 201  # a completed measure still takes updates; a closed one not
    api.force_authenticate(office)
    assert api.post(f"/api/rectifications/{measure.pk}/move/", {"name": "verify"}).data["status"] == "verified"
    created = api.post("/api/problems/", {"org": tree["branches"][1].pk, "source": "巡视巡察",
                                          "description": "新问题", "level": "branch"})
    assert created.status_code == 201 and Problem.objects.filter(description="新问题").exists()
    assert Rectification.objects.get(pk=measure.pk).person == "甲"


def test_evidence_of_a_claimed_or_closed_measure_cannot_be_removed(client, measure, office, secretary_a):
    from django.core.files.base import ContentFile

    from taizhang.core.models import Attachment

    evidence = Attachment.objects.create(
        org=measure.org, content_type=ContentType.objects.get_for_model(measure), object_id=measure.pk,
        file=ContentFile(b"table", name="measure.txt"), name="测评表.txt", size=5)
    services.move(measure, "complete", secretary_a, completion_note="已落实", evidence="测评表（附件）")
    client.force_login(secretary_a)
    page = client.get(measure.get_absolute_url()).content.decode()
    assert "测评表.txt" in page and reverse("attachment_delete", args=[evidence.pk]) not in page
    response = client.post(reverse("attachment_delete", args=[evidence.pk]), follow=True)
    assert "佐证材料不能再增删" in response.content.decode()
    assert Attachment.objects.filter(pk=evidence.pk).exists()
    services.move(measure, "return_for_revision", office, "补充材料")
    client.post(reverse("attachment_delete", args=[evidence.pk]))
    assert not Attachment.objects.filter(pk=evidence.pk).exists()
    assert [(e.verb, e.comment, e.actor) for e in events_for(measure)][-1] == ("delete_attachment", "测评表.txt", secretary_a)

"""Before the meeting: the talk matrix (pairs, coverage, missing ones named), opinions that
become problems, and the 对照检查材料's versions and review rounds (office, then superior)."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.core.status import IllegalTransition
from taizhang.democratic import services
from taizhang.democratic.models import ExamStatus, Opinion
from taizhang.democratic.preparation import talk_matrix
from taizhang.orgs.models import LeadershipMember
from taizhang.orgs.tests.factories import MemberFactory
from taizhang.records import services as records
from taizhang.records.models import Talk

D = dt.date


def talk(org, a, b, day):
    return records.create_record(Talk, org=org, party_a=a, party_b=b, date=day)


def test_matrix_names_the_pairs_the_regulations_ask_for(unit):
    c, (p0, p1, p2, p3), head = unit["committee"], unit["people"], unit["head"]
    services.set_supervision(unit["leaders"][1], "业务处", head)
    m = talk_matrix(unit["team"], D(2023, 1, 1), D(2024, 1, 15))
    # 6 member pairs (3 with the 主要负责人) + 1 member ↔ supervised department head
    assert (m.needed, m.covered, m.complete) == (7, 0, False)
    assert [(str(p), p.relation) for p in m.pairs][:4] == [
        ("甲书记—乙副书记", "书记↔班子成员"), ("甲书记—丙委员", "书记↔班子成员"), ("甲书记—丁委员", "书记↔班子成员"),
        ("乙副书记—丙委员", "班子成员之间")]
    assert (str(m.pairs[-1]), m.pairs[-1].relation) == ("乙副书记—戊处长", "班子成员↔分管部门负责人")
    talk(c, p1, p0, D(2023, 12, 1))   # either direction fills the pair
    talk(c, p1, head, D(2023, 12, 2))
    talk(c, p2, p3, D(2024, 2, 1))    # after the window: does not count
    m = talk_matrix(unit["team"], D(2023, 1, 1), D(2024, 1, 15))
    assert (m.covered, m.needed) == (2, 7)
    assert [str(p) for p in m.missing] == ["甲书记—丙委员", "甲书记—丁委员", "乙副书记—丙委员", "乙副书记—丁委员",
                                           "丙委员—丁委员"]
    grid = dict((lm.member.name, [None if c is None else c.done for c in cells]) for lm, cells in m.rows())
    assert grid["甲书记"] == [None, True, False, False]


def test_matrix_page_shows_coverage_with_constant_queries(client, unit):
    client.force_login(unit["office"])
    url = reverse("democratic:matrix") + f"?org={unit['committee'].pk}&year=2023"
    with CaptureQueriesContext(connection) as small:
        response = client.get(url)
    body = response.content.decode()
    assert "已谈 0 / 应谈 6" in body and "丙委员—丁委员" in body
    team = unit["team"]
    for i in range(4):
        LeadershipMember.objects.create(team=team, member=MemberFactory(org=unit["branch"]), title="委员", order=10 + i)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert "已谈 0 / 应谈 28" in response.content.decode()
    assert len(small.captured_queries) == len(large.captured_queries)
    client.force_login(unit["secretary"])  # a branch does not see the committee's talks
    assert client.get(url).status_code == 403
    assert "没有可查看的领导班子" in client.get(reverse("democratic:matrix")).content.decode()
    client.force_login(unit["superior"])
    assert "应谈 28" in client.get(url).content.decode()


def test_an_opinion_becomes_a_problem_with_the_opinion_as_source(client, unit):
    c, leaders = unit["committee"], unit["leaders"]
    with pytest.raises(ValidationError) as exc:
        services.create_opinion({"org": unit["branch"], "date": D(2023, 12, 4), "text": "x"})
    assert exc.value.message_dict["org"] == ["该组织没有领导班子。"]
    opinion = services.create_opinion({"org": c, "date": D(2023, 12, 4), "channel": "questionnaire",
                                       "giver": "退休党员代表", "text": "调研多、反馈少", "addressee": leaders[2]})
    assert (opinion.team, opinion.year, opinion.addressed_to) == (unit["team"], 2023, "丙委员")
    client.force_login(unit["secretary"])
    assert client.post(reverse("democratic:opinion_problem", args=[opinion.pk])).status_code == 404
    client.force_login(unit["office"])
    response = client.post(reverse("democratic:opinion_problem", args=[opinion.pk]))
    from taizhang.rectification.models import Problem

    problem = Problem.objects.get()
    assert response.url == problem.get_absolute_url()
    assert (problem.source.name, problem.source_record, problem.level, problem.description) == (
        "征求意见", opinion, "member", "调研多、反馈少")
    assert problem.found_by == "退休党员代表（问卷）"  # 提出人/渠道 carried into the problem
    assert "调研多、反馈少" in client.get(opinion.get_absolute_url()).content.decode()
    assert Opinion.objects.count() == 1


def test_material_versions_and_review_rounds_office_then_superior(client, unit):
    c = unit["committee"]
    with pytest.raises(ValidationError) as exc:
        services.create_exam({"org": c, "date": D(2023, 12, 20), "leader": unit["leaders"][1]}, actor=unit["office"],
                             document=SimpleUploadedFile("提纲.txt", b"x"))
    assert "提纲.txt：" in exc.value.messages[0] and ".txt" in exc.value.messages[0]
    exam = services.create_exam({"org": c, "date": D(2023, 12, 20), "leader": unit["leaders"][1],
                                 "needs_superior": True}, actor=unit["office"],
                                document=SimpleUploadedFile("提纲.docx", b"PK\x03\x04docx"))
    assert exam.title == "2023年度民主生活会对照检查材料（乙副书记）"
    services.move_exam(exam, "submit", actor=unit["office"])
    with pytest.raises(ValidationError):
        services.move_exam(exam, "return_for_revision", actor=unit["office"])
    services.move_exam(exam, "return_for_revision", actor=unit["office"], comment="问题不具体")
    exam.content = "一、问题\n二、原因\n三、措施"
    services.save_exam(exam, actor=unit["office"])
    services.move_exam(exam, "submit", actor=unit["office"])
    services.move_exam(exam, "approve", actor=unit["office"], on=D(2024, 1, 5))
    assert exam.status == ExamStatus.OFFICE_APPROVED and exam.approved_on is None
    with pytest.raises(PermissionDenied):  # the office cannot approve for the superior
        services.move_exam(exam, "approve", actor=unit["office"])
    services.move_exam(exam, "approve", actor=unit["superior"], on=D(2024, 1, 6))
    assert (exam.status, exam.approved_on) == (ExamStatus.APPROVED, D(2024, 1, 6))
    assert [v.number for v in exam.versions.all()] == [1, 2]
    assert exam.versions.get(number=1).document.endswith(".docx")
    assert [(r.round, r.level, r.approved, r.comment, r.version.number) for r in exam.reviews.all()] == [
        (1, "office", False, "问题不具体", 1), (2, "office", True, "", 2), (2, "superior", True, "", 2)]
    with pytest.raises(IllegalTransition):
        services.move_exam(exam, "submit", actor=unit["office"])
    with pytest.raises(ValidationError):
        exam.content += "再改"
        services.save_exam(exam, actor=unit["office"])
    client.force_login(unit["office"])
    body = client.get(exam.get_absolute_url()).content.decode()
    assert "问题不具体" in body and "审核通过" in body


def test_superior_review_needs_a_superior(unit):
    from taizhang.orgs.models import LeadershipTeam

    LeadershipTeam.objects.create(org=unit["city"], name="市委班子")
    with pytest.raises(ValidationError) as exc:
        services.create_exam({"org": unit["city"], "date": D(2023, 12, 20), "content": "x", "needs_superior": True})
    assert exc.value.message_dict == {"needs_superior": ["本组织没有上级党组织，不能设为需上级审核"]}


def test_review_buttons_post_through_the_status_machine(client, unit):
    exam = services.create_exam({"org": unit["committee"], "date": D(2023, 12, 20), "content": "班子材料"})
    client.force_login(unit["secretary"])
    assert client.post(reverse("democratic:exam_move", args=[exam.pk]), {"action": "submit"}).status_code == 404
    client.force_login(unit["office"])
    client.post(reverse("democratic:exam_move", args=[exam.pk]), {"action": "submit"})
    client.post(reverse("democratic:exam_move", args=[exam.pk]), {"action": "approve"})
    exam.refresh_from_db()
    assert (exam.status, exam.whose) == ("approved", "领导班子")


def test_supervised_departments_are_entered_on_the_matrix_page(client, unit):
    client.force_login(unit["office"])
    url = reverse("democratic:supervision_add", args=[unit["committee"].pk])
    response = client.post(url, {"leader": unit["leaders"][2].pk, "department": "业务处", "head": unit["head"].pk})
    assert response.url == reverse("democratic:matrix") + f"?org={unit['committee'].pk}"
    body = client.get(response.url + "&year=2023").content.decode()
    assert "丙委员 → 业务处（戊处长）" in body and "已谈 0 / 应谈 7" in body
    outsider = MemberFactory(org=unit["city"], name="外单位")
    client.post(url, {"leader": unit["leaders"][2].pk, "department": "x", "head": outsider.pk})
    from taizhang.democratic.models import Supervision

    assert Supervision.objects.count() == 1  # a head outside the unit is not a choice
    client.force_login(unit["secretary"])
    assert client.post(url, {"leader": unit["leaders"][2].pk, "department": "y",
                             "head": unit["head"].pk}).status_code == 404
    assert client.post(reverse("democratic:supervision_delete", args=[Supervision.objects.get().pk])).status_code == 404
    client.force_login(unit["office"])
    client.post(reverse("democratic:supervision_delete", args=[Supervision.objects.get().pk]))
    assert Supervision.objects.count() == 0


def test_a_versions_word_file_downloads(client, unit):
    exam = services.create_exam({"org": unit["committee"], "date": D(2023, 12, 20)},
                                document=SimpleUploadedFile("提纲.docx", b"PK\x03\x04word"))
    client.force_login(unit["office"])
    response = client.get(reverse("democratic:exam_version_file", args=[exam.pk, 1]))
    assert b"".join(response.streaming_content) == b"PK\x03\x04word"
    assert "attachment" in response["Content-Disposition"]
    client.force_login(unit["secretary"])
    assert client.get(reverse("democratic:exam_version_file", args=[exam.pk, 1])).status_code == 404


def test_a_missing_pair_links_to_a_prefilled_talk_form(client, unit):
    client.force_login(unit["office"])
    body = client.get(reverse("democratic:matrix") + f"?org={unit['committee'].pk}&year=2023").content.decode()
    p0, p1 = unit["people"][:2]
    link = (f"{reverse('records:talk_add')}?org={unit['committee'].pk}&amp;party_a={p0.pk}&amp;party_b={p1.pk}"
            f"&amp;relation=secretary_team&amp;purpose=before_democratic_life")
    assert link in body
    response = client.get(link.replace("&amp;", "&"))
    initial = response.context["form"].initial
    assert (str(initial["party_a"]), str(initial["party_b"]), initial["relation"], initial["purpose"],
            str(initial["org"])) == (str(p0.pk), str(p1.pk), "secretary_team", "before_democratic_life",
                                     str(unit["committee"].pk))


def test_matrix_opens_on_the_latest_prepared_year(client, unit):
    services.create_opinion({"org": unit["committee"], "date": D(2023, 12, 4), "text": "意见"})
    client.force_login(unit["office"])
    response = client.get(reverse("democratic:matrix"))
    assert (response.context["year"], response.context["matrix"].start) == (2023, D(2023, 1, 1))

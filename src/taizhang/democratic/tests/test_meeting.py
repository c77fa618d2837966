"""The meeting record (team attendance, quorum, preparation, 15-day report, statements,
problems), checks 21–23, the evidence of seed 二.9 / 二.12, the records form fix, the sample."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.compliance import periods as P
from taizhang.compliance.engine import evaluate
from taizhang.democratic import services
from taizhang.democratic.models import LifeMeeting
from taizhang.plans import evidence as plan_evidence
from taizhang.plans.models import Assignment, Campaign, EvidenceRule, ItemKind, Plan, PlanItem, Responsible
from taizhang.records import services as records
from taizhang.records.models import Meeting, Talk
from taizhang.rectification.models import Problem

D = dt.date
CHECKS = ["C21", "C22", "C23"]


def prepare(unit, *, talks=True, approve=True):
    """Opinions, every talk of the matrix and the approved materials of the 2023 meeting."""
    c, people = unit["committee"], unit["people"]
    services.create_opinion({"org": c, "date": D(2023, 12, 4), "text": "报表重复"})
    if talks:
        for i, a in enumerate(people):
            for b in people[i + 1:]:
                records.create_record(Talk, org=c, party_a=a, party_b=b, date=D(2023, 12, 10))
    exams = [services.create_exam({"org": c, "date": D(2023, 12, 20), "content": "班子材料"})]
    exams += [services.create_exam({"org": c, "date": D(2023, 12, 20), "leader": lm, "content": "个人材料"})
              for lm in unit["leaders"]]
    for exam in exams if approve else []:
        services.move_exam(exam, "submit")
        services.move_exam(exam, "approve", on=D(2024, 1, 5))
    return exams


def hold(unit, absent=(), reported_on=None, day=D(2024, 1, 16)):
    return services.create_life_meeting(
        {"org": unit["committee"], "year": 2023, "title": "专题民主生活会", "date": day,
         "observers": "市委督导组", "reported_on": reported_on},
        absent={unit["people"][i]: "出差" for i in absent}, actor=unit["office"])


def found(unit, today):
    report = evaluate(unit["committee"], P.parse("2023"), today=today, rule_ids=CHECKS)
    return sorted((v.rule.id, v.severity, v.message) for v in report.violations)


def test_the_team_attends_and_checks_21_to_23(unit):
    meeting = hold(unit, absent=(2, 3))
    assert meeting.meeting.kind == "democratic_life_meeting" and meeting.meeting.team == unit["team"]
    assert sorted(a.member.name for a in meeting.meeting.attendance.filter(status="present")) == ["乙副书记", "甲书记"]
    assert found(unit, D(2024, 2, 10)) == [
        ("C21", "error", "2024-01-16 民主生活会实到 2 人，应到 4 人，不足三分之二"),
        ("C22", "error", "2024-01-16 民主生活会会前准备不到位：谈心谈话未全覆盖（甲书记—乙副书记、甲书记—丙委员、"
                         "甲书记—丁委员、乙副书记—丙委员、乙副书记—丁委员等）；对照检查材料会前未审核通过（领导班子、"
                         "甲书记、乙副书记、丙委员、丁委员）"),
        ("C23", "error", "2024-01-16 民主生活会的情况报告和会议记录尚未报送（应于 2024-01-31 前）"),
    ]
    assert [m for _i, _s, m in found(unit, D(2024, 1, 20)) if "报送" in m] == [
        "2024-01-16 民主生活会的情况报告和会议记录应于 2024-01-31 前报送"]
    LifeMeeting.objects.all().delete()
    Meeting.objects.all().delete()
    prepare(unit)
    hold(unit, absent=(3,), reported_on=D(2024, 1, 31))
    assert found(unit, D(2024, 2, 10)) == []


def test_no_meeting_in_a_finished_year_and_a_late_report(unit):
    assert found(unit, D(2023, 12, 1)) == []
    assert found(unit, D(2024, 1, 2)) == [("C21", "error", "某局党委领导班子2023年度尚未召开民主生活会")]
    prepare(unit)
    meeting = hold(unit, reported_on=D(2024, 2, 1))
    assert found(unit, D(2024, 2, 10)) == [
        ("C23", "error", "2024-01-16 民主生活会的情况报告和会议记录于 2024-02-01 报送，超过会后 15 日")]
    with pytest.raises(ValidationError) as exc:
        meeting.reported_on = D(2024, 1, 10)
        services.save_life_meeting(meeting)
    assert exc.value.message_dict == {"reported_on": ["报送日期不能早于会议日期"]}


def test_rules_page_lists_checks_21_to_23_with_sources(client, unit):
    client.force_login(unit["office"])
    body = client.get(reverse("compliance:rules")).content.decode()
    for text in ("C21", "C22", "C23", "《县以上党和国家机关党员领导干部民主生活会若干规定》", "会后15日内"):
        assert text in body


def test_detail_page_shows_attendance_preparation_report_statements_and_problems(client, unit):
    prepare(unit, talks=False)
    meeting = hold(unit, absent=(3,), reported_on=D(2024, 1, 26))
    services.set_statements(meeting, [{"leader": unit["leaders"][0], "self_criticism": "学习不够深入",
                                       "criticism_received": "联系基层少", "criticism_given": ""},
                                      {"leader": unit["leaders"][1]}])
    assert [s.leader.member.name for s in meeting.statements.all()] == ["甲书记"]
    problem = services.raise_problem(meeting, actor=unit["office"], description="联系基层少", category="工作作风")
    assert (problem.source.name, problem.source_record, problem.level) == ("民主生活会", meeting, "leadership")
    client.force_login(unit["office"])
    body = client.get(meeting.get_absolute_url()).content.decode()
    for text in ("实到 3 / 应到 4", "谈心谈话 0 / 6", "材料会前审核通过 5 / 5", "2024-01-26 报送（会后 10 天）",
                 "学习不够深入", "联系基层少", "丁委员 · 请假（出差）"):
        assert text in body, text
    response = client.post(reverse("democratic:meeting_statements", args=[meeting.pk]),
                           {f"s{unit['leaders'][1].pk}-criticism_given": "建议多下基层"})
    assert response.status_code == 302
    assert [s.leader.member.name for s in meeting.statements.all()] == ["乙副书记"]
    client.force_login(unit["secretary"])
    assert client.get(meeting.get_absolute_url()).status_code == 404
    assert client.get(reverse("democratic:meeting_statements", args=[meeting.pk])).status_code == 404
    assert Problem.objects.count() == 1


def test_add_form_edits_attendance(client, unit):
    client.force_login(unit["office"])
    page = client.get(reverse("democratic:meeting_add")).content.decode()
    assert "丁委员（委员）" in page
    response = client.post(reverse("democratic:meeting_add"), {
        "org": unit["committee"].pk, "year": 2023, "title": "专题民主生活会", "date": "2024-01-16",
        "absent": [unit["leaders"][3].pk], "absence_reason": "病假", "form_token": "t1"})
    meeting = LifeMeeting.objects.get()
    assert response.url == meeting.get_absolute_url()
    assert meeting.meeting.attendance_counts()["present"] == 3
    assert meeting.meeting.attendance.get(status="leave").reason == "病假"


def test_the_records_meeting_form_from_a_team_task_opens_on_the_team(client, unit):
    """Task 二.9/二.12's 民主生活会 link used to open on a branch with its members."""
    client.force_login(unit["office"])
    response = client.get(reverse("records:meeting_add") + "?kind=democratic_life_meeting")
    assert response.context["form"].initial["org"] == unit["committee"].pk
    names = [m.name for m in response.context["checklist"].expected] if hasattr(
        response.context["checklist"], "expected") else None
    body = response.content.decode()
    assert "甲书记" in body and "丁委员" in body
    assert names is None or names == ["甲书记", "乙副书记", "丙委员", "丁委员"]
    response = client.get(reverse("records:meeting_add") + "?kind=branch_committee_meeting")
    assert response.context["form"].initial["org"] != unit["committee"].pk


def _task(unit, code, ref):
    campaign = Campaign.objects.create(org=unit["committee"], title="主题教育", status="published",
                                       start=D(2023, 9, 1), end=D(2024, 1, 31))
    item = PlanItem.objects.create(plan=Plan.objects.create(campaign=campaign), kind=ItemKind.TASK, ref=ref,
                                   title=ref, responsible=Responsible.COMMITTEE, evidence=code)
    EvidenceRule.objects.create(item=item, record_kind=code)
    return campaign, Assignment.objects.create(item=item, org=unit["committee"], due=D(2024, 1, 31))


def test_preparation_completes_2_9_and_the_reported_meeting_2_12(unit, django_capture_on_commit_callbacks):
    campaign, prep = _task(unit, "democratic_preparation", "二.9")
    item = PlanItem.objects.create(plan=campaign.plan, kind=ItemKind.TASK, ref="二.12", title="二.12",
                                   responsible=Responsible.COMMITTEE, evidence="democratic_life_meeting")
    EvidenceRule.objects.create(item=item, record_kind="democratic_life_meeting")
    meeting_task = Assignment.objects.create(item=item, org=unit["committee"], due=D(2024, 1, 31))
    plan_evidence.evaluate_campaign(campaign)
    with django_capture_on_commit_callbacks(execute=True):
        exams = prepare(unit, approve=False)
    prep.refresh_from_db()
    # 1 (opinions) + 6 pairs + 5 materials needed; the opinion and the 6 talks are there
    assert (prep.status, prep.evidence_count, prep.evidence_needed) == ("pending", 7, 12)
    with django_capture_on_commit_callbacks(execute=True):
        for exam in exams:
            services.move_exam(exam, "submit")
            services.move_exam(exam, "approve", on=D(2024, 1, 5))
    prep.refresh_from_db()
    assert (prep.status, prep.evidence_count, prep.evidence_needed) == ("done", 12, 12)
    with django_capture_on_commit_callbacks(execute=True):
        meeting = hold(unit)
    meeting_task.refresh_from_db()
    assert meeting_task.status == "pending"  # held, but the report is not sent yet
    with django_capture_on_commit_callbacks(execute=True):
        meeting.reported_on = D(2024, 1, 25)
        services.save_life_meeting(meeting, actor=unit["office"])
    meeting_task.refresh_from_db()
    assert (meeting_task.status, meeting_task.evidence_count) == ("done", 1)


def test_sample(db):
    from taizhang.democratic.sample import load_sample_democratic
    from taizhang.orgs.sample import create_sample_orgs

    orgs = create_sample_orgs()
    assert load_sample_democratic(orgs["committee"]) == (
        "征求意见 8 条，谈心谈话 29 对全覆盖，对照检查材料 8 份审核通过，民主生活会 1 次（实到 6/7，会后 10 日报送）")
    report = evaluate(orgs["committee"], P.parse("2023"), today=D(2024, 2, 10), rule_ids=CHECKS)
    assert report.violations == []
    meeting = LifeMeeting.objects.get()
    assert meeting.statements.count() == 6
    assert Problem.objects.filter(source__name="民主生活会").count() == 2
    assert Problem.objects.filter(source__name="征求意见").count() == 1
    assert load_sample_democratic(orgs["committee"]).startswith("无领导班子或民主生活会样例已存在")


def test_preparation_counter_queries_do_not_grow_with_records(unit):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taizhang.democratic.evidence import count_preparation

    campaign, assignment = _task(unit, "democratic_preparation", "二.9")
    rule = assignment.item.rules.get()
    from taizhang.plans.counting import Target

    target = Target(assignment, assignment.item, unit["committee"], None, (campaign.start, campaign.end))

    def run():
        with CaptureQueriesContext(connection) as ctx:
            result = count_preparation([(target, rule)] * 3)
        return len(ctx.captured_queries), result

    small, (first, *_rest) = run()
    assert first == (0, 12)
    prepare(unit)
    large, results = run()
    assert results == [(12, 12)] * 3 and large == small


def test_meeting_ledger_export_and_list_queries(client, unit):
    import io

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from openpyxl import load_workbook

    hold(unit, absent=(3,), reported_on=D(2024, 1, 26))
    client.force_login(unit["office"])
    url = reverse("democratic:meeting_list")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    for day in (D(2023, 1, 10), D(2022, 1, 12)):
        services.create_life_meeting({"org": unit["committee"], "year": day.year - 1, "title": "=年度民主生活会",
                                      "date": day})
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["table"].data) == 3
    assert len(small.captured_queries) == len(large.captured_queries)
    response = client.get(reverse("democratic:meeting_export"), {"year": 2023})
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("序号", "组织", "年度", "会议主题", "召开日期", "地点", "上级督导人员", "应到", "实到",
                       "报告和记录报送日期", "通报范围", "会议情况")
    assert rows[1][:5] + rows[1][6:10] == (1, "某局党委", 2023, "专题民主生活会", dt.datetime(2024, 1, 16), "市委督导组",
                                          4, 3, dt.datetime(2024, 1, 26))
    assert len(rows) == 2

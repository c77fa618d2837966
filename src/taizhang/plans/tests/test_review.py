"""Submissions, review, return and re-submission, end to end through the pages."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.core.models import Attachment
from taizhang.core.status import events_for
from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, Occurrence, PlanItem, Submission
from taizhang.records import services as records

D = dt.date


@pytest.fixture
def campaign(tree, seed_file, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    return campaign


def submission_task(campaign, branch):
    # 三.4 "开展'立足岗位作贡献'活动": set to be answered by a submission (no record rules).
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.4")
    services.set_rules(item, [])
    return Assignment.objects.get(item=item, org=branch)


def test_submit_return_resubmit_approve(client, campaign, tree, office, secretary_a):
    branch = tree["branches"][0]
    assignment = submission_task(campaign, branch)
    client.force_login(secretary_a)
    page = client.get(assignment.get_absolute_url())
    assert page.status_code == 200 and "报送完成情况" in page.content.decode()
    url = reverse("plans:submit", args=["assignment", assignment.pk])
    client.post(url, {"text": "设立党员示范岗3个", "files": SimpleUploadedFile("名单.pdf", b"%PDF")})
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    submission = Submission.objects.get()
    assert (submission.text, submission.org, submission.submitted_by) == ("设立党员示范岗3个", branch, secretary_a)
    assert Attachment.objects.get().object_id == submission.pk

    # The secretary cannot approve her own work.
    approve = reverse("plans:decide", args=["assignment", assignment.pk, "approve"])
    client.post(approve)
    assignment.refresh_from_db()
    assert assignment.status == "submitted"

    client.force_login(office)
    queue = client.get(reverse("plans:review_queue"))
    assert assignment in queue.context["assignments"]
    give_back = reverse("plans:decide", args=["assignment", assignment.pk, "return_for_revision"])
    client.post(give_back, {"comment": ""})  # a return needs a reason
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    back = client.post(give_back, {"comment": "请补充示范岗名单",
                                   "next": f"/plans/review/?campaign={campaign.pk}"})
    assert back.url == f"/plans/review/?campaign={campaign.pk}"  # the queue keeps its filter
    assert client.post(give_back, {"comment": "x", "next": "https://evil.example/"}).url != (
        "https://evil.example/")
    assignment.refresh_from_db()
    assert assignment.status == "returned"

    client.force_login(secretary_a)
    client.post(url, {"text": "已补充名单：示范岗3个、志愿服务队1支"})
    client.force_login(office)
    client.post(approve)
    assignment.refresh_from_db()
    assert (assignment.status, assignment.reviewed) == ("done", True)
    rounds = [(e.verb, e.comment, e.actor.username) for e in events_for(assignment)]
    assert rounds == [
        ("submit", "设立党员示范岗3个", "sec_a"),
        ("return_for_revision", "请补充示范岗名单", "office"),
        ("submit", "已补充名单：示范岗3个、志愿服务队1支", "sec_a"),
        ("approve", "", "office"),
    ]
    assert assignment not in client.get(reverse("plans:review_queue")).context["assignments"]


def test_record_completed_work_is_confirmed_or_returned(client, campaign, tree, office,
                                                        django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    # Only a task the office marked as needing review puts record-completed work in the queue.
    PlanItem.objects.filter(plan=campaign.plan, ref="三.2（3）").update(records_need_review=True)
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(branch, D(2023, 10, 12), "集中学习", attendance=[])
    october = Occurrence.objects.get(assignment__org=branch, assignment__item__ref="三.2（3）",
                                     period_start=D(2023, 10, 1))
    assert (october.status, october.reviewed) == ("done", False)
    client.force_login(office)
    assert october in client.get(reverse("plans:review_queue")).context["occurrences"]
    client.post(reverse("plans:decide", args=["occurrence", october.pk, "return_for_revision"]),
                {"comment": "学习记录缺少研讨内容"})
    october.refresh_from_db()
    assert october.status == "returned"
    # A returned period stays returned while records change; the branch re-submits it.
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(branch, D(2023, 10, 20), "专题研讨", attendance=[])
    october.refresh_from_db()
    assert october.status == "returned"


def test_other_branch_cannot_see_submit_or_review(client, campaign, tree, secretary_b):
    assignment = submission_task(campaign, tree["branches"][0])
    client.force_login(secretary_b)
    assert client.get(assignment.get_absolute_url()).status_code == 404
    response = client.post(reverse("plans:submit", args=["assignment", assignment.pk]), {"text": "x"})
    assert response.status_code == 404
    assert not Submission.objects.exists()
    assert client.get(reverse("plans:review_queue")).status_code == 403  # reviews nowhere


def test_item_edit_changes_rules_and_reevaluates(client, campaign, tree, office,
                                                  django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(branch, D(2023, 11, 3), "集中学习", attendance=[])
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（3）")
    rule = item.rules.get()
    client.force_login(office)
    url = reverse("plans:item_edit", args=[item.pk])
    page = client.get(url)
    assert page.status_code == 200
    data = {
        "_loaded_at": page.context["loaded_at"],
        "title": item.title, "kind": "task", "responsible": "branch", "due": "2023-09-30",
        "recurrence": "FREQ=MONTHLY", "text": item.text,
        "rules-TOTAL_FORMS": "2", "rules-INITIAL_FORMS": "1", "rules-MIN_NUM_FORMS": "0",
        "rules-MAX_NUM_FORMS": "1000",
        "rules-0-id": rule.pk, "rules-0-item": item.pk, "rules-0-record_kind": "study_session",
        "rules-0-per": "record", "rules-0-min_count": "2", "rules-0-window": "period",
        "rules-1-record_kind": "", "rules-1-per": "record", "rules-1-min_count": "1",
        "rules-1-window": "period",
    }
    response = client.post(url, data)
    assert response.status_code == 302
    assert [(r.record_kind, r.min_count) for r in item.rules.all()] == [("study_session", 2)]
    november = Occurrence.objects.get(assignment__org=branch, assignment__item=item,
                                      period_start=D(2023, 11, 1))
    assert (november.status, november.evidence_count, november.evidence_needed) == ("pending", 1, 2)

"""Issue 15 §2: the review queue shows what needs a decision first, with the submission's
text and files, a status filter and bulk approval; work completed by records needs no
review action by default; the review notices are marked read after the decision."""

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, Occurrence, PlanItem
from taizhang.records import services as records

D = dt.date


@pytest.fixture
def campaign(tree, seed_file, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    return campaign


def _submission_task(campaign, branch, ref="三.4"):
    item = PlanItem.objects.get(plan=campaign.plan, ref=ref)
    services.set_rules(item, [])
    return Assignment.objects.get(item=item, org=branch)


def _study(branch, day, capture):
    with capture(execute=True):
        records.create_study_session(branch, day, "集中学习", attendance=[])


def test_record_completed_work_needs_no_review_by_default(client, campaign, tree, office,
                                                          django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    for month in (9, 10, 11, 12):
        _study(branch, D(2023, month, 12), django_capture_on_commit_callbacks)
    done = Occurrence.objects.filter(assignment__org=branch, assignment__item__ref="三.2（3）", status="done")
    assert done.count() == 4
    client.force_login(office)
    page = client.get(reverse("plans:review_queue"))
    assert page.context["rows"] == []
    assert "没有待审核的事项" in page.content.decode()
    # The assignment page offers no 确认 either: the record completed the task.
    html = client.get(done.first().assignment.get_absolute_url()).content.decode()
    assert "'confirm'" not in html and "/confirm/" not in html


def test_submissions_first_with_text_and_files_then_filter_and_bulk(client, campaign, tree, office,
                                                                    secretary_a,
                                                                    django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    PlanItem.objects.filter(plan=campaign.plan, ref="三.2（3）").update(records_need_review=True)
    _study(branch, D(2023, 10, 12), django_capture_on_commit_callbacks)  # record-completed, older
    assignment = _submission_task(campaign, branch)
    client.force_login(secretary_a)
    client.post(reverse("plans:submit", args=["assignment", assignment.pk]),
                {"text": "设立党员示范岗3个", "files": SimpleUploadedFile("示范岗名单.pdf", b"%PDF")})

    client.force_login(office)
    page = client.get(reverse("plans:review_queue"))
    rows = page.context["rows"]
    assert [r["obj"].status for r in rows] == ["submitted", "done"]
    html = page.content.decode()
    assert "设立党员示范岗3个" in html and "示范岗名单.pdf" in html
    table = html[html.index('id="review-queue"'):]
    assert table.index("设立党员示范岗3个") < table.index("记录完成待确认")

    only = client.get(reverse("plans:review_queue"), {"status": "submitted"}).context["rows"]
    assert [r["obj"] for r in only] == [assignment]
    records_only = client.get(reverse("plans:review_queue"), {"status": "records"}).context["rows"]
    assert [r["obj"].status for r in records_only] == ["done"]

    picks = [f"{r['kind']}-{r['obj'].pk}" for r in rows]
    response = client.post(reverse("plans:review_bulk"),
                           {"target": picks, "next": "/plans/review/?status=submitted"})
    assert response.url == "/plans/review/?status=submitted"
    assignment.refresh_from_db()
    october = rows[1]["obj"]
    october.refresh_from_db()
    assert (assignment.status, assignment.reviewed) == ("done", True)
    assert (october.status, october.reviewed) == ("done", True)
    assert client.get(reverse("plans:review_queue")).context["rows"] == []


def test_bulk_approval_of_rows_out_of_scope_is_404_and_writes_nothing(client, campaign, tree,
                                                                     secretary_a, secretary_b):
    assignment = _submission_task(campaign, tree["branches"][0])
    client.force_login(secretary_a)
    client.post(reverse("plans:submit", args=["assignment", assignment.pk]), {"text": "已完成"})
    client.force_login(secretary_b)
    response = client.post(reverse("plans:review_bulk"), {"target": [f"assignment-{assignment.pk}"]})
    assert response.status_code == 404
    assignment.refresh_from_db()
    assert assignment.status == "submitted"
    queue = client.get(reverse("plans:review_queue"))
    assert queue.status_code == 403 and "只有党委的审核人员可以使用审核把关" in queue.content.decode()


def test_review_notices_are_read_after_the_decision(client, campaign, tree, office, secretary_a,
                                                    django_capture_on_commit_callbacks):
    from taizhang.notify.models import Notice

    assignment = _submission_task(campaign, tree["branches"][0])
    client.force_login(secretary_a)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:submit", args=["assignment", assignment.pk]), {"text": "已完成"})
    waiting = Notice.objects.filter(user=office, reminder__kind="review_waiting",
                                    reminder__object_id=assignment.pk)
    assert waiting.count() == 1 and waiting.get().read_at is None
    client.force_login(office)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(reverse("plans:decide", args=["assignment", assignment.pk, "approve"]))
    assert waiting.get().read_at is not None

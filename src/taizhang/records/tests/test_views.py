"""Pages, ledgers and API of the records app, as a branch secretary."""

import datetime as dt
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.orgs.tests.factories import UserFactory, grant

from .. import services
from ..models import FilmViewing, Lecture, Meeting, MeetingKind, ResearchVisit, SelfStudy, Suggestion, Talk
from ..views import kinds

KINDS = kinds()
from .factories import meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(rworld, client):
    user = UserFactory(username="sec1")
    grant(user, rworld["branches"][0], "branch_secretary")
    client.force_login(user)
    return user


def some_records(rworld, n=1):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    for i in range(n):
        day = dt.date(2023, 10, 1) + dt.timedelta(days=i)
        meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, day, host=people[0], recorder=people[1],
                title=f"党员大会{i}", motions=[{"title": "议题", "yes": 5}])
        services.create_study_session(branch, day, f"学习{i}", leader=people[0], hours=2)
        services.create_record(Lecture, org=branch, audience=branch, speaker=people[0], title=f"党课{i}", date=day)
        services.create_record(ResearchVisit, org=branch, leader=people[0], topic=f"课题{i}", place="一线", date=day,
                               findings="问题")
        services.create_record(Talk, org=branch, party_a=people[0], party_b=people[i % 8 + 1], date=day)
        services.submit_suggestion(branch, f"建议{i}", member=people[2], date=day)
        services.create_record(SelfStudy, org=branch, member=people[3], title="自学", date=day)
        services.create_record(FilmViewing, org=branch, title=f"电教片{i}", date=day, viewers=8)


@pytest.mark.parametrize("slug", list(KINDS))
def test_every_page_renders(client, secretary, rworld, slug):
    some_records(rworld)
    obj = KINDS[slug].model_class.objects.first()
    for name, kwargs in (("list", {}), ("add", {}), ("detail", {"pk": obj.pk}), ("edit", {"pk": obj.pk}),
                         ("delete", {"pk": obj.pk})):
        response = client.get(reverse(f"records:{slug}_{name}", kwargs=kwargs))
        assert response.status_code == 200, (slug, name)
    detail = client.get(obj.get_absolute_url()).content.decode()
    assert "history" in detail or "历史" in detail


@pytest.mark.parametrize("slug", list(KINDS))
def test_lists_use_a_constant_number_of_queries(client, secretary, rworld, slug):
    some_records(rworld, 2)
    url = reverse(f"records:{slug}_list")
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    some_records(rworld, 12)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert len(response.context["table"].rows) >= 14
    assert len(large) == len(small), slug


def test_record_a_meeting_with_attendance_through_the_form(client, secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    page = client.get(reverse("records:meeting_add"))
    rows = page.context["checklist"].rows
    assert [r["status"] for r in rows[:5]] == ["present"] * 5  # the branch committee
    assert {r["status"] for r in rows[5:]} == {"none"}
    data = {"kind": "branch_committee_meeting", "org": branch.pk, "date": "2023-10-12",
            "start_time": "15:00", "end_time": "16:00", "place": "会议室", "host": people[0].pk,
            "recorder": people[1].pk, "topics": "研究发展党员\n部署学习",
            "motion-TOTAL_FORMS": "1", "motion-INITIAL_FORMS": "0",
            "motion-0-title": "同意张三为发展对象", "motion-0-kind": "ordinary",
            "motion-0-yes": "4", "motion-0-no": "0", "motion-0-abstain": "0"}
    for p in people[:5]:
        data[f"att-{p.pk}"] = "present"
        data[f"voting-{p.pk}"] = "on"
    data[f"att-{people[4].pk}"] = "leave"
    data[f"reason-{people[4].pk}"] = "出差"
    for p in people[5:]:
        data[f"att-{p.pk}"] = "none"
    response = client.post(reverse("records:meeting_add"), data)
    assert response.status_code == 302, response.context["form"].errors if response.context else ""
    m = Meeting.objects.get()
    assert (m.expected_count, m.present_count, m.absent_count) == (5, 4, 1)
    assert m.attendance.get(member=people[4]).reason == "出差"
    assert m.motions.get().yes == 4
    assert m.topic_list == ["研究发展党员", "部署学习"]
    detail = client.get(response.url).content.decode()
    assert "4/5" in detail and "出差" in detail


def test_meeting_form_refuses_too_many_votes_and_writes_nothing(client, secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    data = {"kind": "branch_committee_meeting", "org": branch.pk, "date": "2023-10-12",
            "motion-TOTAL_FORMS": "1", "motion-INITIAL_FORMS": "0", "motion-0-title": "事项",
            "motion-0-kind": "ordinary", "motion-0-yes": "9", "motion-0-no": "0", "motion-0-abstain": "0"}
    for p in people[:5]:
        data[f"att-{p.pk}"] = "present"
        data[f"voting-{p.pk}"] = "on"
    response = client.post(reverse("records:meeting_add"), data)
    assert response.status_code == 200
    assert "超过到会有表决权人数" in response.content.decode()
    assert not Meeting.objects.exists()


def test_a_motion_row_in_error_is_shown_unfolded(client, secretary, rworld):
    """New-user pass: only "表决事项填写有误。" showed; the row's own error stayed in the
    folded 表决事项 section."""
    branch = rworld["branches"][0]
    data = {"kind": "branch_committee_meeting", "org": branch.pk, "date": "2023-10-12",
            "motion-TOTAL_FORMS": "1", "motion-INITIAL_FORMS": "0", "motion-0-title": "事项",
            "motion-0-kind": "ordinary", "motion-0-yes": "-3", "motion-0-no": "0", "motion-0-abstain": "0"}
    response = client.post(reverse("records:meeting_add"), data)
    html = response.content.decode()
    assert response.status_code == 200 and not Meeting.objects.exists()
    assert '<details class="mb-3" id="motions" open>' in html


def test_meeting_ledger_columns_and_dates(client, secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    meeting(branch, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2023, 11, 3), host=people[0],
            title="=cmd|' /C calc'!A0", start_time=dt.time(9, 30),
            attendance=[{"member": p} for p in people[:4]] + [{"member": people[4], "status": "leave", "reason": "病假"}])
    response = client.get(reverse("records:meeting_export"))
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    header = [c.value for c in sheet[1]]
    assert header[:6] == ["序号", "组织", "会议类型", "会议主题", "日期", "开始时间"]
    row = {h: c.value for h, c in zip(header, sheet[2], strict=True)}
    assert row["日期"] == dt.datetime(2023, 11, 3)
    assert row["会议主题"] == "=cmd|' /C calc'!A0"
    assert sheet["D2"].data_type == "s" and sheet["D2"].quotePrefix  # text, never a formula
    assert (row["应到人数"], row["实到人数"], row["缺席人数"]) == (5, 4, 1)
    assert row["缺席人员及原因"] == f"{people[4].name}（请假：病假）"
    assert row["主持人"] == people[0].name and row["开始时间"] == "09:30"


def test_attendance_ledger_one_row_per_attendee(client, secretary, rworld):
    branch = rworld["branches"][0]
    meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING)
    meeting(rworld["branches"][1], MeetingKind.BRANCH_GENERAL_MEETING)  # not visible
    response = client.get(reverse("records:attendance_export"))
    sheet = load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 9
    assert rows[0][1] == dt.datetime(2023, 10, 12) and rows[0][6] == "出席"


@pytest.mark.parametrize("slug,title", [("study", "学习台账"), ("lecture", "党课台账"), ("research", "调研台账"),
                                        ("talk", "谈心谈话台账"), ("suggestion", "意见建议台账"),
                                        ("selfstudy", "个人自学台账")])
def test_other_ledgers(client, secretary, rworld, slug, title):
    some_records(rworld, 2)
    response = client.get(reverse(f"records:{slug}_export"))
    assert "attachment" in response["Content-Disposition"]
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)))
    sheet = book.active
    assert sheet.title == title
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    assert len(rows) == 2 and [r[0] for r in rows] == [1, 2]
    assert any(isinstance(v, dt.datetime) for v in rows[0])


def test_qr_code_and_sign_in_page(client, secretary, rworld):
    branch = rworld["branches"][0]
    today = dt.date.today()
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, today)
    assert client.get(reverse("records:meeting_qr", args=[m.pk])).status_code == 404  # off by default
    client.post(reverse("records:meeting_sign_in_toggle", args=[m.pk]), {"enabled": "1"})
    m.refresh_from_db()
    qr = client.get(reverse("records:meeting_qr", args=[m.pk]))
    assert qr["Content-Type"] == "image/svg+xml" and b"<svg" in qr.content
    member_user = UserFactory(username="m1")
    person = rworld["members"][branch.code][7]
    person.user = member_user
    person.save()
    services.set_attendance(m, [{"member": p, "status": "absent"} for p in rworld["members"][branch.code]])
    client.force_login(member_user)
    page = client.get(reverse("records:sign_in", args=[m.sign_in_token]))
    assert "签到成功" in page.content.decode()
    assert "已签到" in client.get(reverse("records:sign_in", args=[m.sign_in_token])).content.decode()
    assert m.attendance.get(member=person).status == "present"


def test_suggestion_answer_page(client, secretary, rworld):
    branch = rworld["branches"][0]
    s = services.submit_suggestion(branch, "建议", anonymous=True, date=dt.date(2023, 11, 20))
    client.post(reverse("records:suggestion_answer", args=[s.pk]), {"reply": "已办理", "replied_on": "2023-11-19"})
    s.refresh_from_db()  # an answer before the suggestion was made is refused (issue 12)
    assert (s.status, s.replied_on) == ("received", None)
    client.post(reverse("records:suggestion_answer", args=[s.pk]), {"reply": "已办理", "replied_on": "2023-12-01"})
    s.refresh_from_db()
    assert (s.status, s.reply, s.replied_on) == ("answered", "已办理", dt.date(2023, 12, 1))


def test_member_gives_an_anonymous_suggestion(client, rworld):
    branch = rworld["branches"][0]
    user = UserFactory(username="m2")
    person = rworld["members"][branch.code][6]
    person.user = user
    person.save()
    client.force_login(user)
    client.post(reverse("records:my_suggestion"), {"content": "食堂菜品单一", "anonymous": "on"})
    s = Suggestion.objects.get()
    assert (s.org, s.member, s.anonymous) == (branch, None, True)


def test_member_records_own_micro_lecture(client, rworld):
    """A member with no office role records the 微党课 he or she gave: speaker, kind, org and
    audience are the member's own, whatever the form is sent."""
    branch, other = rworld["branches"]
    user = UserFactory(username="m3")
    grant(user, branch, "member")
    person = rworld["members"][branch.code][6]
    person.user = user
    person.save()
    client.force_login(user)
    url = reverse("records:my_micro_lecture")
    assert client.get(url).status_code == 200
    response = client.post(url, {"title": "学习党章第一章", "date": "2023-11-08", "place": "会议室",
                                 "audience_count": "12", "org": other.pk, "speaker": "1", "kind": "lecture"})
    assert response.status_code == 302
    lecture = Lecture.objects.get()
    assert (lecture.kind, lecture.speaker, lecture.org, lecture.audience, lecture.date, lecture.audience_count) == (
        "micro_lecture", person, branch, branch, dt.date(2023, 11, 8), 12)
    assert "学习党章第一章" in client.get(url).content.decode()
    bad = client.post(url, {"title": "", "date": "2023-11-08"})
    assert bad.status_code == 200 and "title" in bad.context["form"].errors
    assert Lecture.objects.count() == 1


def test_api_create_meeting_with_attendance_and_read_counts(client, secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    payload = {"org": branch.pk, "kind": "branch_general_meeting", "date": "2023-10-20",
               "attendance": [{"member": p.pk} for p in people[:7]]
               + [{"member": people[7].pk, "status": "leave", "reason": "出差"}],
               "motions": [{"title": "接收预备党员", "kind": "admission", "yes": 6, "no": 0, "abstain": 1}]}
    response = client.post("/api/meetings/", payload, content_type="application/json")
    assert response.status_code == 201, response.json()
    body = client.get(f"/api/meetings/{response.json()['id']}/").json()
    assert (body["expected_count"], body["present_count"], body["absent_count"]) == (8, 7, 1)
    assert body["motions"][0]["yes"] == 6
    rows = client.get("/api/attendance/", {"meeting": body["id"], "status": "leave"}).json()["results"]
    assert [r["reason"] for r in rows] == ["出差"]


def test_api_refuses_other_branch(client, secretary, rworld):
    other = rworld["branches"][1]
    m = meeting(other)
    assert client.patch(f"/api/meetings/{m.pk}/", {"title": "x"}, content_type="application/json").status_code == 404
    assert client.delete(f"/api/meetings/{m.pk}/").status_code == 404
    response = client.post("/api/meetings/", {"org": other.pk, "kind": "branch_committee_meeting",
                                              "date": "2023-10-01"}, content_type="application/json")
    assert response.status_code == 400
    assert Meeting.objects.count() == 1

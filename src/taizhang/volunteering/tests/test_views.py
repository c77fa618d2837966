"""Pages and API of the volunteering app: forms through the service, constant queries on the
lists, the per-member hours ledger (page and Excel) in the filter's period, scoping."""

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.orgs.tests.factories import MemberFactory
from taizhang.volunteering import services
from taizhang.volunteering.models import CommunityRegistration, ModelPost, VolunteerActivity

D = dt.date


def make(kind, org, people, n, day=D(2023, 10, 1)):
    for i in range(day.month * 100, day.month * 100 + n):
        if kind == "post":
            services.create_post(org=org, name=f"示范岗{i}", member=people[i % len(people)], start=day)
        elif kind == "activity":
            services.create_activity(org=org, team=f"服务队{i}", date=day, place="幸福社区", hours=Decimal("1"),
                                     content="服务", participants=people)
        else:
            services.create_registration(org=org, member=people[i % len(people)], community=f"社区{i}",
                                         registered_on=day)


def sheet_rows(response):
    book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return [list(row) for row in book.active.iter_rows(values_only=True)]


@pytest.mark.parametrize("kind", ["post", "activity", "registration"])
def test_lists_run_a_constant_number_of_queries(client, secretary, branch, members, kind):
    client.force_login(secretary)
    url = reverse(f"volunteering:{kind}_list")
    make(kind, branch, members, 2)
    with CaptureQueriesContext(connection) as small:
        assert client.get(url).status_code == 200
    make(kind, branch, members, 12, day=D(2023, 11, 1))
    with CaptureQueriesContext(connection) as large:
        response = client.get(url)
    assert response.status_code == 200
    assert len(large.captured_queries) == len(small.captured_queries)
    assert response.content.decode().count("2023-11-01") == 12
    if kind == "activity":  # the activity list links the hours ledger with its filters
        assert reverse("volunteering:hours") + "?" in response.content.decode()


def test_add_an_activity_from_the_form(client, secretary, branch, members, outsider):
    client.force_login(secretary)
    url = reverse("volunteering:activity_add")
    data = {"org": branch.pk, "team": "党员志愿服务队", "date": "2023-10-14", "place": "幸福社区",
            "participants": [members[0].pk, members[1].pk], "hours": "2.5", "content": "义务巡河"}
    response = client.post(url, {**data, "hours": "0"})
    assert response.status_code == 200 and not VolunteerActivity.objects.exists()
    assert "participants" not in response.context["form"].errors
    response = client.post(url, {**data, "participants": [outsider.pk]})  # not a choice of A's secretary
    assert response.status_code == 200 and "participants" in response.context["form"].errors
    response = client.post(url, data)
    activity = VolunteerActivity.objects.get()
    assert response.status_code == 302 and response["Location"] == activity.get_absolute_url()
    assert sorted(m.name for m in activity.participants.all()) == ["张一", "李二"]
    detail = client.get(activity.get_absolute_url()).content.decode()
    assert "义务巡河" in detail and "张一" in detail
    edit = client.post(reverse("volunteering:activity_edit", args=[activity.pk]),
                       {**data, "participants": [members[2].pk], "hours": "3", "_loaded_at": activity.__class__._base_manager.get(pk=activity.pk).updated_at.isoformat(timespec="microseconds")})
    assert edit.status_code == 302
    activity.refresh_from_db()
    assert ([m.name for m in activity.participants.all()], activity.hours) == (["王三"], Decimal("3"))
    client.post(reverse("volunteering:activity_delete", args=[activity.pk]))
    assert not VolunteerActivity.objects.exists()


def test_post_and_registration_forms_show_the_service_rules(client, secretary, branch, members):
    client.force_login(secretary)
    response = client.post(reverse("volunteering:post_add"), {
        "org": branch.pk, "name": "窗口示范岗", "member": members[0].pk, "start": "2023-10-02", "end": "2023-10-01"})
    assert response.context["form"].errors == {"end": ["截止日期不能早于设岗日期。"]}
    response = client.post(reverse("volunteering:registration_add"), {
        "org": branch.pk, "member": members[0].pk, "community": "幸福社区", "registered_on": "2023-09-20"})
    assert response.status_code == 302 and CommunityRegistration.objects.count() == 1
    response = client.post(reverse("volunteering:registration_add"), {
        "org": branch.pk, "member": members[0].pk, "community": "幸福社区", "registered_on": "2023-09-21"})
    assert response.context["form"].errors == {"__all__": ["该党员已在此社区报到。"]}


def test_hours_ledger_per_member_in_the_period(client, office, tree, branch, other_branch, members):
    zhao = MemberFactory(org=other_branch, name="赵四")
    services.create_activity(org=branch, team="服务队", date=D(2023, 9, 30), place="A", hours=Decimal("2.5"),
                             content="x", participants=members[:2])
    services.create_activity(org=branch, team="服务队", date=D(2023, 10, 14), place="B", hours=Decimal("1.5"),
                             content="x", participants=members)
    services.create_activity(org=other_branch, team="服务队", date=D(2023, 10, 20), place="C", hours=Decimal("4"),
                             content="x", participants=[zhao])
    services.create_activity(org=branch, team="服务队", date=D(2023, 12, 1), place="D", hours=Decimal("8"),
                             content="x", participants=[members[0]])
    client.force_login(office)
    query = "date_after=2023-09-01&date_before=2023-10-31"
    rows = sheet_rows(client.get(reverse("volunteering:hours_export") + "?" + query))
    assert rows == [
        ["序号", "党员", "所在支部", "参加活动次数", "服务总时长（小时）"],
        [1, "张一", "第1党支部", 2, 4],
        [2, "李二", "第1党支部", 2, 4],
        [3, "王三", "第1党支部", 1, 1.5],
        [4, "赵四", "第2党支部", 1, 4],
    ]
    rows = sheet_rows(client.get(reverse("volunteering:hours_export") + f"?org={branch.pk}"))
    assert rows[1:] == [[1, "张一", "第1党支部", 3, 12], [2, "李二", "第1党支部", 2, 4],
                        [3, "王三", "第1党支部", 1, 1.5]]
    page = client.get(reverse("volunteering:hours") + "?" + query)
    assert [(r["name"], r["count"], r["hours"]) for r in page.context["rows"]] == [
        ("张一", 2, Decimal("4.0")), ("李二", 2, Decimal("4.0")), ("王三", 1, Decimal("1.5")),
        ("赵四", 1, Decimal("4.0"))]
    assert page.context["total"] == Decimal("13.5")
    assert page.context["members"] == 4


def test_hours_page_is_paged_with_the_total_of_all(client, office, branch, monkeypatch):
    from taizhang.volunteering.views import HoursView

    monkeypatch.setattr(HoursView, "PER_PAGE", 2)
    people = [MemberFactory(org=branch, name=f"党员{i}") for i in range(5)]
    services.create_activity(org=branch, team="服务队", date=D(2023, 10, 14), place="B", hours=Decimal("2"),
                             content="x", participants=people)
    client.force_login(office)
    page = client.get(reverse("volunteering:hours") + "?page=3")
    assert [r["name"] for r in page.context["rows"]] == ["党员4"]
    assert (page.context["members"], page.context["total"]) == (5, Decimal("10"))
    assert ">5</td>" in page.content.decode()  # numbered across pages


def test_the_secretary_sees_only_his_branch(client, secretary, branch, other_branch, members, outsider):
    services.create_activity(org=other_branch, team="乙队", date=D(2023, 10, 20), place="C", hours=Decimal("4"),
                             content="x", participants=[outsider])
    client.force_login(secretary)
    assert "赵外" not in client.get(reverse("volunteering:hours")).content.decode()
    assert sheet_rows(client.get(reverse("volunteering:hours_export")))[1:] == []
    listed = client.get(reverse("volunteeractivity-list")).json()
    assert (listed["results"] if isinstance(listed, dict) else listed) == []


def test_api_writes_through_the_service(client, secretary, branch, members, outsider):
    client.force_login(secretary)
    url = reverse("volunteeractivity-list")
    data = {"org": branch.pk, "team": "党员志愿服务队", "date": "2023-10-14", "place": "幸福社区",
            "participants": [members[0].pk], "hours": "2.0", "content": "义务巡河"}
    response = client.post(url, {**data, "hours": "30"}, content_type="application/json")
    assert response.status_code == 400 and "hours" in response.json()
    response = client.post(url, data, content_type="application/json")
    assert response.status_code == 201
    activity = VolunteerActivity.objects.get()
    response = client.patch(reverse("volunteeractivity-detail", args=[activity.pk]),
                            {"participants": [members[1].pk, members[2].pk], "version": activity.__class__._base_manager.get(pk=activity.pk).updated_at.isoformat(timespec="microseconds")},
                            content_type="application/json")
    assert response.status_code == 200
    assert sorted(m.name for m in activity.participants.all()) == ["李二", "王三"]
    response = client.post(reverse("modelpost-list"), {"org": branch.pk, "name": "示范岗", "member": members[0].pk,
                                                       "start": "2023-10-02", "end": "2023-10-01"},
                           content_type="application/json")
    assert response.status_code == 400 and response.json() == {"end": ["截止日期不能早于设岗日期。"]}
    assert client.delete(reverse("volunteeractivity-detail", args=[activity.pk])).status_code == 204
    assert not VolunteerActivity.objects.exists() and not ModelPost.objects.exists()

"""Record lists at scale (issue 14): attendance counts for the shown page only, one plain
COUNT(*) for the paginator, and a query count that does not grow with the data."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, grant

from ..models import Meeting, MeetingKind, attach_counts
from .factories import meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(rworld, client):
    user = UserFactory(username="sec-paging")
    grant(user, rworld["branches"][0], "branch_secretary")
    client.force_login(user)
    return user


def meetings(rworld, n, start=0):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    for i in range(start, start + n):
        # every third meeting has one member on leave: counts differ from row to row
        attendance = [{"member": p, "status": "leave" if (i % 3 == 0 and k == 0) else "present",
                       "reason": "出差" if (i % 3 == 0 and k == 0) else ""}
                      for k, p in enumerate(people[: 3 + i % 4])]
        meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 1, 1) + dt.timedelta(days=i),
                title=f"会议{i:03d}", attendance=attendance)


def test_meeting_list_counts_only_the_shown_page(client, secretary, rworld):
    meetings(rworld, 60)
    with CaptureQueriesContext(connection) as log:
        response = client.get(reverse("records:meeting_list"))
    table = response.context["table"]
    assert table.paginator.count == 60
    shown = [row.record for row in table.page.object_list]
    assert len(shown) == 50
    # the newest first; each row's 实到/应到 as stored
    for record in shown:
        fresh = Meeting.objects.get(pk=record.pk)
        assert record.quorum_display == f"{fresh.present_count}/{fresh.expected_count}"
    assert shown[0].title == "会议059" and shown[0].quorum_display == "6/6"  # 3 + 59 % 4 attendees
    assert shown[2].title == "会议057" and shown[2].quorum_display == "3/4"  # 57 % 3 == 0: one on leave
    sqls = [q["sql"] for q in log.captured_queries]
    counts = [s for s in sqls if "COUNT(*)" in s and "records_meeting" in s]
    assert len(counts) == 1 and "GROUP BY" not in counts[0] and "records_attendance" not in counts[0]
    grouped = [s for s in sqls if "records_attendance" in s]
    assert len(grouped) == 1 and " IN (" in grouped[0]  # the 50 shown rows only
    content = response.content.decode()
    assert "3/4" in content


def test_meeting_list_queries_do_not_grow_with_pages(client, secretary, rworld):
    meetings(rworld, 5)
    url = reverse("records:meeting_list")
    with CaptureQueriesContext(connection) as small:
        client.get(url)
    meetings(rworld, 70, start=5)
    with CaptureQueriesContext(connection) as large:
        response = client.get(url + "?page=2")
    assert len(response.context["table"].page.object_list) == 25
    assert len(large) == len(small)


def test_attach_counts_gives_zeros_without_attendance(rworld):
    branch = rworld["branches"][0]
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 3, 1), attendance=[])
    rows = [Meeting.objects.get(pk=m.pk)]
    with CaptureQueriesContext(connection) as log:
        attach_counts(rows)
    assert len(log) == 1
    assert rows[0].attendance_counts()["expected"] == 0
    attach_counts([])  # nothing to do, no query


def test_api_meeting_list_counts_the_page_only(client, secretary, rworld):
    meetings(rworld, 8)
    with CaptureQueriesContext(connection) as small:
        first = client.get("/api/meetings/").json()
    meetings(rworld, 60, start=8)
    with CaptureQueriesContext(connection) as log:
        data = client.get("/api/meetings/").json()
    assert data["count"] == 68 and len(data["results"]) == 50
    assert len(log) == len(small) and first["count"] == 8
    sqls = [q["sql"] for q in log.captured_queries]
    counts = [s for s in sqls if "COUNT(*)" in s and "records_meeting" in s]
    assert len(counts) == 1 and "GROUP BY" not in counts[0]
    newest = data["results"][0]
    fresh = Meeting.objects.get(pk=newest["id"])
    assert (newest["expected_count"], newest["present_count"]) == (fresh.expected_count, fresh.present_count)


def test_meeting_list_of_a_city_has_a_search_box_not_1500_options(client, rworld):
    """Above settings.TAIZHANG_CHOOSER_THRESHOLD organizations in scope the filter is a search
    box over /orgs/choose/ (orgs.tests.test_chooser); the page stays small and still shows
    the organization it was opened with (?org=)."""
    from taizhang.orgs.tests.test_chooser import many_branches

    many_branches(rworld["committee"])
    office = UserFactory(username="office-paging")
    grant(office, rworld["committee"], "committee_staff")
    client.force_login(office)
    meetings(rworld, 3)
    branch = rworld["branches"][0]
    response = client.get(reverse("records:meeting_list") + f"?org={branch.pk}")
    html = response.content.decode()
    assert html.count("<option") < 30 and len(response.content) < 60_000
    assert f'<option value="{branch.pk}" selected>{branch.name}（{branch.code}）</option>' in html
    assert 'hx-get="/orgs/choose/?keep=org"' in html
    assert "会议002" in html

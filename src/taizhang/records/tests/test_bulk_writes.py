"""Saving and deleting a meeting takes a constant number of queries, whatever the number of
attendees, motions or election results; the change is still audited on the meeting and the
re-evaluation signal is sent once per save."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant

from .. import services
from ..models import Attendance, ElectionResult, Meeting, MeetingKind, Motion
from taizhang.core.sources import evidence_changed as record_changed
from .factories import branch_with_members

pytestmark = pytest.mark.django_db

SIZES = (5, 40)


@pytest.fixture
def branches(client):
    """Two branches, of 5 and of 40 members, both recorded by one logged-in secretary:
    {size: (branch, members)}."""
    tree = build_tree(branches=2, groups=0)
    user = UserFactory(username="sec_bulk")
    result = {}
    for branch, size in zip(tree["branches"], SIZES, strict=True):
        result[size] = (branch, branch_with_members(branch, size, committee=3, probationary=2))
        grant(user, branch, "branch_secretary")
    client.force_login(user)
    result["user"] = user
    return result


def expected_states(people, second_edit=False):
    """What the form sends, as member id → (status, reason, voting) (None: not listed)."""
    states = {p.pk: ("present", "", p.status == "full") for p in people}
    states[people[1].pk] = ("leave", "出差", True)
    states[people[2].pk] = ("absent", "", True)
    if second_edit:
        states[people[0].pk] = ("leave", "病假", True)
        states[people[1].pk] = ("present", "", True)
        states[people[3].pk] = None
        states[people[-1].pk] = ("absent", "未请假", False)
    return states


def form_data(branch, states):
    data = {"kind": MeetingKind.BRANCH_GENERAL_MEETING, "org": branch.pk, "date": "2023-10-12",
            "title": "党员大会", "motion-TOTAL_FORMS": "1", "motion-INITIAL_FORMS": "0",
            "motion-0-title": "审议工作计划", "motion-0-kind": "ordinary", "motion-0-yes": "1",
            "motion-0-no": "0", "motion-0-abstain": "0"}
    for pk, state in states.items():
        if state is None:
            data[f"att-{pk}"] = "none"
            continue
        data[f"att-{pk}"], data[f"reason-{pk}"] = state[0], state[1]
        if state[2]:
            data[f"voting-{pk}"] = "on"
    return data


def stored(meeting):
    return {a.member_id: (a.status, a.reason, a.voting) for a in meeting.attendance.all()}


def counted_post(client, url, data):
    ContentType.objects.clear_cache()  # both sizes start from the same cache
    with CaptureQueriesContext(connection) as queries:
        response = client.post(url, data)
    assert response.status_code == 302, getattr(response, "context", None) and response.context["form"].errors
    return len(queries)


def test_saving_a_meeting_takes_the_same_queries_for_5_and_40_attendees(client, branches):
    created, edited = {}, {}
    for size in SIZES:
        branch, people = branches[size]
        states = expected_states(people)
        created[size] = counted_post(client, reverse("records:meeting_add"), form_data(branch, states))
        m = Meeting.objects.get(org=branch)
        assert stored(m) == states
        assert m.attendance.get(member=people[1]).reason == "出差"
        assert (m.expected_count, m.present_count, m.leave_count) == (size, size - 2, 1)

        states = expected_states(people, second_edit=True)
        edited[size] = counted_post(client, reverse("records:meeting_edit", args=[m.pk]),
                                    {**form_data(branch, states), "_loaded_at": m.__class__._base_manager.get(pk=m.pk).updated_at.isoformat(timespec="microseconds")})
        assert stored(m) == {pk: state for pk, state in states.items() if state is not None}
        assert m.attendance.get(member=people[-1]).reason == "未请假"
        assert not m.attendance.filter(member=people[3]).exists()
    assert created[5] == created[40], created
    assert edited[5] == edited[40], edited


def test_deleting_a_meeting_takes_the_same_queries_for_5_and_40_attendees(client, branches):
    counts = {}
    for size in SIZES:
        branch, people = branches[size]
        m = services.create_meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 10, 12),
                                    motions=[{"title": f"事项{i}", "yes": 1} for i in range(size // 5)],
                                    election_results=[{"post": "委员", "candidate": p, "yes": 3}
                                                      for p in people[: size // 5]])
        assert m.attendance.count() == size
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            response = client.post(reverse("records:meeting_delete", args=[m.pk]))
        assert response.status_code == 302
        counts[size] = len(queries)
        assert not Meeting.objects.filter(pk=m.pk).exists()
        assert not Attendance.objects.filter(meeting_id=m.pk).exists()
        assert not Motion.objects.filter(meeting_id=m.pk).exists()
        assert not ElectionResult.objects.filter(meeting_id=m.pk).exists()
        deletion = LogEntry.objects.get(object_id=m.pk, action=LogEntry.Action.DELETE,
                                        content_type=ContentType.objects.get_for_model(Meeting))
        kept = deletion.additional_data
        assert len(kept["attendance"]) == size and len(kept["motion"]) == size // 5
        assert {r["candidate_id"] for r in kept["electionresult"]} == {p.pk for p in people[: size // 5]}
    assert counts[5] == counts[40], counts


def test_motions_and_election_results_are_written_in_constant_queries(branches):
    counts = {}
    for size in SIZES:
        branch, people = branches[size]
        m = services.create_meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 10, 12))
        motions = [{"title": f"事项{i}", "yes": 2, "no": 1} for i in range(size)]
        results = [{"post": "委员", "candidate": p, "yes": 3, "elected": True} for p in people]
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as queries:
            services.update_meeting(m, motions=motions, election_results=results)
        counts[size] = len(queries)
        assert [(x.title, x.yes, x.no, x.order) for x in m.motions.all()] == [
            (f"事项{i}", 2, 1, i) for i in range(size)]
        assert sorted(r.candidate_id for r in m.election_results.all()) == sorted(p.pk for p in people)
        ids = sorted(m.motions.values_list("pk", flat=True)), sorted(m.election_results.values_list("pk", flat=True))
        services.update_meeting(m, motions=motions, election_results=results)  # unchanged: not rewritten
        assert (sorted(m.motions.values_list("pk", flat=True)), sorted(m.election_results.values_list("pk", flat=True))) == ids
        labels = sorted(tuple(e.changes) for e in LogEntry.objects.get_for_object(m)
                        if {"表决事项", "选举结果"} & set(e.changes or {}))
        assert labels == [("表决事项",), ("选举结果",)]  # one entry each, none for the unchanged save
    assert counts[5] == counts[40], counts


def test_the_meeting_history_shows_the_attendance_change(client, branches):
    branch, people = branches[5]
    client.post(reverse("records:meeting_add"), form_data(branch, expected_states(people)))
    m = Meeting.objects.get(org=branch)
    client.post(reverse("records:meeting_edit", args=[m.pk]),
                {**form_data(branch, expected_states(people, second_edit=True)), "_loaded_at": m.__class__._base_manager.get(pk=m.pk).updated_at.isoformat(timespec="microseconds")})
    entries = [e for e in LogEntry.objects.get_for_object(m) if "出席情况" in (e.changes or {})]
    assert len(entries) == 2 and {e.actor for e in entries} == {branches["user"]}
    first, change = sorted(entries, key=lambda e: e.pk)
    assert first.changes["出席情况"] == [
        "", f"应到5人（有表决权3人），实到3人；请假：{people[1].name}（出差）；缺席：{people[2].name}"]
    before, after = change.changes["出席变动"]
    assert f"{people[0].name} 出席" in before and f"{people[0].name} 请假（病假）" in after
    assert f"{people[3].name} 不计入" in after
    assert {d["member"] for d in change.additional_data["attendance"]} == {
        people[0].pk, people[1].pk, people[3].pk, people[-1].pk}
    page = client.get(m.get_absolute_url()).content.decode()
    history = page[page.index('id="history"'):]
    assert "出席情况" in history and "出席变动" in history and f"{people[0].name} 请假（病假）" in history


def test_record_changed_is_sent_once_per_save(client, branches, django_capture_on_commit_callbacks):
    branch, people = branches[40]
    seen = []

    def receiver(sender, **kwargs):
        seen.append((sender, kwargs["action"]))

    record_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("records:meeting_add"), form_data(branch, expected_states(people)))
        m = Meeting.objects.get(org=branch)
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("records:meeting_edit", args=[m.pk]),
                        {**form_data(branch, expected_states(people, second_edit=True)), "_loaded_at": m.__class__._base_manager.get(pk=m.pk).updated_at.isoformat(timespec="microseconds")})
        with django_capture_on_commit_callbacks(execute=True):
            client.post(reverse("records:meeting_delete", args=[m.pk]))
    finally:
        record_changed.disconnect(receiver)
    assert seen == [(Meeting, "create"), (Meeting, "update"), (Meeting, "delete")]


def test_attendance_given_by_member_ids_is_read_in_one_query(branches):
    counts = {}
    for size in SIZES:
        branch, people = branches[size]
        m = services.create_meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 10, 12),
                                    attendance=[])
        rows = [{"member": p.pk, "status": "leave", "reason": "培训"} for p in people]
        with CaptureQueriesContext(connection) as queries:
            services.set_attendance(m, rows)
        counts[size] = len(queries)
        assert set(stored(m).values()) == {("leave", "培训", True), ("leave", "培训", False)}
    assert counts[5] == counts[40], counts


def test_qr_sign_in_is_audited_on_the_meeting(branches):
    branch, people = branches[5]
    user = UserFactory(username="signer")
    people[2].user = user
    people[2].save()
    today = dt.date.today()
    m = services.create_meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, today, sign_in_enabled=True,
                                attendance=[{"member": p, "status": "absent"} for p in people])
    services.sign_in(m.sign_in_token, user, today=today)
    entry = LogEntry.objects.get_for_object(m).order_by("-pk").first()
    assert entry.actor == user
    assert entry.changes["出席变动"] == [f"{people[2].name} 缺席", f"{people[2].name} 出席（扫码签到）"]
    assert "实到1人" in entry.changes["出席情况"][1]


def test_the_api_saves_a_meeting_in_the_same_queries_for_5_and_40_attendees(client, branches):
    counts = {}
    for size in SIZES:
        branch, people = branches[size]
        payload = {"org": branch.pk, "kind": MeetingKind.BRANCH_GENERAL_MEETING, "date": "2023-10-20",
                   "attendance": [{"member": p.pk} for p in people[1:]]
                   + [{"member": people[0].pk, "status": "leave", "reason": "出差"}],
                   "motions": [{"title": "接收预备党员", "kind": "admission", "yes": 1}],
                   "election_results": [{"post": "委员", "candidate": p.pk, "yes": 2} for p in people[:2]]}
        ContentType.objects.clear_cache()
        with CaptureQueriesContext(connection) as create:
            response = client.post("/api/meetings/", payload, content_type="application/json")
        assert response.status_code == 201, response.json()
        body = response.json()
        assert {r["member"]: r["member_name"] for r in body["attendance"]} == {p.pk: p.name for p in people}
        m = Meeting.objects.get(pk=body["id"])
        assert m.attendance.get(member=people[0]).reason == "出差" and m.present_count == size - 1
        assert sorted(r.candidate_id for r in m.election_results.all()) == sorted(p.pk for p in people[:2])
        version = m.__class__._base_manager.get(pk=m.pk).updated_at.isoformat(timespec="microseconds")
        with CaptureQueriesContext(connection) as patch:
            response = client.patch(f"/api/meetings/{m.pk}/", {"attendance": payload["attendance"][2:],
                                                                "version": version},
                                    content_type="application/json")
        assert response.status_code == 200 and m.attendance.count() == size - 2
        counts[size] = (len(create), len(patch))
    assert counts[5] == counts[40], counts


def test_the_api_refuses_a_member_of_another_branch_and_writes_nothing(client, branches):
    (mine, people), (_other, outsiders) = branches[5], branches[40]
    outsider_only = UserFactory(username="outside")
    grant(outsider_only, mine, "branch_secretary")
    client.force_login(outsider_only)
    payload = {"org": mine.pk, "kind": MeetingKind.BRANCH_GENERAL_MEETING, "date": "2023-10-20",
               "attendance": [{"member": people[0].pk}, {"member": outsiders[0].pk}, {"member": 999999}]}
    response = client.post("/api/meetings/", payload, content_type="application/json")
    assert response.status_code == 400
    assert str(outsiders[0].pk) in str(response.json()["attendance"]) and "999999" in str(response.json())
    assert not Meeting.objects.exists()

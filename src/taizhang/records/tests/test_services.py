"""Services of the records app: attendance, counts, motions, sign-in, suggestions, audit."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import ValidationError

from taizhang.orgs.models import LeadershipMember, LeadershipTeam
from taizhang.orgs.tests.factories import MemberFactory, UserFactory

from .. import services
from ..models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    StudyAttendance,
    Suggestion,
    SuggestionStatus,
)
from taizhang.core.sources import evidence_changed as record_changed
from .factories import meeting

pytestmark = pytest.mark.django_db


def test_committee_meeting_defaults_to_the_branch_committee(rworld):
    branch = rworld["branches"][0]
    m = meeting(branch)
    assert m.expected_count == 5
    assert m.present_count == 5
    assert m.absent_count == 0
    assert m.quorum_display == "5/5"


def test_general_meeting_defaults_to_all_members_and_counts_add_up(rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    rows = [{"member": p, "status": AttendanceStatus.PRESENT} for p in people[:6]]
    rows += [{"member": people[6], "status": AttendanceStatus.LEAVE, "reason": "出差"},
             {"member": people[7], "status": AttendanceStatus.ABSENT},
             {"member": people[8], "status": AttendanceStatus.LEAVE, "reason": "病假"}]
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, attendance=rows)
    counts = Meeting.objects.with_counts().get(pk=m.pk).attendance_counts()
    assert counts == {"expected": 9, "present": 6, "leave": 2, "absent": 3, "unexcused": 1,
                      "voting_expected": 8, "voting_present": 6}
    assert m.attendance.get(member=people[8]).voting is False  # 预备党员
    assert m.attendance.get(member=people[6]).reason == "出差"


def test_group_meeting_defaults_to_the_group(rworld):
    branch = rworld["branches"][0]
    group = rworld["tree"]["groups"][branch.code][0]
    people = rworld["members"][branch.code]
    for p in people[:3]:
        p.group = group
        p.save()
    m = meeting(group, MeetingKind.GROUP_MEETING)
    assert sorted(a.member_id for a in m.attendance.all()) == sorted(p.pk for p in people[:3])


def test_team_meeting_defaults_to_the_leadership_team(rworld):
    committee = rworld["committee"]
    team = LeadershipTeam.objects.create(org=committee, name="班子")
    leaders = [MemberFactory(org=committee, name=f"领导{i}") for i in range(4)]
    for i, person in enumerate(leaders):
        LeadershipMember.objects.create(team=team, member=person, title="委员", order=i)
    m = services.create_meeting(committee, MeetingKind.CENTRAL_GROUP_STUDY, dt.date(2023, 9, 20))
    assert m.team == team
    assert [a.member_id for a in m.attendance.order_by("pk")] == [p.pk for p in leaders]
    assert m.problem_prefill()["level"] == "leadership"


def test_attendance_rejects_an_outsider_and_writes_nothing(rworld):
    a, b = rworld["branches"]
    outsider = rworld["members"][b.code][0]
    with pytest.raises(ValidationError):
        meeting(a, attendance=[outsider])
    assert not Attendance.objects.filter(member=outsider).exists()


def test_set_attendance_changes_only_what_changed(rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    m = meeting(branch)
    before = LogEntry.objects.count()
    rows = [{"member": p} for p in people[:4]] + [{"member": people[4], "status": "leave", "reason": "培训"}]
    services.set_attendance(m, rows)
    assert LogEntry.objects.count() == before + 1
    assert m.present_count == 4 and m.absent_count == 1


def test_study_session_uses_the_same_attendance_mechanism(rworld):
    branch = rworld["branches"][0]
    session = services.create_study_session(branch, dt.date(2023, 10, 8), "学习《习近平著作选读》第一卷",
                                            hours=2, theme="soul")
    assert session.expected_count == 9
    assert StudyAttendance.objects.filter(session=session).count() == 9


def test_motion_votes_cannot_exceed_voting_members_present(rworld):
    branch = rworld["branches"][0]
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING)
    with pytest.raises(ValidationError):
        services.set_motions(m, [{"title": "接收张三为预备党员", "yes": 8, "no": 1, "abstain": 0}])
    services.set_motions(m, [{"title": "接收张三为预备党员", "kind": "admission", "yes": 7, "no": 0, "abstain": 1}])
    motion = m.motions.get()
    assert (motion.yes, motion.votes_cast, motion.kind) == (7, 8, "admission")


def test_signal_after_commit(rworld, django_capture_on_commit_callbacks):
    seen = []

    def receiver(sender, **kw):
        seen.append((sender, kw["action"], kw["dates"]))

    record_changed.connect(receiver)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            m = meeting(rworld["branches"][0])
        with django_capture_on_commit_callbacks(execute=True):
            services.update_meeting(m, date=dt.date(2023, 11, 2))
        with django_capture_on_commit_callbacks(execute=True):
            services.delete_record(m)
    finally:
        record_changed.disconnect(receiver)
    assert seen == [
        (Meeting, "create", {dt.date(2023, 10, 12)}),
        (Meeting, "update", {dt.date(2023, 10, 12), dt.date(2023, 11, 2)}),
        (Meeting, "delete", {dt.date(2023, 11, 2)}),
    ]


def test_audit_actor_is_recorded_outside_a_request(rworld):
    user = UserFactory()
    m = meeting(rworld["branches"][0], actor=user)
    entries = list(LogEntry.objects.get_for_object(m))
    # the creation, and the first attendance list (audited on the meeting, not row by row)
    assert sorted(e.action for e in entries) == [LogEntry.Action.CREATE, LogEntry.Action.UPDATE]
    assert {e.actor for e in entries} == {user}


def test_qr_sign_in(rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    user = UserFactory()
    people[6].user = user
    people[6].save()
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING,
                attendance=[{"member": p, "status": "absent"} for p in people])
    with pytest.raises(services.SignInError) as exc:
        services.sign_in(m.sign_in_token, user, today=m.date)
    assert exc.value.code == "disabled"
    services.set_sign_in(m, True)
    _, row, already = services.sign_in(m.sign_in_token, user, today=m.date)
    assert (row.status, already) == ("present", False)
    assert row.signed_in_at is not None
    writes = LogEntry.objects.count()
    _, row, already = services.sign_in(m.sign_in_token, user, today=m.date)
    assert already is True and LogEntry.objects.count() == writes
    with pytest.raises(services.SignInError) as exc:
        services.sign_in(m.sign_in_token, user, today=m.date + dt.timedelta(days=1))
    assert exc.value.code == "expired"
    assert m.present_count == 1


def test_qr_sign_in_refuses_a_member_of_another_branch(rworld):
    a, b = rworld["branches"]
    user = UserFactory()
    other = rworld["members"][b.code][0]
    other.user = user
    other.save()
    m = meeting(a, sign_in_enabled=True)
    with pytest.raises(services.SignInError) as exc:
        services.sign_in(m.sign_in_token, user, today=m.date)
    assert exc.value.code == "not_expected"


def test_anonymous_suggestion_keeps_no_author_even_in_the_audit_trail(rworld):
    branch = rworld["branches"][0]
    author = rworld["members"][branch.code][3]
    user = UserFactory()
    s = services.submit_suggestion(branch, "建议增加学习时间", member=author, anonymous=True, actor=user)
    assert s.member is None and s.anonymous
    assert LogEntry.objects.get_for_object(s).get().actor is None
    assert s.problem_prefill()["source"] == "建言献策"


def test_suggestion_handling_moves_through_transitions(rworld):
    from taizhang.core.status import IllegalTransition, events_for

    branch = rworld["branches"][0]
    s = services.submit_suggestion(branch, "会议室太冷", member=rworld["members"][branch.code][1])
    user = UserFactory()
    services.start_handling(s, user)
    services.answer_suggestion(s, "已更换空调", user, replied_on=s.date)  # not before it was made
    s.refresh_from_db()
    assert (s.status, s.reply, s.replied_on, s.handled_by) == (
        SuggestionStatus.ANSWERED, "已更换空调", s.date, user)
    assert [e.verb for e in events_for(s)] == ["start_handling", "answer"]
    with pytest.raises(IllegalTransition):
        services.start_handling(s, user)
    assert Suggestion.objects.get(pk=s.pk).status == SuggestionStatus.ANSWERED


def test_talk_needs_two_people(rworld):
    from ..models import Talk

    branch = rworld["branches"][0]
    p = rworld["members"][branch.code][0]
    with pytest.raises(ValidationError):
        services.create_record(Talk, org=branch, party_a=p, party_b=p, date=dt.date(2023, 11, 1))


def test_sample_records_have_the_deliberate_gaps(db):
    from taizhang.orgs.sample import create_sample_orgs

    from ..models import Lecture, Meeting, StudySession
    from ..sample import load_sample_records

    committee = create_sample_orgs()["committee"]
    summary = load_sample_records(committee)
    assert "会议" in summary
    committee_meetings = Meeting.objects.filter(kind=MeetingKind.BRANCH_COMMITTEE_MEETING)
    zb03 = committee_meetings.filter(org__code="ZB03").values_list("date__month", flat=True)
    assert sorted(zb03) == [1, 9, 10, 12]
    assert committee_meetings.filter(org__code="ZB01").count() == 5
    assert not committee_meetings.filter(org__code="ZB06").exists()
    assert not Meeting.objects.filter(org__code="ZB05", kind="theme_party_day", date__month=12).exists()
    assert StudySession.objects.filter(org__code="ZB01").count() == 5
    assert Lecture.objects.filter(meeting__isnull=False).count() == 12
    assert load_sample_records(committee) == "记录样例已存在，未重复创建"


def test_a_record_cannot_be_dated_after_today(db):
    # Found by a new user: a 主题党日 dated 2027-03-01 was saved into the ledger.
    import datetime as dt

    import pytest
    from django.core.exceptions import ValidationError
    from django.utils import timezone

    from taizhang.orgs.tests.factories import build_tree
    from taizhang.records import services as records
    from taizhang.records.models import Meeting

    branch = build_tree(branches=1, groups=0)["branches"][0]
    tomorrow = timezone.localdate() + dt.timedelta(days=1)
    with pytest.raises(ValidationError) as error:
        records.create_meeting(branch, "theme_party_day", tomorrow, attendance=[])
    assert "日期晚于今天" in str(error.value)
    assert not Meeting.objects.exists()
    records.create_meeting(branch, "theme_party_day", timezone.localdate(), attendance=[])
    assert Meeting.objects.count() == 1

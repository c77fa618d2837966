"""Faults found by a new user: lectures could not be linked to a meeting (sliced choices),
and zero or negative hours were accepted."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, grant

from .. import forms, services
from ..models import Lecture, MeetingKind, SelfStudy, StudySession
from .factories import meeting

pytestmark = pytest.mark.django_db
D = dt.date


@pytest.fixture
def secretary(rworld, client):
    user = UserFactory(username="sec_faults")
    grant(user, rworld["branches"][0], "branch_secretary")
    client.force_login(user)
    return user


def lecture_data(branch, speaker, **extra):
    return {"kind": "lecture", "org": branch.pk, "title": "党课", "speaker": speaker.pk,
            "date": "2023-10-20", **extra}


# --- 1. 党课 → 所在会议 ------------------------------------------------------------------

def test_new_lecture_linked_to_a_meeting_is_saved(client, secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    held = meeting(branch, MeetingKind.PARTY_LECTURE, D(2023, 10, 20), title="支部党课")
    response = client.post(reverse("records:lecture_add"),
                           lecture_data(branch, people[0], meeting=held.pk))
    assert response.status_code == 302, response.context["form"].errors
    assert Lecture.objects.get().meeting == held


def test_lecture_already_linked_can_be_edited(client, secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    held = meeting(branch, MeetingKind.THEME_PARTY_DAY, D(2023, 10, 20))
    lecture = services.create_record(Lecture, org=branch, audience=branch, speaker=people[0],
                                     title="党课", date=D(2023, 10, 20), meeting=held)
    page = client.get(reverse("records:lecture_edit", args=[lecture.pk]))
    assert f'<option value="{held.pk}" selected>' in page.content.decode()
    response = client.post(reverse("records:lecture_edit", args=[lecture.pk]),
                           {**lecture_data(branch, people[0], title="改过的党课", meeting=held.pk),
                            "_loaded_at": lecture.__class__._base_manager.get(pk=lecture.pk).updated_at.isoformat(timespec="microseconds")})
    assert response.status_code == 302, response.context["form"].errors
    lecture.refresh_from_db()
    assert (lecture.title, lecture.meeting) == ("改过的党课", held)


def test_lecture_meeting_of_another_branch_is_refused(secretary, rworld):
    mine, other = rworld["branches"]
    people = rworld["members"][mine.code]
    foreign = meeting(other, MeetingKind.PARTY_LECTURE, D(2023, 10, 20))
    form = forms.LectureForm(lecture_data(mine, people[0], meeting=foreign.pk), user=secretary)
    assert not form.is_valid() and "meeting" in form.errors


def test_meeting_list_is_limited_for_display_but_keeps_old_chosen_meeting(secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    old = meeting(branch, MeetingKind.PARTY_LECTURE, D(2020, 1, 6), title="很早的党课")
    recent = [meeting(branch, MeetingKind.GROUP_MEETING, D(2023, 10, d)) for d in (9, 10, 11)]
    lecture = services.create_record(Lecture, org=branch, audience=branch, speaker=people[0],
                                     title="党课", date=D(2020, 1, 6), meeting=old)
    form = forms.LectureForm(instance=lecture, user=secretary)
    field = form.fields["meeting"]
    field.display_limit = 2
    shown = [str(value) for value, _label in field.choices if value != ""]
    assert shown == [str(recent[2].pk), str(recent[1].pk), str(old.pk)]
    # Validation is against every meeting, not the displayed ones.
    data = lecture_data(branch, people[0], meeting=recent[0].pk)
    bound = forms.LectureForm(data, instance=lecture, user=secretary)
    bound.fields["meeting"].display_limit = 2
    assert bound.is_valid(), bound.errors


# --- 2. 学时 must be positive ------------------------------------------------------------

@pytest.mark.parametrize("hours", ["-3", "0"])
def test_study_session_hours_must_be_positive(secretary, rworld, hours):
    branch = rworld["branches"][0]
    form = forms.StudySessionForm({"kind": "concentrated", "org": branch.pk, "topic": "集中学习",
                                   "date": "2023-10-20", "hours": hours}, user=secretary)
    assert not form.is_valid()
    assert "学时必须大于 0。" in form.errors["hours"]
    with pytest.raises(ValidationError):
        services.create_study_session(branch, D(2023, 10, 20), "集中学习", hours=hours)
    assert not StudySession.objects.exists()


def test_study_session_positive_hours_still_accepted(secretary, rworld):
    branch = rworld["branches"][0]
    form = forms.StudySessionForm({"kind": "concentrated", "org": branch.pk, "topic": "集中学习",
                                   "date": "2023-10-20", "hours": "0.5"}, user=secretary)
    assert "hours" not in form.errors


def test_self_study_hours_must_be_positive(secretary, rworld):
    branch = rworld["branches"][0]
    member = rworld["members"][branch.code][3]
    form = forms.SelfStudyForm({"org": branch.pk, "member": member.pk, "title": "自学",
                                "date": "2023-10-20", "hours": "-2"}, user=secretary)
    assert not form.is_valid() and "学时必须大于 0。" in form.errors["hours"]
    mine = forms.MySelfStudyForm({"title": "自学", "date": "2023-10-20", "hours": "-2"}, member=member)
    assert not mine.is_valid() and "学时必须大于 0。" in mine.errors["hours"]
    with pytest.raises(ValidationError):
        services.create_record(SelfStudy, org=branch, member=member, title="自学",
                               date=D(2023, 10, 20), hours=-2)
    assert not SelfStudy.objects.exists()


def test_lecture_audience_count_of_zero_is_refused(secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    form = forms.LectureForm(lecture_data(branch, people[0], audience_count="0"), user=secretary)
    assert not form.is_valid() and "audience_count" in form.errors

"""Counts that relate to the membership are bounded by it (new-user pass, issue 12: 99,999
viewers in a 17-member branch was accepted).

- 观看人数 / 听课人数 count people at a branch activity: its members plus guests (列席: 入党积极分子,
  群众): at most the active members of the organization (its subtree; a 党小组's members) plus
  ``TAIZHANG_GUEST_ALLOWANCE`` or as many guests as members, whichever is more ([U] a config
  value; 应到/实到/列席 from domain-rules §4).
- Votes are of members with voting rights present (TZ Art. 11): a candidate's 得票数, like a
  motion's votes, cannot exceed them."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.test import override_settings

from taizhang.records import services
from taizhang.records.models import FilmViewing, Lecture, MeetingKind

from . import factories

DAY = dt.date(2023, 10, 12)


@override_settings(TAIZHANG_GUEST_ALLOWANCE=20)
def test_viewers_bounded_by_members_and_guests(rworld):
    branch = rworld["branches"][0]  # 9 active members
    with pytest.raises(ValidationError, match=r"观看人数（99999）超过 第1党支部 的党员数（9）与列席人员上限（20）之和（29）"):
        services.create_record(FilmViewing, org=branch, title="片", date=DAY, viewers=99_999)
    with pytest.raises(ValidationError, match="之和（29）"):
        services.create_record(FilmViewing, org=branch, title="片", date=DAY, viewers=30)
    assert services.create_record(FilmViewing, org=branch, title="片", date=DAY, viewers=29).viewers == 29


@override_settings(TAIZHANG_GUEST_ALLOWANCE=5)
def test_audience_bounded_by_the_audience_organization(rworld):
    branch, committee = rworld["branches"][0], rworld["committee"]
    speaker = rworld["members"][branch.code][0]
    fields = {"org": branch, "title": "党课", "speaker": speaker, "date": DAY}
    # Guests: as many as the members when that is more than the allowance (9 + 9).
    with pytest.raises(ValidationError, match=r"听课人数（19）超过 第1党支部 的党员数（9）与列席人员上限（9）之和（18）"):
        services.create_record(Lecture, audience=branch, audience_count=19, **fields)
    assert services.create_record(Lecture, audience=branch, audience_count=18, **fields).audience_count == 18
    # The committee's audience counts its whole subtree (2 × 9 members).
    assert services.create_record(Lecture, audience=committee, audience_count=36, **fields).audience_count == 36


def test_election_votes_bounded_by_voting_members_present(rworld):
    branch = rworld["branches"][0]
    meeting = factories.meeting(branch, kind=MeetingKind.BRANCH_GENERAL_MEETING)
    voting = meeting.attendance.filter(voting=True, status="present").count()
    candidate = rworld["members"][branch.code][1]
    with pytest.raises(ValidationError, match=rf"得票数（99999）超过到会有表决权人数（{voting}）"):
        services.set_election_results(meeting, [{"post": "书记", "candidate": candidate, "yes": 99_999}])
    assert not meeting.election_results.exists()
    services.set_election_results(meeting, [{"post": "书记", "candidate": candidate, "yes": voting}])
    assert meeting.election_results.get().yes == voting

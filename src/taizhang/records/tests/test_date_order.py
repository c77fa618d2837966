"""An end before its start is refused in every record form and service, naming both: a
meeting ending before it starts, a research 交流会 before the visit, an answer before the
suggestion was made (new-user pass, issue 12)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from taizhang.records import services
from taizhang.records.forms import MeetingForm, ResearchVisitForm
from taizhang.records.models import MeetingKind, ResearchVisit, Suggestion

from taizhang.orgs.tests.factories import UserFactory, grant

from . import factories


@pytest.fixture
def office(rworld):
    user = UserFactory(username="office")
    grant(user, rworld["committee"], "committee_staff")
    return user

DAY = dt.date(2023, 10, 12)


def test_meeting_end_time_before_start(rworld, office):
    branch = rworld["branches"][0]
    with pytest.raises(ValidationError, match="结束时间（09:00）不能早于开始时间（10:30）"):
        factories.meeting(branch, start_time=dt.time(10, 30), end_time=dt.time(9, 0))
    form = MeetingForm({"kind": MeetingKind.BRANCH_COMMITTEE_MEETING, "org": branch.pk, "date": "2023-10-12",
                        "start_time": "10:30", "end_time": "09:00", "place": "会议室", "topics": "学习"},
                       user=office)
    assert not form.is_valid()
    assert form.errors["end_time"] == ["结束时间（09:00）不能早于开始时间（10:30）。"]


def test_research_shared_before_the_visit(rworld, office):
    branch = rworld["branches"][0]
    member = rworld["members"][branch.code][0]
    with pytest.raises(ValidationError, match="交流会日期（2023-10-01）不能早于调研时间（2023-10-12）"):
        services.create_record(ResearchVisit, org=branch, topic="调研", leader=member, place="社区",
                               date=DAY, shared_on=dt.date(2023, 10, 1))
    form = ResearchVisitForm({"org": branch.pk, "topic": "调研", "leader": member.pk, "place": "社区",
                              "date": "2023-10-12", "method": "forum", "report_status": "none",
                              "shared_on": "2023-10-01"}, user=office)
    assert not form.is_valid()
    assert form.errors["shared_on"] == ["交流会日期（2023-10-01）不能早于调研时间（2023-10-12）。"]


def test_suggestion_answered_before_it_was_made(rworld, office):
    suggestion = services.create_record(Suggestion, org=rworld["branches"][0], date=DAY, content="建议")
    with pytest.raises(ValidationError, match="答复日期（2023-10-01）不能早于提出日期（2023-10-12）"):
        services.answer_suggestion(suggestion, "已办理", office, replied_on=dt.date(2023, 10, 1))
    suggestion.refresh_from_db()
    assert suggestion.status == "received" and suggestion.replied_on is None

"""A reason that only repeats the attendance status ("请假" on a leave row) is not shown
beside it: no page, ledger or report says "请假（请假）"; a real reason (出差) still is."""

import datetime as dt

import pytest
from django.urls import reverse

from ..models import MeetingKind
from ..models.attendance import reason_note
from ..services.attendance import attendance_summary
from .factories import meeting


@pytest.mark.parametrize("status, reason, shown", [
    ("leave", "请假", ""), ("leave", " 请假。", ""), ("absent", "缺席", ""), ("leave", "Leave", ""),
    ("leave", "出差", "出差"), ("absent", "请假", "请假"), ("leave", "", ""), ("leave", None, ""),
])
def test_reason_note_drops_a_reason_that_repeats_the_status(status, reason, shown):
    assert reason_note(status, reason) == shown


def test_summary_names_only_reasons_that_add_something():
    rows = [("张三", ("present", "", True)), ("李四", ("leave", "请假", True)),
            ("王五", ("leave", "出差", True)), ("赵六", ("absent", "缺席", True))]
    assert attendance_summary(rows) == "应到4人（有表决权4人），实到1人；请假：李四、王五（出差）；缺席：赵六"


def test_meeting_page_and_ledger_do_not_repeat_the_status(client, rworld):
    from taizhang.orgs.tests.factories import UserFactory, grant

    branch = rworld["branches"][0]
    user = UserFactory(username="sec1")
    grant(user, branch, "branch_secretary")
    client.force_login(user)
    people = rworld["members"][branch.code]
    m = meeting(branch, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2023, 11, 3), host=people[0],
                attendance=[{"member": p} for p in people[:3]]
                + [{"member": people[3], "status": "leave", "reason": "请假"},
                   {"member": people[4], "status": "leave", "reason": "出差"}])
    html = client.get(m.get_absolute_url()).content.decode()
    assert "出差" in html
    assert "请假（请假）" not in html and "<td>请假</td>" not in html
    from taizhang.core.testing import body_text

    ledger = body_text(client.get(reverse("records:meeting_export")))
    assert "请假：请假" not in ledger and "请假（请假）" not in ledger
    assert "出差" in ledger


def test_a_suggestion_carries_its_giver_and_channel_into_the_problem(rworld):
    """列入问题清单 keeps 提出人/渠道 (``found_by``), never for an anonymous suggestion's name."""
    from ..models import Suggestion

    branch = rworld["branches"][0]
    person = rworld["members"][branch.code][0]
    named = Suggestion(org=branch, date=dt.date(2023, 11, 1), member=person, channel="座谈会", content="x")
    assert named.problem_prefill()["found_by"] == f"{person.name}（座谈会）"
    hidden = Suggestion(org=branch, date=dt.date(2023, 11, 1), anonymous=True, channel="意见箱", content="x")
    assert hidden.problem_prefill()["found_by"] == "匿名（意见箱）"

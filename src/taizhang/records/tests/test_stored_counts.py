"""The attendance counts stored on each meeting (``Meeting.att_*``, read by the regulations;
issue 14) stay equal to its rows through every writer: recording, editing, the QR sign-in,
and a plain save of a stale instance does not write them back."""

import pytest

from taizhang.orgs.tests.factories import UserFactory

from .. import services
from ..models import STORED_COUNTS, Meeting, MeetingKind, stored_count_expressions
from .factories import meeting

pytestmark = pytest.mark.django_db


def stored(m: Meeting) -> dict:
    return dict(Meeting.objects.filter(pk=m.pk).values(*STORED_COUNTS).get())


def live(m: Meeting) -> dict:
    row = Meeting.objects.filter(pk=m.pk).order_by().values("pk").annotate(**stored_count_expressions()).get()
    row.pop("pk")
    return row


def test_recording_and_editing_keep_the_counts(rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    rows = ([{"member": p, "status": "present"} for p in people[:5]]
            + [{"member": people[5], "status": "leave", "reason": "出差"},
               {"member": people[6], "status": "leave", "reason": ""},
               {"member": people[7], "status": "absent"}])
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING, attendance=rows)
    counts = stored(m)
    assert counts == live(m)
    assert (counts["att_expected"], counts["att_present"], counts["att_leave"], counts["att_missing_reason"]) \
        == (8, 5, 2, 2)
    assert counts["att_voting_expected"] == sum(1 for p in people[:8] if p.status == "full")

    services.update_meeting(m, attendance=[{"member": p, "status": "present"} for p in people[:3]])
    assert stored(m) == live(m)
    assert stored(m)["att_expected"] == 3 and stored(m)["att_missing_reason"] == 0

    services.update_meeting(m, title="只改标题")  # attendance kept: counts unchanged
    assert stored(m) == live(m) and stored(m)["att_present"] == 3


def test_a_qr_sign_in_updates_the_counts_and_a_stale_save_keeps_them(rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    user = UserFactory()
    people[6].user = user
    people[6].save()
    m = meeting(branch, MeetingKind.BRANCH_GENERAL_MEETING,
                attendance=[{"member": p, "status": "absent", "reason": "病假"} for p in people])
    stale = Meeting.objects.get(pk=m.pk)
    services.set_sign_in(m, True)
    services.sign_in(m.sign_in_token, user, today=m.date)
    assert stored(m) == live(m)
    assert stored(m)["att_present"] == 1
    stale.title = "在签到前打开的编辑页"
    stale.save()
    assert stored(m) == live(m) and stored(m)["att_present"] == 1
    assert Meeting.objects.get(pk=m.pk).title == "在签到前打开的编辑页"

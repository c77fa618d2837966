"""Scoping-walk cases of the compliance pages and API (see taizhang.core.testing): branch B's
findings, calendar and health stay hidden from A's secretary."""

import datetime as dt

from taizhang.core.testing import HIDDEN, LISTED, SECRET, Case
from taizhang.records import services as records
from taizhang.records.models import MeetingKind


def cases(world):
    b, a = world.branch_b, world.branch_a
    # An incomplete record of B: its finding (with SECRET as the record's label) must not leak.
    records.create_meeting(b, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date.today().replace(day=1),
                           title=SECRET, attendance=[{"member": world.member_b, "status": "absent"}])
    return [
        Case("compliance:overview", expect=LISTED),
        Case("compliance:overview", expect=LISTED, query=f"row={b.pk}&rule=C19"),
        Case("compliance:overview", expect=HIDDEN, query=f"org={b.pk}"),
        Case("compliance:overview", expect=HIDDEN, query=f"org={world.committee.pk}"),
        Case("compliance:export", expect=LISTED),
        Case("compliance:export", expect=HIDDEN, query=f"org={b.pk}"),
        Case("compliance:rules", expect=LISTED),
        Case("compliance:calendar", {"pk": a.pk}, expect=LISTED),
        Case("compliance:calendar", {"pk": b.pk}),
        Case("branchcompliance-list", expect=LISTED),
        Case("branchcompliance-list", expect=LISTED, query=f"code={b.code}"),
        Case("branchcompliance-detail", {"pk": b.pk}, post=True),
    ]

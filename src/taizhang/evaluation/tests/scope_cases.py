"""Scoping-walk cases of the evaluation URLs (see taizhang.core.testing): the appraisal's
list, add, detail, edit, export and API routes are a registered kind's and come from
``core.testing.source_cases``; here the committee view across branches (issue 10 §2), where
branch B's 专题组织生活会 and grades stay hidden from A's secretary."""

import datetime as dt

from taizhang.core.testing import HIDDEN, LISTED, SECRET, Case
from taizhang.evaluation import services
from taizhang.orgs.tests.factories import MemberFactory
from taizhang.records import services as records
from taizhang.records.models import MeetingKind


def cases(world):
    b = world.branch_b
    day = dt.date(2023, 12, 20)
    graded = MemberFactory(org=b, name=f"{SECRET}赵")  # the registry's sample grades member_b
    records.create_meeting(b, MeetingKind.ORGANIZATIONAL_LIFE_MEETING, day,
                           attendance=[{"member": graded, "status": "present"}])
    services.create_appraisal(org=b, member=graded, year=2023, grade="excellent", rated_on=day)
    return [
        Case("evaluation:branch_life", expect=LISTED),
        Case("evaluation:branch_life", expect=LISTED, query="year=2023"),
        Case("evaluation:branch_life", expect=HIDDEN, query=f"org={b.pk}&year=2023"),
        Case("evaluation:branch_life", expect=HIDDEN, query=f"org={world.committee.pk}&year=2023"),
    ]

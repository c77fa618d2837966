"""Scoping-walk cases of the democratic app's own URLs (its kinds' pages and API come from
the registry, ``core.testing.source_cases``)."""

from taizhang.core.testing import HIDDEN, LISTED, SECRET, Case
from taizhang.democratic import testing


def cases(world):
    opinion = testing.sample_opinion(world.branch_b, world.member_b, SECRET)
    exam = testing.sample_exam(world.branch_b, world.member_b, SECRET)
    meeting = testing.sample_life_meeting(world.branch_b, world.member_b, SECRET)
    return [
        Case("democratic:matrix", expect=LISTED),
        Case("democratic:matrix", expect=HIDDEN, query=f"org={world.branch_b.pk}"),
        Case("democratic:opinion_problem", {"pk": opinion.pk}, post=True),
        Case("democratic:exam_move", {"pk": exam.pk}, post=True, data={"action": "submit"}),
        Case("democratic:meeting_statements", {"pk": meeting.pk}, post=True),
    ]

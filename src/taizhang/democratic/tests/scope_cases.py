"""Scoping-walk cases of the democratic app's own URLs (its kinds' pages and API come from
the registry, ``core.testing.source_cases``)."""

from django.core.files.uploadedfile import SimpleUploadedFile

from taizhang.core.testing import HIDDEN, LISTED, SECRET, Case
from taizhang.democratic import services, testing
from taizhang.orgs.tests.factories import MemberFactory


def cases(world):
    opinion = testing.sample_opinion(world.branch_b, world.member_b, SECRET)
    exam = testing.sample_exam(world.branch_b, world.member_b, SECRET)
    meeting = testing.sample_life_meeting(world.branch_b, world.member_b, SECRET)
    head = MemberFactory(org=world.branch_b, name=f"{SECRET}部长")
    lm = testing.team_member(world.branch_b, world.member_b)
    supervision = services.set_supervision(lm, SECRET, head)
    services.save_exam(exam, document=SimpleUploadedFile("提纲.docx", b"PK\x03\x04" + SECRET.encode()))
    return [
        Case("democratic:matrix", expect=LISTED),
        Case("democratic:matrix", expect=HIDDEN, query=f"org={world.branch_b.pk}"),
        Case("democratic:opinion_problem", {"pk": opinion.pk}, post=True),
        Case("democratic:exam_move", {"pk": exam.pk}, post=True, data={"action": "submit"}),
        Case("democratic:meeting_statements", {"pk": meeting.pk}, post=True),
        Case("democratic:exam_version_file", {"pk": exam.pk, "number": 2}),
        Case("democratic:supervision_add", {"org": world.branch_b.pk}, post=True,
             data={"leader": lm.pk, "department": "x", "head": head.pk}),
        Case("democratic:supervision_delete", {"pk": supervision.pk}, post=True),
    ]

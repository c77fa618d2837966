"""Scoping-walk cases of the rectification URLs that are not a registered kind's own pages
(see taizhang.core.testing; the problem, measure and progress-update list/detail/edit/export
and API routes come from ``core.testing.source_cases``)."""

from django.contrib.contenttypes.models import ContentType

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.rectification import services

from ..testing import DEADLINE, sample_measure


def cases(world):
    b_measure = sample_measure(world.branch_b, world.member_b, SECRET)
    b_problem = b_measure.problem
    services.add_update(b_measure, done=f"{SECRET}的进展")
    extension = services.request_extension(b_measure, new_deadline=DEADLINE.replace(month=3, day=31),
                                           reason=SECRET)
    ct = ContentType.objects.get_for_model(world.member_b)
    b_source = f"source={ct.pk}-{world.member_b.pk}"
    return [
        Case("rectification:problem_add", query=b_source),  # a record of branch B: 404
        Case("rectification:problem_similar", expect=LISTED,
             query=f"org={world.branch_b.pk}&description={SECRET}的问题表现"),
        Case("rectification:problem_docx", {"pk": b_problem.pk}),
        Case("rectification:measure_add", {"problem_pk": b_problem.pk}, post=True, data={"measure": "x"}),
        Case("rectification:update_add", {"pk": b_measure.pk}, post=True, data={"done": "x"}),
        Case("rectification:measure_transition", {"pk": b_measure.pk, "name": "complete"}, post=True,
             data={"completion_note": "x", "evidence": "y"}),
        Case("rectification:extension_request", {"pk": b_measure.pk}, post=True,
             data={"new_deadline": "2031-01-01", "reason": "x"}),
        Case("rectification:extension_decide", {"pk": extension.pk}, post=True, data={"approve": "1"}),
        # the superior's per-unit roll-up drills down with ?org=: another branch's is not listed
        Case("rectification:ledger", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("rectification:problem_list", expect=LISTED, query=f"org={world.branch_b.pk}"),
        # the review of a unit's leadership problem list: another organization's is 404
        Case("rectification:list_review", {"org_pk": world.branch_b.pk}),
        Case("rectification:list_review", {"org_pk": world.branch_b.pk}, post=True, data={"action": "submit"}),
        Case("rectification:export_csv", expect=LISTED),
        Case("rectification:export_docx", expect=LISTED),
        Case("rectification:import", expect=LISTED),
        # POST only; a token not of this session is refused (400), nothing written.
        Case("rectification:import_confirm", post=True, data={"token": "x"}),
        Case("rectification-move", {"pk": b_measure.pk}, post=True, data={"name": "start"}),
    ]

"""Scoping-walk cases of the rectification URLs and API (see taizhang.core.testing)."""

import datetime as dt

from django.contrib.contenttypes.models import ContentType

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.rectification import services


def cases(world):
    b_problem = services.create_problem(org=world.branch_b, source="谈心谈话",
                                        description=f"{SECRET}的问题表现")
    b_measure = services.add_measure(b_problem, measure=f"{SECRET}的整改措施",
                                     deadline=dt.date(2030, 1, 31), leader_name=f"{SECRET}领导")
    services.add_update(b_measure, done=f"{SECRET}的进展")
    update = b_measure.updates.first()
    extension = services.request_extension(b_measure, new_deadline=dt.date(2030, 3, 31), reason=SECRET)
    ct = ContentType.objects.get_for_model(world.member_b)
    b_source = f"source={ct.pk}-{world.member_b.pk}"
    return [
        Case("rectification:ledger", expect=LISTED),
        Case("rectification:ledger", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("rectification:problem_list", expect=LISTED),
        Case("rectification:problem_list", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("rectification:problem_add", expect=LISTED),
        Case("rectification:problem_add", query=b_source),  # a record of branch B: 404
        Case("rectification:problem_similar", expect=LISTED,
             query=f"org={world.branch_b.pk}&description={SECRET}的问题表现"),
        Case("rectification:problem_detail", {"pk": b_problem.pk}),
        Case("rectification:problem_edit", {"pk": b_problem.pk}, post=True, data={"description": "x"}),
        Case("rectification:problem_docx", {"pk": b_problem.pk}),
        Case("rectification:measure_add", {"problem_pk": b_problem.pk}, post=True, data={"measure": "x"}),
        Case("rectification:measure_detail", {"pk": b_measure.pk}),
        Case("rectification:measure_edit", {"pk": b_measure.pk}, post=True, data={"measure": "x"}),
        Case("rectification:update_add", {"pk": b_measure.pk}, post=True, data={"done": "x"}),
        Case("rectification:measure_transition", {"pk": b_measure.pk, "name": "complete"}, post=True,
             data={"completion_note": "x", "evidence": "y"}),
        Case("rectification:extension_request", {"pk": b_measure.pk}, post=True,
             data={"new_deadline": "2031-01-01", "reason": "x"}),
        Case("rectification:extension_decide", {"pk": extension.pk}, post=True, data={"approve": "1"}),
        Case("rectification:export_xlsx", expect=LISTED),
        Case("rectification:export_xlsx", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("rectification:export_csv", expect=LISTED),
        Case("rectification:export_docx", expect=LISTED),
        Case("rectification:import", expect=LISTED),
        # POST only; a token not of this session is refused (400), nothing written.
        Case("rectification:import_confirm", post=True, data={"token": "x"}),
        Case("problem-list", expect=LISTED),
        Case("problem-detail", {"pk": b_problem.pk}),
        Case("rectification-list", expect=LISTED),
        Case("rectification-detail", {"pk": b_measure.pk}),
        Case("rectification-move", {"pk": b_measure.pk}, post=True, data={"name": "start"}),
        Case("progressupdate-list", expect=LISTED),
        Case("progressupdate-detail", {"pk": update.pk}),
    ]

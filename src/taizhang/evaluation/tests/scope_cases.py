"""Scoping-walk cases of the evaluation URLs and API (see taizhang.core.testing)."""

import datetime as dt

from taizhang.core.testing import HIDDEN, LISTED, SECRET, Case
from taizhang.evaluation import services


def cases(world):
    b = services.create_appraisal(org=world.branch_b, member=world.member_b, year=2023, grade="basically_qualified",
                                  rated_on=dt.date(2023, 12, 20), follow_up=f"{SECRET}的改进记录")
    return [
        Case("evaluation:appraisal_list", expect=LISTED),
        Case("evaluation:appraisal_list", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("evaluation:appraisal_add", expect=LISTED),
        Case("evaluation:appraisal_detail", {"pk": b.pk}),
        Case("evaluation:appraisal_edit", {"pk": b.pk}, post=True,
             data={"org": world.branch_b.pk, "member": world.member_b.pk, "year": 2023, "grade": "qualified",
                   "rated_on": "2023-12-20"}),
        Case("evaluation:appraisal_export", expect=LISTED),
        Case("evaluation:appraisal_export", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("appraisal-list", expect=LISTED),
        Case("appraisal-detail", {"pk": b.pk}, expect=HIDDEN, post=True, data={"grade": "qualified"}),
    ]

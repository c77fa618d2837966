"""Scoping-walk cases of the institutions URLs and API (see taizhang.core.testing)."""

import datetime as dt

from taizhang.core.testing import HIDDEN, LISTED, SECRET, Case
from taizhang.institutions import services


def cases(world):
    b = services.create_institution({"org": world.branch_b, "name": f"{SECRET}制度", "date": dt.date(2023, 12, 1),
                                     "summary": SECRET})
    case = services.create_case({"org": world.branch_b, "title": f"{SECRET}经验", "date": dt.date(2023, 12, 2),
                                 "summary": SECRET, "institution": b})
    data = {"org": world.branch_b.pk, "name": "x", "title": "x", "action": "made", "kind": "case",
            "date": "2023-12-01", "summary": "x"}
    return [
        Case("institutions:institution_list", expect=LISTED),
        Case("institutions:institution_list", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("institutions:institution_add", expect=LISTED),
        Case("institutions:institution_export", expect=LISTED),
        Case("institutions:institution_export", expect=LISTED, query=f"q={SECRET}"),
        Case("institutions:institution_detail", {"pk": b.pk}),
        Case("institutions:institution_edit", {"pk": b.pk}, post=True, data=data),
        Case("institutions:institution_delete", {"pk": b.pk}, post=True),
        Case("institutions:case_list", expect=LISTED),
        Case("institutions:case_list", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("institutions:case_add", expect=LISTED),
        Case("institutions:case_export", expect=LISTED),
        Case("institutions:case_detail", {"pk": case.pk}),
        Case("institutions:case_edit", {"pk": case.pk}, post=True, data=data),
        Case("institutions:case_delete", {"pk": case.pk}, post=True),
        Case("institution-list", expect=LISTED),
        Case("institution-detail", {"pk": b.pk}, expect=HIDDEN, post=True, data={"name": "x"}),
        Case("typicalcase-list", expect=LISTED),
        Case("typicalcase-detail", {"pk": case.pk}, expect=HIDDEN, post=True, data={"title": "x"}),
    ]

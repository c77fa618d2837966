"""Scoping-walk cases of the role models URLs and API (see taizhang.core.testing)."""

import datetime as dt

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.plans.models import Campaign
from taizhang.rolemodels import services


def cases(world):
    campaign = Campaign.objects.create(org=world.committee, title="主题教育", status="published",
                                       start=dt.date(2023, 9, 1), end=dt.date(2024, 1, 31))
    b = services.nominate({"org": world.branch_b, "member": world.member_b, "campaign": campaign,
                           "deeds": f"{SECRET}的事迹", "nominated_on": dt.date(2023, 11, 1)})
    shown = services.nominate({"org": world.branch_b, "kind": "collective", "collective": f"{SECRET}服务队",
                               "campaign": campaign, "deeds": f"{SECRET}事迹", "nominated_on": dt.date(2023, 11, 2)})
    services.move(shown, "select")
    services.move(shown, "publicise", start=dt.date(2023, 12, 1), end=dt.date(2023, 12, 7))
    objection = services.add_objection(shown, text=f"{SECRET}的异议", received_on=dt.date(2023, 12, 2))
    return [
        Case("rolemodels:rolemodel_list", expect=LISTED),
        Case("rolemodels:rolemodel_list", expect=LISTED, query=f"org={world.branch_b.pk}"),
        Case("rolemodels:rolemodel_add", expect=LISTED),
        Case("rolemodels:rolemodel_export", expect=LISTED),
        Case("rolemodels:rolemodel_export", expect=LISTED, query=f"q={SECRET}"),
        Case("rolemodels:rolemodel_detail", {"pk": b.pk}),
        Case("rolemodels:rolemodel_edit", {"pk": b.pk}, post=True,
             data={"org": world.branch_b.pk, "kind": "collective", "collective": "x", "deeds": "x",
                   "title": "x", "nominated_on": "2023-11-01"}),
        Case("rolemodels:rolemodel_delete", {"pk": b.pk}, post=True),
        Case("rolemodels:rolemodel_move", {"pk": b.pk, "name": "select"}, post=True),
        Case("rolemodels:objection_add", {"pk": shown.pk}, post=True,
             data={"received_on": "2023-12-03", "text": "x"}),
        Case("rolemodels:objection_handle", {"pk": objection.pk}, post=True, data={"handling": "x"}),
        Case("rolemodels:publicity", {"campaign_pk": campaign.pk}, expect=LISTED),
        Case("rolemodel-list", expect=LISTED),
        Case("rolemodel-detail", {"pk": b.pk}, post=True, data={"deeds": "x"}),
    ]

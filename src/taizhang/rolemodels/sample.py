"""Sample 先进典型 for the sample organization (orgs.sample) and its campaign.

Deterministic. Every branch nominates its longest-serving full member in November 2023
(seed 三.5); the committee nominates one collective. The committee then selects four,
publicises three (one objection received and handled), announces two, and returns one
nomination for revision: every state of the procedure is on show (seed 二.11).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from taizhang.orgs.models import Member, MemberStatus, Organization, OrgKind
from taizhang.plans.models import Campaign

from . import services

DEEDS = ("立足岗位、担当作为，在{org}带头攻坚急难任务，主动联系服务群众，"
         "主题教育期间牵头解决群众反映的实际问题，群众评价好。")


def load_sample_role_models(committee: Organization) -> str:
    """Nominate, select, publicise and announce the sample role models of ``committee``
    (see the module docstring); return a summary line."""
    campaign = Campaign.objects.filter(org=committee).order_by("pk").first()
    made = []
    with transaction.atomic():
        branches = Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH).order_by("code")
        for n, branch in enumerate(branches):
            member = (Member.objects.filter(org=branch, is_active=True, status=MemberStatus.FULL)
                      .order_by("joined_on", "name", "pk").first())
            if member is None:
                continue
            made.append(services.nominate({
                "org": branch, "campaign": campaign, "member": member, "title": "身边榜样",
                "deeds": DEEDS.format(org=branch.name), "nominated_on": dt.date(2023, 11, 6 + n)}))
        made.append(services.nominate({
            "org": committee, "campaign": campaign, "kind": "collective", "collective": "机关党员志愿服务队",
            "title": "先进集体", "deeds": "常态化开展在职党员进社区志愿服务，结对帮扶困难群众。",
            "nominated_on": dt.date(2023, 11, 15)}))
        selected = [made[-1], *made[:3]]
        for model in selected:
            services.move(model, "select", on=dt.date(2023, 11, 28), comment="党委会研究确定")
        for model in selected[:3]:
            services.move(model, "publicise", start=dt.date(2023, 12, 4), end=dt.date(2023, 12, 8))
        objection = services.add_objection(selected[1], text="反映其所在处室考勤记录不全",
                                           received_on=dt.date(2023, 12, 5))
        services.handle_objection(objection, handling="经核查，考勤记录完整，异议不成立，已向反映人反馈",
                                  handled_on=dt.date(2023, 12, 7))
        for model in selected[:2]:
            services.move(model, "announce", on=dt.date(2023, 12, 11), comment="党委发文公布")
        if len(made) > 4:
            services.move(made[3 + 1], "return_for_revision", comment="事迹材料请补充具体事例和成效")
    return (f"先进典型推荐 {len(made)} 个，选树 {len(selected)} 个，公示 3 个（异议 1 条已处理），"
            f"公布 2 个，退回修改 {1 if len(made) > 4 else 0} 个")

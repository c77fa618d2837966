"""Sample 建章立制 and 典型案例 for the sample organization (orgs.sample).

Deterministic. The committee makes two rules (one answering the first two problems of its
problem list) and revises one in December 2023, abolishes an outdated one; two branches make
a rule each (seed 二.14, 三.6). One good practice comes from the committee's first research
visit and was fixed as a rule; one typical case is a branch's.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from taizhang.orgs.models import Organization, OrgKind
from taizhang.plans.models import Campaign
from taizhang.rectification.models import Problem

from . import services

RULES = [  # (org code or None for the committee, name, action, date, 文号)
    (None, "机关党委理论学习中心组学习制度", "revised", dt.date(2023, 12, 12), "机党发〔2023〕21号"),
    (None, "领导班子成员联系服务群众工作机制", "made", dt.date(2023, 12, 18), "机党发〔2023〕23号"),
    (None, "关于机关党员干部请销假的暂行规定", "abolished", dt.date(2023, 12, 18), "机党发〔2023〕24号"),
    ("ZB01", "党支部“三会一课”记录规范", "made", dt.date(2023, 12, 20), ""),
    ("ZB03", "支部党员联系群众“双报到”办法", "made", dt.date(2024, 1, 8), ""),
]


def load_sample_institutions(committee: Organization) -> str:
    """Create the sample institutions and cases of ``committee``; return a summary line."""
    campaign = Campaign.objects.filter(org=committee).order_by("pk").first()
    branches = {o.code: o for o in Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH)}
    problems = list(Problem.objects.filter(org=committee).order_by("number")[:2])
    made = []
    with transaction.atomic():
        for code, name, action, day, number in RULES:
            org = branches.get(code) if code else committee
            if org is None:
                continue
            made.append(services.create_institution({
                "org": org, "campaign": campaign, "name": name, "action": action, "date": day, "doc_number": number,
                "summary": f"{name}，明确职责分工、工作程序和检查督促要求。",
                "problems": problems if name.startswith("领导班子") else []}))
        from taizhang.records.models import ResearchVisit

        visit = ResearchVisit.objects.filter(org=committee).order_by("date", "pk").first()
        services.create_case({"org": committee, "campaign": campaign, "kind": "practice",
                              "title": "“四不两直”蹲点调研推动解决群众急难愁盼问题", "date": dt.date(2023, 12, 22),
                              "summary": "班子成员带着问题蹲点调研，现场办公，建立问题、责任、时限三张清单。",
                              "institution": made[1] if len(made) > 1 else None}, source_record=visit)
        branch = branches.get("ZB02")
        if branch is not None:
            services.create_case({"org": branch, "campaign": campaign, "kind": "case",
                                  "title": "“支部+网格”结对共建", "date": dt.date(2024, 1, 10),
                                  "summary": "支部与社区网格结对，在职党员认领服务项目。"})
    counted = sum(1 for i in made if i.action != "abolished")
    return f"建章立制 {len(made)} 项（制定或修订 {counted} 项，废止 {len(made) - counted} 项），典型案例和经验做法 2 个"

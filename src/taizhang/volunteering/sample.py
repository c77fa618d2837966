"""Sample 立足岗位作贡献 records (seed 三.4) for the sample organization (orgs.sample).

Deterministic. Every branch sets up one or two 党员示范岗 in September/October 2023 and its
volunteer team serves in a community once a month from October 2023 to January 2024 (2–4
hours, 3–6 members); a third of the members register with their community (在职党员进社区
报到). With the seed published, every branch's 三.4 is completed by these records.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from django.db import transaction

from taizhang.orgs.models import Member, Organization, OrgKind

from . import services

POSTS = [("政务服务窗口党员示范岗", "亮身份、零差错，群众办事一次说清、一次办好"),
         ("业务攻坚党员示范岗", "急难险重任务冲在前，按期完成年度重点工作"),
         ("信访接待党员示范岗", "来信来访件件有回音，按时办结率百分之百")]
COMMUNITIES = ["幸福里社区", "和平街社区", "滨河社区", "新华路社区", "东湖社区", "西苑社区"]
SERVICES = ["清理楼道小广告、整治环境卫生", "慰问独居老人并帮助预约就医", "垃圾分类宣传和入户指导",
            "政策咨询进社区、现场答疑", "冬季消防安全检查和宣传"]
MONTHS = [(2023, 10), (2023, 11), (2023, 12), (2024, 1)]


def load_sample_volunteering(committee: Organization) -> str:
    """Create the posts, activities and registrations described in the module docstring
    for ``committee``'s branches; return a summary line (Chinese). Raises
    ``ValidationError`` if a record breaks a service rule."""
    posts = activities = registrations = 0
    hours = Decimal("0")
    with transaction.atomic():
        branches = Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH).order_by("code")
        for b, branch in enumerate(branches):
            members = list(Member.objects.filter(org=branch, is_active=True).order_by("joined_on", "name", "pk"))
            if not members:
                continue
            community = COMMUNITIES[b % len(COMMUNITIES)]
            for p in range(1 if b % 2 else 2):
                name, commitment = POSTS[(b + p) % len(POSTS)]
                services.create_post(org=branch, name=name, member=members[p % len(members)],
                                     commitment=commitment, start=dt.date(2023, 9 + p, 8 + b))
                posts += 1
            for i, member in enumerate(members[::3]):
                services.create_registration(org=branch, member=member, community=community,
                                             registered_on=dt.date(2023, 9, 11 + i % 15),
                                             commitment="每季度至少参加一次社区志愿服务")
                registrations += 1
            for m, (year, month) in enumerate(MONTHS):
                size = 3 + (b + m) % 4
                start = (m * 2) % len(members)
                people = (members[start:] + members[:start])[:size]
                each = Decimal(2 + (b + m) % 3)
                services.create_activity(org=branch, team=f"{branch.name}党员志愿服务队",
                                         date=dt.date(year, month, 10 + b), place=community,
                                         hours=each, content=SERVICES[(b + m) % len(SERVICES)],
                                         participants=people)
                activities += 1
                hours += each * len(people)
    return f"党员示范岗 {posts} 个、志愿服务活动 {activities} 次（共 {hours} 小时）、进社区报到 {registrations} 人"

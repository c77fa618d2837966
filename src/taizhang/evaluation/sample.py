"""Sample 民主评议 grades for the sample organization (orgs.sample), year 2023.

Deterministic. Every branch rates its members on one day in late December 2023: mostly
合格, a few 优秀 (never a 预备党员, at most 1/5 of the branch — well within the 1/3 of
check 13), ZB02 one 基本合格 with its improvement record. Deliberate gap for check 12:
ZB04 (业务一处党支部) has no grade for two of its members.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from taizhang.orgs.models import Member, MemberStatus, Organization, OrgKind

from . import services
from .models import Grade

YEAR = 2023
RATED_ON = dt.date(2023, 12, 26)
MISSING_BRANCH, MISSING_COUNT = "ZB04", 2
BASIC_BRANCH = "ZB02"
BASIC_FOLLOW_UP = "支委会已指出学习不够经常、参加组织生活不够积极的问题，由组织委员结对帮助，2024年一季度跟踪改进情况。"


def load_sample_appraisals(committee: Organization) -> str:
    """Rate the members of ``committee``'s branches for 2023 (see the module docstring);
    return a summary line. Raises ``ValidationError`` if a grade breaks a service rule."""
    counts = {grade: 0 for grade in Grade.values}
    missing = 0
    with transaction.atomic():
        branches = Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH).order_by("code")
        for branch in branches:
            members = list(Member.objects.filter(org=branch, is_active=True).order_by("joined_on", "name", "pk"))
            if branch.code == MISSING_BRANCH:
                missing += MISSING_COUNT
                members = members[:-MISSING_COUNT]
            full = [m for m in members if m.status == MemberStatus.FULL]
            excellent = {m.pk for m in full[: len(members) // 5]}
            basic = full[-1].pk if branch.code == BASIC_BRANCH and full else None
            for member in members:
                grade = (Grade.EXCELLENT if member.pk in excellent
                         else Grade.BASICALLY_QUALIFIED if member.pk == basic else Grade.QUALIFIED)
                services.create_appraisal(org=branch, member=member, year=YEAR, grade=grade, rated_on=RATED_ON,
                                          follow_up=BASIC_FOLLOW_UP if grade == Grade.BASICALLY_QUALIFIED else "")
                counts[grade] += 1
    total = sum(counts.values())
    return (f"{YEAR}年度民主评议 {total} 人：优秀 {counts[Grade.EXCELLENT]}、合格 {counts[Grade.QUALIFIED]}、"
            f"基本合格 {counts[Grade.BASICALLY_QUALIFIED]}、不合格 {counts[Grade.UNQUALIFIED]}；"
            f"{MISSING_BRANCH} 有 {missing} 名党员未评（故意留缺，供合规检查第12项）")

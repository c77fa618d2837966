"""Test data of the records app: a branch with members and a committee, and records built
through the services (so tests exercise the same write path as the pages)."""

from __future__ import annotations

import datetime as dt

from taizhang.orgs.models import MemberStatus, PositionRole
from taizhang.orgs.tests.factories import MemberFactory, PositionFactory, build_tree

from .. import services
from ..models import MeetingKind

COMMITTEE_POSTS = [PositionRole.SECRETARY, PositionRole.ORGANIZATION_MEMBER,
                   PositionRole.PROPAGANDA_MEMBER, PositionRole.DISCIPLINE_MEMBER,
                   PositionRole.DEPUTY_SECRETARY]


def branch_with_members(branch, members: int = 9, committee: int = 5, probationary: int = 1):
    """Give ``branch`` ``members`` active members (the last ``probationary`` of them 预备党员)
    and a branch committee of the first ``committee``; returns the member list, the
    secretary first."""
    people = [
        MemberFactory(org=branch, name=f"{branch.code}党员{i:02d}",
                      status=MemberStatus.PROBATIONARY if i >= members - probationary else MemberStatus.FULL)
        for i in range(members)
    ]
    for member, role in zip(people[:committee], COMMITTEE_POSTS, strict=False):
        PositionFactory(member=member, org=branch, role=role)
    return people


def world(branches: int = 2, members: int = 9):
    """A committee with ``branches`` branches of ``members`` members each:
    {"tree": build_tree result, "members": {branch code: [Member]}}."""
    tree = build_tree(branches=branches, groups=1)
    people = {b.code: branch_with_members(b, members) for b in tree["branches"]}
    return {"tree": tree, "members": people, "committee": tree["committee"],
            "branches": tree["branches"]}


def meeting(branch, kind=MeetingKind.BRANCH_COMMITTEE_MEETING, date=dt.date(2023, 10, 12), **kw):
    """A meeting recorded through :func:`services.create_meeting` (default attendees present)."""
    return services.create_meeting(branch, kind, date, **kw)

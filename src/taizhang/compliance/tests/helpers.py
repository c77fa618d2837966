"""Test data of the compliance tests, written through the records services."""

from __future__ import annotations

import datetime as dt
from itertools import count

from taizhang.orgs.models import MemberStatus
from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory, MemberFactory, PositionFactory
from taizhang.records import services as records

# Codes of the committees made by :func:`branch`: increasing and of one width, so each new
# committee sorts after the earlier ones (``Organization.node_order_by = ["code"]``) and no
# earlier organization is renumbered (tests choose an order explicitly when it matters).
_COMMITTEE_CODES = count(1)

COMMITTEE_POSTS = ["secretary", "organization_member", "propaganda_member", "discipline_member",
                   "deputy_secretary"]


def branch(committee=None, members=7, posts=0, probationary=0, code=None, **kw):
    """A branch with ``members`` active members (the last ``probationary`` 预备党员) and the
    first ``posts`` of them on the branch committee; returns (branch, [members]). Without
    ``committee`` the branch gets a new committee of its own (code ``DWH000001``, …)."""
    committee = committee or CommitteeFactory(code=f"DWH{next(_COMMITTEE_CODES):06d}")
    extra = {"code": code} if code else {}
    org = BranchFactory(parent=committee, **extra, **kw)
    people = [MemberFactory(org=org, name=f"{org.code}党员{i:02d}", joined_on=dt.date(2010, 1, 1),
                            status=MemberStatus.PROBATIONARY if i >= members - probationary else MemberStatus.FULL)
              for i in range(members)]
    for member, role in zip(people[:posts], COMMITTEE_POSTS, strict=False):
        PositionFactory(member=member, org=org, role=role)
    return org, people


def meeting(org, kind, date, present=None, absent=(), complete=True, **kw):
    """A meeting of ``org`` on ``date``: ``present`` members present (default: the
    default attendees), ``absent`` as (member, status, reason) or members (on leave, 出差)."""
    people = present if present is not None else records.default_attendees(org, kind)
    rows = [{"member": m} for m in people]
    for item in absent:
        member, status, reason = item if isinstance(item, tuple) else (item, "leave", "出差")
        rows.append({"member": member, "status": status, "reason": reason})
    if complete:
        kw.setdefault("start_time", dt.time(15, 0))
        kw.setdefault("place", "会议室")
        host = (present or [None])[0] if present else None
        kw.setdefault("host", host)
        kw.setdefault("recorder", host)
    return records.create_meeting(org, kind, date, attendance=rows, **kw)

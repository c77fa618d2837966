"""Template tags of the compliance app, for other apps' pages to place:

- ``{% load compliance %}{% record_violations obj %}`` — what checks 16–19 find in a record
  (quorum, votes, election, completeness); renders nothing for any other object or when
  the record is in order. Safe for any object, ``None`` included.
- ``{% load compliance %}{% compliance_month_needs %}`` — the "this month still needs" panel
  of the home page: for each branch (and its groups) where the user holds a role, the
  required records of the current month / quarter / year not yet there (one screen of
  them), with a button to record each; a committee role links to the overview instead.
  Takes ``request.user`` from the context.
"""

from __future__ import annotations

import logging

from django import template

from taizhang.core.scoping import CHANGE, can
from taizhang.orgs.models import Organization, OrgKind, RoleAssignment

from .. import periods as P
from .. import services

register = template.Library()
log = logging.getLogger(__name__)


@register.inclusion_tag("compliance/includes/record_violations.html")
def record_violations(obj):
    """Findings of the compliance checks on ``obj`` (see ``services.record_findings``)."""
    try:
        findings = services.record_findings(obj)
    except Exception:  # a broken check must never break the record's own page
        log.exception("compliance checks failed on %r", obj)
        findings = []
    return {"findings": findings}


SHOWN_ITEMS = 10  # items of one organization on the home page; the rest behind a link


@register.inclusion_tag("compliance/includes/month_needs.html", takes_context=True)
def compliance_month_needs(context, limit: int = 6, items: int = SHOWN_ITEMS):
    """The "this month still needs" panel for ``context["request"].user``: the user's own
    organizations only (issue 14) — for each branch where the user holds a role (at most
    ``limit``; else the member's own branch), its due cells and its groups', at most
    ``items`` of them with a link to the branch's calendar for the rest. A committee or
    general-branch role gets a link to the compliance overview of its subtree instead of an
    evaluation of every branch under it (3,500 items and seconds at city scale). Queries:
    a fixed handful per branch shown, independent of the number of records and branches."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {"entries": [], "show": False}
    today = P.today()
    role_orgs = list(Organization.objects.filter(
        pk__in=RoleAssignment.objects.filter(user=user).values("org_id"),
        kind__in=(OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)).order_by("path")[:limit])
    member = getattr(user, "member", None) if hasattr(user, "member") else None
    if not role_orgs and member is not None and member.org.kind == OrgKind.BRANCH:
        role_orgs = [member.org]
    entries = []
    for root in role_orgs:
        if root.kind != OrgKind.BRANCH:
            entries.append({"root": root, "items": [], "more": 0, "is_branch": False, "overview": True})
            continue
        needs = services.still_needed(root, today)
        names = services.display_names(needs)
        found = [{"org_id": org_id, "org_name": names.get(org_id, ""), "cell": cell}
                 for org_id, cells in sorted(needs.items(), key=lambda kv: names.get(kv[0], ""))
                 for cell in cells]
        entries.append({"root": root, "items": found[:items], "more": max(0, len(found) - items),
                        "can_record": can(user, CHANGE, root), "is_branch": True, "overview": False})
    return {"entries": entries, "show": True, "month": P.period_of(today, P.MONTH), "today": today,
            "back": request.get_full_path()}


@register.filter
def setting_value(value, name: str = "") -> str:
    """A compliance setting's value as the rules page shows it to users, never as Python:
    yes/no for a switch, a percentage for a fraction (0.5 → 50%), a month and day for a
    (month, day) pair, the field names of a meeting in words, other lists joined with 、."""
    from django.utils.translation import gettext as _

    if isinstance(value, bool):
        return _("是") if value else _("否")
    if isinstance(value, float):
        return f"{value * 100:g}%"
    if isinstance(value, (tuple, list)):
        if len(value) == 2 and all(isinstance(v, int) for v in value):
            return _("%(month)d月%(day)d日") % {"month": value[0], "day": value[1]}
        if name == "REQUIRED_MEETING_FIELDS":
            from taizhang.records.models import Meeting

            value = [str(Meeting._meta.get_field(v).verbose_name) for v in value]
        return "、".join(str(v) for v in value)
    return str(value)

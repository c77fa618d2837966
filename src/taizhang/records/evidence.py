"""Counters of records evidence codes whose definition is not "count the org's records"
(``core.sources.Evidence.counter``; see ``rectification.evidence`` for the contract:
``fn(pairs) -> list[(count, needed)]``, pairs of (target, rule) from ``plans.counting``)."""

from __future__ import annotations

from collections import defaultdict

from taizhang.core.scoping import path_q
from taizhang.orgs.models import Organization, OrgKind

from .models import Meeting, MeetingKind

#: Organizations that hold branch meetings themselves (a Party group's count for its branch).
_BRANCH_KINDS = (OrgKind.BRANCH,)


def count_organizational_life_meetings(pairs) -> list[tuple[int, int]]:
    """专题组织生活会 (``organizational_life_meeting``).

    - A branch's rule (seed 三.6 "召开专题组织生活会"): the branch (or one of its Party groups)
      held the meeting in the window: count = meetings, needed = the rule's minimum (≥ 1).
    - A committee's or general branch's rule (seed 二.13 "安排部署专题组织生活会和民主评议党员
      事宜"): the committee does not hold 组织生活会 itself (its leaders attend their own
      branches' meetings as ordinary members, 三.6); the deployment is done when the branches
      below it have held theirs. Count = branches of its subtree with a meeting in the window,
      needed = all its branches (a committee without branches needs its own meeting).

    Two queries whatever the number of pairs (the branches of the subtrees, the meetings)."""
    if not pairs:
        return []
    orgs = {t.org.pk: t.org for t, _r in pairs}
    parents = [o for o in orgs.values() if o.kind in (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH)]
    branches: dict[int, list[Organization]] = defaultdict(list)
    if parents:
        for branch in Organization.objects.filter(path_q("", [o.path for o in parents]),
                                                  kind__in=_BRANCH_KINDS).order_by("path"):
            for parent in parents:
                if branch.path.startswith(parent.path) and branch.pk != parent.pk:
                    branches[parent.pk].append(branch)
    prefixes = [o.path for o in orgs.values()]
    windows = [t.window(r) for t, r in pairs]
    rows = Meeting.objects.filter(
        path_q("org", prefixes), kind=MeetingKind.ORGANIZATIONAL_LIFE_MEETING,
        date__range=(min(w[0] for w in windows), max(w[1] for w in windows)),
    ).order_by().values_list("org__path", "date")
    meetings = list(rows)
    results = []
    for (target, rule), (start, end) in zip(pairs, windows, strict=True):
        in_window = [path for path, day in meetings if start <= day <= end]
        below = branches.get(target.org.pk)
        if below:
            held = sum(1 for b in below if any(path.startswith(b.path) for path in in_window))
            results.append((held, len(below)))
            continue
        own = target.org.path
        results.append((sum(1 for path in in_window if path.startswith(own)), max(rule.min_count, 1)))
    return results

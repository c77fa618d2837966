"""How role models complete the plan's tasks (evidence code ``role_model``).

The importer suggests ``role_model`` for both 二.11 (the leadership team / committee:
"开展‘学习身边榜样’活动，选树宣传一批担当作为的先进典型") and 三.5 (each branch: "开展‘学习身边
榜样’活动"). One code therefore means, by the level of the organization the task is assigned to:

- a **committee**: role models it selected *and publicised* (status 公示中 or 已公布) whose 公示
  began in the window — 选树宣传 is the committee's part;
- any **other organization** (a branch, a general branch, …): its nominations (not counting one
  returned for revision) dated in the window, its Party groups' included — 推荐 is the branch's.

Both count against the rule's minimum (default 1). Extra ``filters`` of a rule (e.g.
``{"kind": "collective"}``) narrow the role models counted.
"""

from __future__ import annotations

from collections import defaultdict

from taizhang.core.scoping import path_q
from taizhang.orgs.models import Organization, OrgKind

from .models import PUBLIC_STATUSES, RoleModel, RoleModelStatus


def count_role_models(pairs) -> list[tuple[int, int]]:
    """``pairs``: [(target, rule)] from ``plans.evidence`` (``target.org``,
    ``target.window(rule)``); returns one (count, needed) per pair. Two queries whatever
    the number of pairs (the groups of the targets' organizations, the role models)."""
    if not pairs:
        return []
    orgs = {t.org.pk: t.org for t, _r in pairs}
    committees = {pk for pk, o in orgs.items() if o.kind == OrgKind.COMMITTEE}
    counted = {pk: {pk} for pk in orgs}
    step = Organization.steplen
    by_path = {o.path: pk for pk, o in orgs.items()}
    groups = Organization.objects.filter(kind=OrgKind.GROUP, depth__in={o.depth + 1 for o in orgs.values()})
    if len(by_path) <= 100:  # a few orgs (one record saved): prefix filters beat a depth scan
        groups = groups.filter(path_q("", list(by_path)))
    for pk, path in groups.order_by().values_list("pk", "path"):
        parent = by_path.get(path[:-step])
        if parent is not None:
            counted[parent].add(pk)
    nominating = {pk for parent, ids in counted.items() if parent not in committees for pk in ids}
    rows = RoleModel.objects.filter(org_id__in=nominating).exclude(status=RoleModelStatus.RETURNED) \
        | RoleModel.objects.filter(selector_id__in=committees, status__in=PUBLIC_STATUSES)
    records = list(rows.order_by().values("org_id", "selector_id", "status", "nominated_on",
                                          "publicity_start", "kind", "title"))
    by_org: dict[int, list] = defaultdict(list)
    by_selector: dict[int, list] = defaultdict(list)
    for row in records:
        by_org[row["org_id"]].append(row)
        if row["status"] in PUBLIC_STATUSES:
            by_selector[row["selector_id"]].append(row)
    results = []
    for target, rule in pairs:
        start, end = target.window(rule)
        extra = {str(k): str(v) for k, v in (rule.filters or {}).items()}

        def ok(row, day):
            return (day is not None and start <= day <= end
                    and all(str(row.get(k)) == v for k, v in extra.items()))

        if target.org.pk in committees:
            hits = [r for r in by_selector.get(target.org.pk, []) if ok(r, r["publicity_start"])]
        else:
            hits = [r for pk in counted[target.org.pk] for r in by_org.get(pk, [])
                    if r["status"] != RoleModelStatus.RETURNED and ok(r, r["nominated_on"])]
        results.append((len(hits), max(rule.min_count, 1)))
    return results

"""Figures of the campaign dashboard: completion per organization and per month.

A unit of work is a non-recurring assignment or one period of a recurring one. Four grouped
queries, whatever the number of organizations.
"""

from __future__ import annotations

from collections import defaultdict

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth

from taizhang.core.scoping import path_q, scope_paths

from .models import Assignment, AssignmentStatus, Campaign, Occurrence

DONE = Q(status=AssignmentStatus.DONE)


def _scoped(queryset, field: str, user):
    paths = scope_paths(user)
    if paths is None:
        return queryset
    return queryset.filter(path_q(field, paths)) if paths else queryset.none()


def completion(campaign: Campaign, user) -> dict:
    """{"orgs": [{"name", "done", "total"}] in tree order, "months": [{"month", "done",
    "total"}]} for the work of ``campaign`` that ``user`` may see."""
    single = _scoped(Assignment.objects.filter(item__plan__campaign=campaign, item__recurrence=""),
                     "org", user)
    periods = _scoped(Occurrence.objects.filter(assignment__item__plan__campaign=campaign),
                      "assignment__org", user)
    per_org: dict[tuple, list[int]] = defaultdict(lambda: [0, 0])
    for row in single.values("org__path", "org__name").annotate(t=Count("pk"), d=Count("pk", filter=DONE)):
        per_org[(row["org__path"], row["org__name"])][0] += row["d"]
        per_org[(row["org__path"], row["org__name"])][1] += row["t"]
    for row in periods.values("assignment__org__path", "assignment__org__name").annotate(
            t=Count("pk"), d=Count("pk", filter=DONE)):
        key = (row["assignment__org__path"], row["assignment__org__name"])
        per_org[key][0] += row["d"]
        per_org[key][1] += row["t"]
    per_month: dict = defaultdict(lambda: [0, 0])
    for row in single.exclude(due=None).annotate(m=TruncMonth("due")).values("m").annotate(
            t=Count("pk"), d=Count("pk", filter=DONE)):
        per_month[row["m"]][0] += row["d"]
        per_month[row["m"]][1] += row["t"]
    for row in periods.annotate(m=TruncMonth("period_start")).values("m").annotate(
            t=Count("pk"), d=Count("pk", filter=DONE)):
        per_month[row["m"]][0] += row["d"]
        per_month[row["m"]][1] += row["t"]
    return {
        "orgs": [{"name": name, "done": d, "total": t}
                 for (_path, name), (d, t) in sorted(per_org.items())],
        "months": [{"month": m.strftime("%Y-%m"), "done": d, "total": t}
                   for m, (d, t) in sorted(per_month.items())],
    }

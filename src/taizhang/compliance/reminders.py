"""Reminder kind ``compliance_missing`` (declared in notify's registry): a few working days
before a period ends, each required record of the period that is still missing.

For every branch (and Party group) with responsible users, every calendar rule (支委会 and
主题党日 monthly, 党小组会 monthly per group, 党员大会 and 党课 quarterly, 组织生活会 yearly)
whose current period ends within ``REMINDER_WORKDAYS`` (default 3) working days and is not
met yet yields one message to the branch's secretary and committee users. The key is the
rule and the period's first day, so notify's ledger sends each reminder once.
"""

from __future__ import annotations

from django.urls import reverse

from taizhang.notify.registry import Message, RunContext, reminder_kind
from taizhang.orgs.models import Organization, OrgKind

from . import conf
from .services import display_names, kind_label, still_needed


@reminder_kind("compliance_missing", "组织生活记录缺失")
def compliance_missing(ctx: RunContext):
    """Yield a :class:`Message` per (org, rule, period) still missing a few working days
    before the period ends. One evaluation per top-level organization (constant queries)."""
    window = int(conf.get("REMINDER_WORKDAYS"))
    roots = Organization.objects.filter(depth=1)
    for root in roots:
        needs = still_needed(root, ctx.today)
        if not needs:
            continue
        orgs = Organization.objects.in_bulk(list(needs))
        names = display_names(needs)
        for org_id, cells in needs.items():
            org = orgs.get(org_id)
            if org is None:
                continue
            branch = Organization.objects.get_parent(org) if org.kind == OrgKind.GROUP else org
            recipients = ctx.roles.branch_officers(branch)
            if not recipients:
                continue
            for cell in cells:
                left = ctx.workdays_left(cell.period.end)
                if not 0 < left <= window:
                    continue
                what = kind_label(cell.add_kind)
                yield Message(
                    target=org, org=branch, recipients=recipients,
                    subject=f"{names.get(org.pk, org.name)}{cell.period.label}尚未召开{what}",
                    body=(f"{cell.rule.title}（{cell.rule.source}）。{cell.period.label}至 "
                          f"{cell.period.end:%Y-%m-%d} 结束，还有 {left} 个工作日，目前已记录 {cell.count} 次，"
                          f"应不少于 {cell.needed} 次。"),
                    url=reverse("compliance:calendar", args=[branch.pk]) + f"?year={cell.period.start.year}",
                    key=f"{cell.rule.id}:{cell.period.start:%Y-%m-%d}",
                )

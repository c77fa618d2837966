"""Test data of the notify tests: a published campaign with branch and committee tasks."""

from __future__ import annotations

import datetime as dt

from taizhang.plans.models import (
    Assignment,
    Campaign,
    CampaignStatus,
    ItemKind,
    Occurrence,
    Plan,
    PlanItem,
    Responsible,
)


def make_campaign(committee, title="2023主题教育", status=CampaignStatus.PUBLISHED):
    campaign = Campaign.objects.create(org=committee, title=title, start=dt.date(2023, 9, 1),
                                       end=dt.date(2024, 1, 31), status=status)
    Plan.objects.create(campaign=campaign)
    return campaign


def make_task(campaign, ref, title, responsible=Responsible.BRANCH, recurrence=""):
    return PlanItem.objects.create(plan=campaign.plan, kind=ItemKind.TASK, ref=ref, title=title,
                                   responsible=responsible, recurrence=recurrence)


def assign(item, org, due, status="pending"):
    return Assignment.objects.create(item=item, org=org, due=due, status=status)


def occurrence(assignment, month: tuple[int, int], due: dt.date, status="pending"):
    year, mon = month
    start = dt.date(year, mon, 1)
    end = (dt.date(year + (mon == 12), mon % 12 + 1, 1) - dt.timedelta(days=1))
    return Occurrence.objects.create(assignment=assignment, period_start=start, period_end=end,
                                     due=due, status=status)

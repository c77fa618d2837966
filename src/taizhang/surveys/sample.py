"""Sample 群众满意度测评 for the sample organization (orgs.sample).

Deterministic. The committee surveys the masses on its leadership team's work in January
2024 (seed 四.2): 40 links, 30 answered with a fixed pattern of ratings, 3 opinions (one
entered in the problem list); 10 links stay unused to print.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign

from . import services

ITEMS = [
    "领导班子理论学习和主题教育开展情况",
    "为民办实事、解决群众急难愁盼问题情况",
    "机关作风建设和服务效率",
    "检视整改问题情况",
]
PATTERN = ["satisfied", "satisfied", "basically_satisfied", "satisfied", "dissatisfied", "satisfied",
           "basically_satisfied", "satisfied"]
OPINIONS = {3: "办事窗口午间无人值守，希望安排轮岗。", 11: "调研后反馈不够及时。", 20: "希望多开展入户走访。"}


def load_sample_surveys(committee: Organization) -> str:
    """Create the committee's sample survey with answers; return a summary line."""
    campaign = Campaign.objects.filter(org=committee).order_by("pk").first()
    with transaction.atomic():
        survey = services.create_survey({
            "org": committee, "campaign": campaign, "title": "主题教育群众满意度测评",
            "intro": "请对机关党委领导班子在主题教育中的工作作出评价。", "start": dt.date(2024, 1, 8),
            "end": dt.date(2024, 1, 19), "items": ITEMS})
        tokens = services.issue_tokens(survey, 40)
        items = list(survey.items.all())
        for n, token in enumerate(tokens[:30]):
            ratings = {item.pk: PATTERN[(n + k) % len(PATTERN)] for k, item in enumerate(items)}
            response = services.submit(token.token, ratings, OPINIONS.get(n, ""),
                                       today=dt.date(2024, 1, 8) + dt.timedelta(days=n % 10))
            if n == 3:
                services.opinion_to_problem(response)
    _items, overall = services.results(survey)
    return f"满意度测评 1 次，答卷 30 份，满意率 {overall.rate}%，意见 3 条（1 条转为问题）"

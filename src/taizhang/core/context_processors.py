"""Template context shared by every page: the navigation entries the user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

# (url name, label, path prefix that marks the entry active; "/" only matches itself)
NAV = [
    ("home", "首页", "/"),
    ("plans:campaign_list", "任务清单", "/plans/"),
    ("plans:review_queue", "审核把关", "/plans/review/"),
    ("orgs:organization_list", "组织", "/orgs/"),
    ("orgs:member_list", "党员", "/orgs/members/"),
    ("orgs:leadership", "领导班子", "/orgs/leadership/"),
    ("records:meeting_list", "三会一课", "/records/meeting/"),
    ("records:study_list", "学习", "/records/study/"),
    ("records:selfstudy_list", "个人自学", "/records/selfstudy/"),
    ("records:lecture_list", "党课", "/records/lecture/"),
    ("records:research_list", "调研", "/records/research/"),
    ("records:talk_list", "谈心谈话", "/records/talk/"),
    ("records:suggestion_list", "意见建议", "/records/suggestion/"),
    ("rectification:problem_list", "问题清单", "/rectification/problems/"),
    ("rectification:ledger", "整改台账", "/rectification/"),
    ("compliance:overview", "合规检查", "/compliance/"),
    ("compliance:rules", "规则与依据", "/compliance/rules/"),
    ("evaluation:appraisal_list", "民主评议", "/evaluation/"),
    ("notify:notice_list", "通知", "/notify/"),
]


# Entries of one app are shown as one dropdown under this label (single entries stay flat).
GROUPS = {
    "plans": "主题教育",
    "records": "工作记录",
    "rectification": "检视整改",
    "compliance": "组织生活",
    "evaluation": "组织生活",
    "orgs": "组织",
}


def navigation(request):
    """Navigation for authenticated users (empty for anonymous ones): the entries of NAV,
    grouped per app into dropdowns, the current page's entry marked active."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    # The entry with the longest matching prefix is active ("/orgs/members/" beats "/orgs/").
    matching = [prefix for _n, _l, prefix in NAV
                if (path == prefix if prefix == "/" else path.startswith(prefix))]
    active_prefix = max(matching, key=len, default=None)
    items: list[dict] = []
    groups: dict[str, dict] = {}
    for name, label, prefix in NAV:
        entry = {"url": reverse(name), "label": _(label), "active": prefix == active_prefix}
        group_label = GROUPS.get(name.split(":")[0]) if ":" in name else None
        if group_label is None:
            items.append(entry)
            continue
        group = groups.get(group_label)
        if group is None:
            group = groups[group_label] = {"label": _(group_label), "children": [], "active": False}
            items.append(group)
        group["children"].append(entry)
        group["active"] = group["active"] or entry["active"]
    # A group of one is just its entry.
    items = [i["children"][0] if "children" in i and len(i["children"]) == 1 else i for i in items]
    return {"nav_items": items}

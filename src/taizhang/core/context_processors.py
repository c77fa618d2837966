"""Template context shared by every page: the navigation entries the user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from .scoping import BROWSE, MANAGE, REVIEW, VIEW, held_actions
from .sources import sources

SOURCES = object()

# (url name, label, path prefix that marks the entry active; "/" only matches itself). Labels
# are marked with gettext_noop (seen by makemessages) and translated per request below.
NAV = [
    ("home", gettext_noop("首页"), "/"),
    # A member's own forms (issue 12 §2), grouped under MINE.
    ("records:my_self_study", gettext_noop("记录个人自学"), "/records/my/self-study/"),
    ("records:my_micro_lecture", gettext_noop("记录我的微党课"), "/records/my/micro-lecture/"),
    ("records:my_suggestion", gettext_noop("提意见建议"), "/records/my/suggestion/"),
    ("plans:campaign_list", gettext_noop("任务清单"), "/plans/"),
    ("plans:review_queue", gettext_noop("审核把关"), "/plans/review/"),
    ("orgs:organization_list", gettext_noop("组织"), "/orgs/"),
    ("orgs:member_list", gettext_noop("党员"), "/orgs/members/"),
    ("orgs:leadership", gettext_noop("领导班子"), "/orgs/leadership/"),
    ("orgs:accounts_create", gettext_noop("党员账号"), "/orgs/members/accounts/"),
    SOURCES,  # the registered evidence sources with a menu label (core.sources), in order
    ("rectification:problem_list", gettext_noop("问题清单"), "/rectification/problems/"),
    ("rectification:ledger", gettext_noop("整改台账"), "/rectification/"),
    ("compliance:overview", gettext_noop("合规检查"), "/compliance/"),
    ("compliance:rules", gettext_noop("规则与依据"), "/compliance/rules/"),
    ("evaluation:appraisal_list", gettext_noop("民主评议"), "/evaluation/"),
    ("evaluation:branch_life", gettext_noop("专题组织生活会和民主评议"), "/evaluation/branches/"),
    ("reports:index", gettext_noop("报告"), "/reports/"),
    ("notify:notice_list", gettext_noop("通知"), "/notify/"),
    ("notify:announcement_list", gettext_noop("通知公告"), "/notify/announcements/"),
    ("notify:urge_board", gettext_noop("督办"), "/notify/urge/"),
]


# The action (core.scoping) a user must hold somewhere for the menu to offer an entry: the
# same action the entry's page checks (a page they could not use answers 403; the menu does
# not offer it). ``None``: every signed-in user (his own pages). Entries not listed need
# ``BROWSE``: the organization's ledgers, which a plain member (who acts on himself, DESIGN.md
# "Who uses it") is not offered; the registry's record kinds are ledgers too.
NEEDS = {
    "home": None,
    "records:my_self_study": None,
    "records:my_micro_lecture": None,
    "records:my_suggestion": None,
    "notify:notice_list": None,  # his own notices
    "notify:announcement_list": VIEW,  # notices sent to his organization
    "plans:campaign_list": VIEW,  # the campaign and its board: everyone, own subtree (README)
    "plans:review_queue": REVIEW,  # plans.views_work.review_queue
    "orgs:accounts_create": MANAGE,  # orgs.views_accounts.accounts_create
    "notify:urge_board": MANAGE,  # notify.urging.candidates: the managed subtrees
}


# Entries of one app are shown as one dropdown under this label (single entries stay flat).
GROUPS = {
    "plans": gettext_noop("主题教育"),
    "records": gettext_noop("工作记录"),
    "rectification": gettext_noop("检视整改"),
    "compliance": gettext_noop("组织生活"),
    "evaluation": gettext_noop("组织生活"),
    "volunteering": gettext_noop("立足岗位"),
    "democratic": gettext_noop("民主生活会"),
    "orgs": gettext_noop("组织"),
    "notify": gettext_noop("通知与督办"),
}


# The member's own forms form one dropdown of their own, whatever app serves them.
MINE = {"records:my_self_study", "records:my_micro_lecture", "records:my_suggestion"}
MINE_LABEL = gettext_noop("我的填报")


def _entries():
    """NAV with :data:`SOURCES` replaced by the registry's record kinds that have a menu
    label (their list pages), as (url name, translated label, active path prefix)."""
    for entry in NAV:
        if entry is not SOURCES:
            yield entry[0], _(entry[1]), entry[2]
            continue
        for source in sources():
            name = source.url_name("list")
            if source.menu and name:
                yield name, str(source.menu), reverse(name)


_RESOLVED: dict[tuple, list[tuple[str, str, str, str]]] = {}


def _resolved_entries() -> list[tuple[str, str, str, str]]:
    """:func:`_entries` with each entry's URL, as (url name, label, prefix, url): the same
    for every request of one language, URLconf and script prefix, so computed once per
    process for each (issue 14: some 60 ``reverse()`` calls were a fixed cost of every page)."""
    from django.urls import get_script_prefix, get_urlconf
    from django.utils.translation import get_language

    key = (get_language(), get_urlconf(), get_script_prefix())
    found = _RESOLVED.get(key)
    if found is None:
        found = _RESOLVED[key] = [(name, label, prefix, reverse(name)) for name, label, prefix in _entries()]
    return found


def navigation(request):
    """Navigation for authenticated users (empty for anonymous ones): the entries of NAV the
    user may use (:data:`NEEDS`), grouped per app into dropdowns, the current page's entry
    marked active. One query (the user's roles), however many entries."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    # The entry with the longest matching prefix is active ("/orgs/members/" beats "/orgs/").
    entries = _resolved_entries()
    matching = [prefix for _n, _l, prefix, _u in entries
                if (path == prefix if prefix == "/" else path.startswith(prefix))]
    active_prefix = max(matching, key=len, default=None)
    items: list[dict] = []
    groups: dict[str, dict] = {}
    held = held_actions(request.user)  # one query whatever the menu's length
    for name, label, prefix, url in entries:
        needed = NEEDS.get(name, BROWSE)
        if needed is not None and needed not in held:
            continue
        entry = {"url": url, "label": label, "active": prefix == active_prefix}
        group_label = MINE_LABEL if name in MINE else GROUPS.get(name.split(":")[0]) if ":" in name else None
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

"""Template context shared by every page: the navigation entries the user may open."""

from django.urls import reverse
from django.utils.translation import gettext as _

# (url name, label, path prefix that marks the entry active; "/" only matches itself)
NAV = [
    ("home", "首页", "/"),
    ("plans:campaign_list", "任务清单", "/plans/"),
    ("orgs:organization_list", "组织", "/orgs/"),
    ("orgs:member_list", "党员", "/orgs/members/"),
    ("orgs:leadership", "领导班子", "/orgs/leadership/"),
]


def navigation(request):
    """Navigation entries for authenticated users; empty for anonymous ones."""
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"nav_items": []}
    path = request.path
    # The entry with the longest matching prefix is active ("/orgs/members/" beats "/orgs/").
    matching = [prefix for _n, _l, prefix in NAV
                if (path == prefix if prefix == "/" else path.startswith(prefix))]
    active_prefix = max(matching, key=len, default=None)
    items = [{"url": reverse(name), "label": _(label), "active": prefix == active_prefix}
             for name, label, prefix in NAV]
    return {"nav_items": items}

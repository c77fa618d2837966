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
    items = []
    for name, label, prefix in NAV:
        url = reverse(name)
        path = request.path
        active = path == prefix if prefix == "/" else path.startswith(prefix)
        items.append({"url": url, "label": _(label), "active": active})
    return {"nav_items": items}

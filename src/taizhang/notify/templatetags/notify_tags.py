"""Template tags of the notify app: the unread-notice count for the header badge."""

from django import template

from ..models import Notice

register = template.Library()


@register.simple_tag(takes_context=True)
def unread_notice_count(context) -> int:
    """How many unread notices the signed-in user has (one indexed COUNT query; 0 when
    anonymous). Cached on the request so several badges cost one query."""
    request = context.get("request")
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return 0
    if not hasattr(request, "_unread_notice_count"):
        request._unread_notice_count = Notice.objects.restrict(user).unread().count()
    return request._unread_notice_count

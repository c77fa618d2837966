"""Template helpers shared by all apps: the history panel."""

from django import template

from taizhang.core.history import history_for

register = template.Library()


@register.inclusion_tag("core/includes/history.html")
def history_panel(obj):
    """Render the audit trail of ``obj`` (django-auditlog entries, newest first)."""
    return {"entries": history_for(obj)}


@register.filter
def get_item(mapping, key):
    """``{{ dict|get_item:key }}``: a dict lookup with a variable key."""
    return mapping.get(key) if hasattr(mapping, "get") else None

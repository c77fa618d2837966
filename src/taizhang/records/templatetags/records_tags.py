"""Template helpers of the records app."""

from importlib.util import find_spec

from django import template
from django.apps import apps

register = template.Library()

RECTIFICATION_TAGS = "taizhang.rectification.templatetags.rectification"


def _rectification_available() -> bool:
    if not apps.is_installed("taizhang.rectification"):
        return False
    try:
        return find_spec(RECTIFICATION_TAGS) is not None
    except ModuleNotFoundError:
        return False


@register.simple_tag(takes_context=True)
def related_problems_panel(context, obj):
    """Render ``{% related_problems obj %}`` of the rectification app's ``rectification``
    tag library, or nothing while that library does not exist yet (so record pages render
    whatever the state of the rectification app)."""
    if not _rectification_available():
        return ""
    try:
        tpl = template.engines["django"].from_string("{% load rectification %}{% related_problems obj %}")
    except template.TemplateSyntaxError:
        return ""
    return tpl.render({**context.flatten(), "obj": obj}, context.get("request"))

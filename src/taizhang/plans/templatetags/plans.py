"""Display helpers of the plans app: readable recurrence and evidence names."""

from django import template

from ..forms import RECURRENCE_CHOICES
from .. import evidence

register = template.Library()

_RECURRENCE = {value: label for value, label in RECURRENCE_CHOICES if value}


@register.filter
def recurrence_label(rule: str) -> str:
    """"FREQ=MONTHLY" → "每月"; an RRULE without a plain name is shown as written."""
    return str(_RECURRENCE.get(rule, rule)) if rule else ""


@register.filter
def evidence_label(code: str) -> str:
    """"study_session" → its Chinese name (``plans.evidence.evidence_label``)."""
    return evidence.evidence_label(code)


@register.filter
def model_name(obj) -> str:
    """"assignment" / "occurrence": the URL kind of a review target."""
    return obj._meta.model_name


@register.inclusion_tag("plans/includes/own_tasks.html", takes_context=True)
def own_campaign_tasks(context):
    """The home page's first card: the user's own organizations' overdue, due-soon and
    returned campaign tasks (``plans.mytasks.own_tasks``, issue 12 §3)."""
    from ..mytasks import own_tasks

    return {"tasks": own_tasks(context["request"].user)}

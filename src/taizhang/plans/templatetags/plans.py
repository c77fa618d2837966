"""Display helpers of the plans app: readable recurrence and evidence names."""

from django import template
from django.utils.translation import gettext as _

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


def counted(cell) -> str:
    """What a board cell counting several things says it counts (issue 15 §2: never a bare
    "5/19"): periods of a recurring task ("3/5期"), organizations of a rolled-up row
    ("12/19个组织")."""
    if hasattr(cell, "periods"):
        return cell.periods
    return _("%(done)d/%(total)d个组织") % {"done": cell.done, "total": cell.total}


@register.inclusion_tag("plans/includes/own_tasks.html", takes_context=True)
def own_campaign_tasks(context):
    """The home page's first card: the user's own organizations' overdue, due-soon and
    returned campaign tasks (``plans.mytasks.own_tasks``, issue 12 §3)."""
    from ..mytasks import own_tasks

    return {"tasks": own_tasks(context["request"].user)}


@register.filter
def board_cells(row) -> str:
    """The ``<td>`` cells of one progress-board row, built in Python: a board of 500 × 9
    cells spent most of its time in the template's per-cell tags (issue 14). A cell shows
    what it counts when it counts more than one (:func:`counted`), else its label."""
    from django.utils.html import escape
    from django.utils.safestring import mark_safe

    parts = []
    for cell in row.cells:
        if cell is None:
            parts.append("<td></td>")
            continue
        text = escape(counted(cell)) if cell.total > 1 else escape(cell.label)
        parts.append(f'<td class="status-{cell.status}"><a href="{escape(cell.url)}" '
                     f'title="{escape(cell.title)}">{text}</a></td>')
    return mark_safe("".join(parts))

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


@register.simple_tag
def board_rows(board) -> str:
    """The ``<tr>`` rows of a progress board's body (:func:`board_row_html` joined)."""
    from django.utils.safestring import mark_safe

    return mark_safe("".join(board_row_html(board.rows)))


def board_row_html(rows) -> list[str]:
    """The ``<tr>`` rows of a progress board's body, built in one pass in Python (issue 14:
    the template's per-cell tags and a translation per cell were most of a big board's
    time). Every text that is the same for a whole column or status — the status labels, the
    "已完成" word, the "3/5期" / "12/19个组织" patterns — is translated and escaped once per
    board, not per cell. A cell shows what it counts when it counts more than one
    (:func:`counted`), else its label; its tooltip the status, periods done and deadline
    (``board.Cell.title``) or organizations done (``rollup.RolledCell.title``). Returns one
    HTML string per row (``plans.boardcache`` keeps them per row)."""
    from django.utils.html import escape

    done_word = _("已完成")
    periods = _("%(done)d/%(total)d期")
    organizations = _("%(done)d/%(total)d个组织")
    labels: dict[str, str] = {}
    html: list[str] = []
    for row in rows:
        parts: list[str] = []
        append = parts.append
        name = escape(row.org_name)
        if row.drill_url:
            url = escape(row.drill_url)
            append(f'<tr><th class="sticky"><a href="{url}" data-drill="{url}">{name}</a></th>')
        else:
            append(f'<tr><th class="sticky">{name}</th>')
        for cell in row.cells:
            if cell is None:
                append("<td></td>")
                continue
            label = labels.get(cell.status)
            if label is None:
                label = labels[cell.status] = escape(cell.label)
            if hasattr(cell, "periods"):  # one organization's cell
                if cell.total > 1:
                    text = escape(periods % {"done": cell.done, "total": cell.total})
                    title = f"{label}（{done_word} {text}）"
                else:
                    text = title = label
                if cell.due:
                    title = f"{title} · {cell.due:%Y-%m-%d}"
                append(f'<td class="status-{cell.status}"><a href="{cell.url}" title="{title}">{text}</a></td>')
            else:  # a rolled-up child's cell
                text = escape(organizations % {"done": cell.done, "total": cell.total})
                append(f'<td class="status-{cell.status}"><a href="{escape(cell.url)}" '
                       f'title="{label} · {cell.done}/{cell.total}">{text}</a></td>')
        append(f'<td>{row.counts["done"]}</td><td>{row.counts["overdue"]}</td></tr>')
        html.append("".join(parts))
    return html

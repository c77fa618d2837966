"""Pages of the compliance app (thin: the work is in services/engine/checks).

- ``compliance:overview`` — committee view: branches × rules for a period, health, drill-down;
- ``compliance:export`` — the same findings as an Excel workbook (core.excel);
- ``compliance:calendar`` — one branch's calendar of required records for a year;
- ``compliance:rules`` — every rule with its source, type, parameters and the settings.

Every page is scoped: the organization asked for must be visible to the user (404 otherwise).
"""

from __future__ import annotations

import datetime as dt
import hashlib
import html

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.cache import cache
from django.db import connection
from django.db.models import Q
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import translation
from django.utils.formats import localize
from django.utils.html import escape
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _

from taizhang.core.excel import Column, xlsx_response
from taizhang.core.scoping import CHANGE, can, scope_paths
from taizhang.orgs.models import Organization, OrgKind

from . import conf, services
from . import periods as P
from .overview import SUMMARY_SECONDS, drill_page, overview_summary, sort_key, summary_key
from .rules import SEVERITY_LABELS, all_rules

ROOT_KINDS = (OrgKind.COMMITTEE, OrgKind.GENERAL_BRANCH, OrgKind.BRANCH)


def _roots(user):
    """Organizations the user may pick as the top of the committee view (tree order)."""
    return Organization.objects.visible_to(user).filter(kind__in=ROOT_KINDS)


def _chosen_root(request):
    """The ``?org=`` organization (visible, else 404) or the user's topmost visible one."""
    roots = _roots(request.user)
    org_id = request.GET.get("org")
    if org_id:
        if not str(org_id).isdigit():
            raise Http404
        return get_object_or_404(roots, pk=org_id)
    paths = scope_paths(request.user)
    top = roots.filter(path__in=paths).first() if paths else roots.order_by("depth", "path").first()
    if top is None:
        top = roots.order_by("depth", "path").first()
    if top is None:
        raise Http404(_("没有可查看的党组织。"))
    return top


def _period(request, default: P.Period | None = None) -> P.Period:
    try:
        return P.parse(request.GET.get("period"), default)
    except ValueError:
        raise Http404(_("期间格式应为 2023、2023-Q4 或 2023-11。")) from None


def first_record_year(root: Organization) -> int | None:
    """The earliest year of a record of ``root``'s subtree (meeting, lecture, talk, problem)
    or of a campaign of ``root``, its subtree or its superiors; ``None`` without any. One
    aggregate query per kind of record."""
    from django.db.models import Min

    from taizhang.plans.models import Campaign
    from taizhang.records.models import Lecture, Meeting, Talk
    from taizhang.rectification.models import Problem

    below = {"org__path__startswith": root.path}
    step = Organization.steplen
    above = [root.path[:i] for i in range(step, len(root.path), step)]
    firsts = [Meeting.objects.filter(**below).aggregate(d=Min("date"))["d"],
              Lecture.objects.filter(**below).aggregate(d=Min("date"))["d"],
              Talk.objects.filter(**below).aggregate(d=Min("date"))["d"],
              Campaign.objects.filter(Q(**below) | Q(org__path__in=above)).aggregate(d=Min("start"))["d"]]
    problems = Problem.objects.filter(**below).aggregate(f=Min("found_on"), c=Min("created_at"))
    firsts += [problems["f"], problems["c"] and P.local_date(problems["c"])]
    years = [d.year for d in firsts if d is not None]
    return min(years) if years else None


def _period_choices(period: P.Period, today: dt.date, first_year: int | None = None) -> list[P.Period]:
    """Every year from ``first_year`` (the earliest record, see :func:`first_record_year`)
    — or the chosen period's year if earlier — to next year, each followed by its quarters
    and months (selector)."""
    start = min(y for y in (first_year, period.start.year, today.year) if y is not None)
    result = []
    for year in range(start, max(today.year + 1, period.start.year) + 1):
        whole = P.period_of(dt.date(year, 1, 1), P.YEAR)
        result += [whole, *whole.split(P.QUARTER), *whole.split(P.MONTH)]
    return result


#: Findings shown per page of the committee view.
DRILL_PAGE = 50


@login_required
def overview(request):
    """Committee view: first the summary, branches × rules for ``?period=`` (default the
    current quarter: the period being worked in, not a year of gaps), counts per rule and
    per branch, health per branch (for a superior over unit committees, first one row per
    unit drilling into its own view, ``units.unit_findings``); then the findings,
    :data:`DRILL_PAGE` a page (``?page=``), errors first; ``?row=&rule=`` drills down.
    The figures and the page of findings are read from the kept findings
    (``overview.overview_summary``, ``overview.drill_page``; issue 14)."""
    root = _chosen_root(request)
    today = P.today()
    period = _period(request, P.period_of(today, P.QUARTER))
    summary, kept, report = overview_summary(root, period, today, first_record_year)
    matrix, by_row, health = summary.matrix, summary.by_row, summary.health
    base = f"?org={root.pk}&period={escape(period.key)}"
    calendar_prefix = reverse("compliance:calendar", args=[0])[:-2]
    rule_ids = {rule.id: str(escape(rule.id)) for rule in summary.rules}
    rows = [{"org": row, "health": health.get(row.id, "green"), "total": by_row.get(row.id, 0),
             "cells": _Cells(row.id, summary.rules, matrix),
             "calendar_url": f"{calendar_prefix}{row.id}/?year={period.start.year}"} for row in summary.rows]
    # the rows' HTML is kept with the summary (the same organization, period and findings)
    rows_key = f"{summary_key(kept)}:rows:{translation.get_language()}" if kept is not None else None
    rows_html = cache.get(rows_key) if rows_key else None
    if rows_html is None:
        rows_html = _rows_html(rows, f"?org={localize(root.pk)}&period={escape(period.key)}", base, rule_ids)
        if rows_key:
            cache.set(rows_key, rows_html, SUMMARY_SECONDS)
    selected_row = request.GET.get("row")
    selected_rule = request.GET.get("rule")
    row_id = int(selected_row) if selected_row and selected_row.isdigit() else None
    page = drill_page(summary, kept, report, row_id, selected_rule or None, request.GET.get("page"), DRILL_PAGE)
    names = {o.id: o.name for o in summary.rows}
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "compliance/overview.html", {
        "rows_html": rows_html,
        "page": page, "drill_total": page.paginator.count, "query_string": query.urlencode(),
        "root": root, "root_options": _root_options(request.user, root), "period": period, "today": today,
        "periods": _period_choices(period, today, summary.first_year), "report": summary, "rows": rows,
        "by_rule": summary.by_rule, "drill": page.object_list,
        "drilled": bool(selected_row or selected_rule), "names": names,
        "selected_row": row_id, "selected_rule": selected_rule,
        "skipped": [r for r in all_rules() if r not in summary.rules],
        "health_counts": {h: sum(1 for r in rows if r["health"] == h) for h in ("red", "amber", "green")},
        "units": summary.units,
    })


def _root_options(user, root) -> str:
    """The ``<option>`` elements of the organization selector (every organization the user may
    pick, tree order; ``root`` selected), built from plain column values: a province's staff
    may pick among 10,000 branches, whose rendering as model instances through the template
    took seconds (issue 14). Kept in the cache for the user's subtrees until an organization
    changes (one query: the latest ``updated_at`` and the number of organizations)."""
    with connection.cursor() as cursor:  # the organizations' version: latest change (indexed) and number
        cursor.execute(f"SELECT MAX(updated_at), COUNT(*) FROM {Organization._meta.db_table}")
        stamp = tuple(str(v) for v in cursor.fetchone())
    key = "taizhang:compliance:roots:" + hashlib.sha256(
        repr((scope_paths(user), stamp, translation.get_language())).encode()).hexdigest()
    options = cache.get(key)
    if options is None:
        kinds = {kind: str(escape(label)) for kind, label in OrgKind.choices}  # translated once, not per option
        options = "".join(f'<option value="{pk}">{_fast_escape(name)}（{kinds.get(kind) or escape(kind)}）</option>'
                          for pk, name, kind in _roots(user).values_list("pk", "name", "kind"))
        cache.set(key, options, SUMMARY_SECONDS)
    mark = f'<option value="{root.pk}">'
    return mark_safe(options.replace(mark, f'<option value="{root.pk}" selected>', 1))  # noqa: S308 — escaped


class _Cells:
    """One row's (rule, findings) pairs, made when iterated: 20,000 tuples a city page kept
    alive with the page's context were a third of the garbage collector's work (issue 14)."""

    __slots__ = ("row_id", "rules", "matrix")

    def __init__(self, row_id: int, rules, matrix: dict):
        self.row_id, self.rules, self.matrix = row_id, rules, matrix

    def __iter__(self):
        row_id, matrix = self.row_id, self.matrix
        return ((rule, matrix.get((row_id, rule.id), 0)) for rule in self.rules)


def _fast_escape(text) -> str:
    """``django.utils.html.escape`` of a plain string (the same characters, the same
    entities: it calls ``html.escape``) without its lazy-string wrapper, which cost more
    than the escaping over the 10,000 options and 700 rows of a city's page."""
    return html.escape(str(text))


def _number():
    """How ``{{ n }}`` prints an integer: ``str`` unless thousand separators are on."""
    return localize if settings.USE_THOUSAND_SEPARATOR else str


def _rows_html(rows: list[dict], base: str, cells_base: str, rule_ids: dict[str, str]) -> str:
    """The matrix rows (``<tr>`` per organization: name linked to its findings, calendar
    link for a branch, health, total, the cells of :func:`_cells_html`), built here with
    the labels translated once: the template's loop over a city's 700 rows took 1 s
    (issue 14). ``base``, ``cells_base``: the query string of the organization and period
    (escaped) in the name's and the cells' links; ``rule_ids`` as for :func:`_cells_html`."""
    health_labels = {"red": escape(_("红")), "amber": escape(_("黄")), "green": escape(_("绿"))}
    calendar_label = escape(_("日历"))
    esc, num = _fast_escape, _number()
    out = []
    for row in rows:
        org, health = row["org"], esc(row["health"])
        calendar = (f'<a class="small ms-1" href="{esc(row["calendar_url"])}">{calendar_label}</a>'
                    if org.kind == "branch" else "")
        out.append(f'<tr data-org="{esc(org.code)}" data-health="{health}">\n'
                   f'<td class="org"><a href="{base}&row={num(org.id)}#drill">{esc(org.name)}</a>\n'
                   f'{calendar}</td>\n'
                   f'<td class="health-{health}"><span class="health-dot {health}"></span> '
                   f'{health_labels.get(row["health"], health_labels["green"])}</td>\n'
                   f'<td><strong>{num(row["total"])}</strong></td>\n'
                   f'{_cells_html(cells_base, org.id, row["cells"], rule_ids)}\n</tr>')
    return mark_safe("".join(out))  # noqa: S308 — every value escaped above


def _cells_html(base: str, row_id: int, cells, rule_ids: dict[str, str]) -> str:
    """The matrix cells of one row (a ``<td>`` per rule: the count, linked to its findings
    when not zero), built here rather than in the template: a city's overview has thousands
    of rows × 26 rules, whose template rendering took 15 s (issue 14). ``rule_ids``: {rule
    id: its HTML-escaped text}, escaped once per page."""
    out = []
    for rule, n in cells:
        rule_id = rule_ids[rule.id]
        if n:
            out.append(f'<td class="" data-rule="{rule_id}"><a href="{base}&row={row_id}&rule={rule_id}#drill">'
                       f"{n}</a></td>")
        else:
            out.append(f'<td class="zero" data-rule="{rule_id}">0</td>')
    return mark_safe("".join(out))  # noqa: S308 — ids and integers, escaped above


_order = sort_key  # the findings' order on every page (overview.sort_key)


@login_required
def export(request):
    """The committee view's findings as .xlsx (one row per finding), streamed (core.excel)."""
    root = _chosen_root(request)
    period = _period(request)
    report = services.committee_report(root, period, P.today())
    names = {o.id: o.name for o in report.rows}
    orgs = services.display_names({v.org_id for v in report.violations})
    columns = [Column(_("序号"), 6), Column(_("党组织"), 22), Column(_("具体组织"), 18), Column(_("健康度"), 8),
               Column(_("规则编号"), 8), Column(_("规则"), 40), Column(_("依据"), 36), Column(_("程度"), 8),
               Column(_("期间"), 16), Column(_("问题说明"), 60), Column(_("党员"), 12), Column(_("记录"), 30)]
    health = {"red": _("红"), "amber": _("黄"), "green": _("绿")}
    base = request.build_absolute_uri("/")[:-1]

    def rows():
        for i, v in enumerate(sorted(report.violations, key=_order), start=1):
            yield [i, names.get(v.row_id, ""), orgs.get(v.org_id, ""), health[report.health(v.row_id)],
                   v.rule.id, v.rule.title, v.rule.source, SEVERITY_LABELS[v.severity],
                   v.period.label if v.period else "", v.message, v.member_name,
                   f"{v.record_label} {base}{v.record_url}".strip() if v.record_url else ""]

    filename = f"组织生活合规检查_{root.name}_{period.key}.xlsx"
    return xlsx_response(filename, _("合规检查"), columns, rows())


@login_required
def calendar(request, pk: int):
    """One branch's calendar for ``?year=`` (default this year): months × required records."""
    branch = get_object_or_404(Organization.objects.visible_to(request.user), pk=pk, kind=OrgKind.BRANCH)
    today = P.today()
    try:
        year = int(request.GET.get("year") or today.year)
    except ValueError:
        raise Http404 from None
    if not 1900 < year < 2200:
        raise Http404
    rows, report = services.branch_calendar(branch, year, today)
    months = P.period_of(dt.date(year, 1, 1), P.YEAR).split(P.MONTH)
    return render(request, "compliance/calendar.html", {
        "branch": branch, "year": year, "rows": rows, "months": months, "report": report,
        "violations": sorted(report.violations, key=_order), "today": today,
        "current_key": P.period_of(today, P.MONTH).key,
        "can_record": can(request.user, CHANGE, branch),
        "branches": Organization.objects.visible_to(request.user).filter(kind=OrgKind.BRANCH),
    })


@login_required
def rules(request):
    """Every rule: id, title, source and tag, scope, period, severity, check type and
    parameters; then every setting with its current value."""
    return render(request, "compliance/rules.html", {"rules": all_rules(), "settings": conf.current()})

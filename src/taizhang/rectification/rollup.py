"""The problem list and ledger rolled up per unit for a superior (issue 12 §1).

A city committee over unit committees sees, above its 整改台账, one row per child
organization: problems found, measures, closed, overdue and closure rate, each with a link
to that unit's own ledger (``?org=<unit>``, the ledger's subtree filter), and a row for the
whole. Counting is done in SQL, grouped by the child subtree (``orgs.units.unit_path``):
three queries (children, problems, measures) whatever the number of units and records, and
two for each unit's review status (``listreview.statuses``: 未报审/待审核/已退回/已审核/审核后已修改).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from django.db.models import Case, CharField, Count, Q, Value, When
from django.utils import timezone

from taizhang.orgs.models import Organization, OrgKind
from taizhang.orgs.units import child_units, has_units, unit_path

from .ledger import amber_q, overdue_q
from .listreview import ROLLUP_LABELS, statuses
from .models import Problem, Rectification, RectificationStatus


@dataclass
class UnitRow:
    """One unit's figures; ``org`` is ``None`` for the whole (the total row)."""

    org: Organization | None
    problems: int = 0
    measures: int = 0
    closed: int = 0
    overdue: int = 0
    own: bool = False  # the root's own problems (not of any unit)
    review: str | None = None  # a child committee's list review status (``listreview``)

    @property
    def review_label(self) -> str:
        """The review status in the table's words (未报审 … 审核后已修改), "" for no committee."""
        return "" if self.review is None else str(ROLLUP_LABELS[self.review])

    @property
    def closure_rate(self) -> float:
        """Closed measures in percent of all measures (1 decimal; 0.0 without measures)."""
        return round(100 * self.closed / self.measures, 1) if self.measures else 0.0


def unit_rollup(root: Organization, problems=None, measures=None,
                today: dt.date | None = None, counted: dict | None = None) -> tuple[list[UnitRow], UnitRow] | None:
    """Rows per child organization of ``root`` (tree order; the root's own first when it has
    any) and the total row, or ``None`` when ``root`` has no child committee (no units).

    ``problems`` / ``measures`` are the querysets to count (already scoped to the user;
    default all); only their part in ``root``'s subtree counts. ``today`` decides overdue
    (``ledger.overdue_q``). A child committee's row carries the status of the superior's
    review of its leadership problem list (``review``, seed 四.2). Five queries at most.
    ``counted``: the grouped counts already computed (``ledgercache.ledger_figures``:
    {"problems": …, "measures": …}), which saves the two aggregates."""
    children = child_units(root)
    if not has_units(children):
        return None
    if counted is not None:
        problem_counts, measure_counts = counted["problems"], counted["measures"]
    else:
        measures = Rectification.objects.all() if measures is None else measures
        today = today or timezone.localdate()
        problem_counts = grouped_problems(problems, root)
        measure_counts = _grouped(
            measures.filter(org__path__startswith=root.path), root, total=Count("pk"),
            closed=Count("pk", filter=Q(status=RectificationStatus.CLOSED)),
            overdue=Count("pk", filter=overdue_q(today)))
    rows = []
    own = _row(None, root.path, problem_counts, measure_counts)
    if own.problems or own.measures:
        own.org, own.own = root, True
        rows.append(own)
    rows += [_row(child, child.path, problem_counts, measure_counts) for child in children]
    reviewed = statuses([c for c in children if c.kind == OrgKind.COMMITTEE])
    for row in rows:
        if not row.own and row.org.pk in reviewed:
            row.review = reviewed[row.org.pk]
    total = UnitRow(None, *(sum(getattr(r, f) for r in rows) for f in ("problems", "measures", "closed", "overdue")))
    return rows, total


def grouped_problems(problems, root: Organization) -> dict[str, dict]:
    """{unit path: {"n": problems}} of ``problems`` (default all) under ``root``, one query."""
    problems = Problem.objects.all() if problems is None else problems
    return _grouped(problems.filter(org__path__startswith=root.path), root, n=Count("pk"))


def unit_counts(queryset, root: Organization, today: dt.date) -> dict[str, dict]:
    """{unit path: {"total", "overdue", "amber", each status}} of the measures of
    ``queryset`` grouped by the child of ``root`` they lie under (the root's own under its
    path; measures outside ``root``'s subtree under ""): the ledger's status counts and the
    roll-up's measure counts in one aggregate (issue 14)."""
    unit = Case(When(org__path__startswith=root.path, then=unit_path("org__path", root)),
                default=Value(""), output_field=CharField())
    aggregates = {s: Count("pk", filter=Q(status=s)) for s in RectificationStatus.values}
    return {row.pop("unit"): row for row in queryset.order_by().annotate(unit=unit).values("unit").annotate(
        total=Count("pk"), overdue=Count("pk", filter=overdue_q(today)), amber=Count("pk", filter=amber_q(today)),
        **aggregates)}


def _grouped(queryset, root: Organization, **aggregates) -> dict[str, dict]:
    """{unit path: {aggregate: value}} of ``queryset`` grouped by the child of ``root``."""
    return {row.pop("unit"): row for row in queryset.order_by().annotate(
        unit=unit_path("org__path", root)).values("unit").annotate(**aggregates)}


def _row(org, path: str, problem_counts: dict, measure_counts: dict) -> UnitRow:
    measures = measure_counts.get(path, {})
    return UnitRow(org, problem_counts.get(path, {}).get("n", 0), measures.get("total", 0),
                   measures.get("closed", 0), measures.get("overdue", 0))

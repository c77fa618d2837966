"""The committee view's figures read from the kept findings, without loading the whole
subtree's findings on every request (issue 14: a city's year holds 160,000 findings and
40,000 calendar cells; loading and counting them took most of a 5–10 s page).

- :class:`Summary`: what the page shows of the whole subtree — the rows, the findings
  counted per row × rule × severity, each row's health, the per-unit roll-up
  (``units.unit_findings``) and the first year of the period selector — computed from one
  :class:`~.engine.Report` and kept in Django's cache under the kept evaluation it was read
  from (:class:`~.models.StoredEvaluation`: its key and the last change mark it includes,
  ``seen``). While no organization is marked changed since (``marks``), the kept findings
  are current, and so is the summary: a request then reads the evaluation row, checks for
  newer marks (one ``EXISTS``) and takes the summary from the cache.
- :func:`drill_page`: one page of the findings list (errors first, then by row, rule,
  period and message), read from the kept findings of only the rows that page shows (the
  counts per row × severity say which rows they are).

Any change marked since, a new day or a changed setting (a new key) computes the report
again (``services.committee_report``, which renews the kept findings) and the summary with
it. The findings shown are those of ``committee_report``, in the same order.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field

from django.core.cache import cache
from django.core.paginator import Paginator

from . import marks
from . import periods as P
from .engine import Report
from .findings import OrgRow
from .models import FindingsChange, StoredEvaluation
from .rules import ERROR, REMINDER, WARNING, Rule
from .store import _loads, evaluation_key

#: Seconds a summary is kept (it is keyed by the evaluation, which names today's date).
SUMMARY_SECONDS = 24 * 3600
SEVERITY_ORDER = {ERROR: 0, WARNING: 1, REMINDER: 2}


@dataclass
class Summary:
    """The whole subtree's figures (module docstring). ``counts``: {(row id, rule id,
    severity): findings}; ``health``: {row id: "red" | "amber"} (absent: green)."""

    rules: list[Rule]
    rows: list[OrgRow]
    counts: dict[tuple[int, str, str], int]
    health: dict[int, str]
    units: object
    first_year: int | None
    matrix: dict[tuple[int, str], int] = field(default_factory=dict)
    by_row: dict[int, int] = field(default_factory=dict)
    by_rule: dict[str, int] = field(default_factory=dict)

    def __post_init__(self):
        for (row_id, rule_id, severity), n in self.counts.items():
            if severity != REMINDER:
                self.matrix[(row_id, rule_id)] = self.matrix.get((row_id, rule_id), 0) + n
                self.by_row[row_id] = self.by_row.get(row_id, 0) + n
                self.by_rule[rule_id] = self.by_rule.get(rule_id, 0) + n

    @property
    def counted_total(self) -> int:
        """Errors and warnings of the subtree (reminders are shown but do not count)."""
        return sum(self.by_row.values())

    def groups(self, row_id: int | None = None, rule_id: str | None = None) -> list[tuple[int, int, int]]:
        """[(severity rank, row id, findings)] of the findings of ``row_id`` / ``rule_id``
        (None: any), in the findings list's order."""
        sizes: dict[tuple[int, int], int] = defaultdict(int)
        for (row, rule, severity), n in self.counts.items():
            if (row_id is None or row == row_id) and (rule_id is None or rule == rule_id):
                sizes[(SEVERITY_ORDER[severity], row)] += n
        return [(rank, row, n) for (rank, row), n in sorted(sizes.items())]


def summarize(report: Report, first_year: int | None) -> Summary:
    """The :class:`Summary` of ``report`` (one pass over its findings; one query, the units)."""
    from .units import unit_findings

    counts: dict[tuple[int, str, str], int] = defaultdict(int)
    for v in report.violations:
        counts[(v.row_id, v.rule.id, v.severity)] += 1
    return Summary(list(report.rules), list(report.rows), dict(counts), dict(report.health_by_row()),
                   unit_findings(report), first_year)


def current_evaluation(root, period: P.Period, today: dt.date) -> StoredEvaluation | None:
    """The kept evaluation of ``root``'s subtree in ``period`` for ``today`` when no change
    was marked since it was renewed (its findings are then current), else ``None``. Two
    small queries (after writing any pending marks)."""
    marks.flush()
    kept = StoredEvaluation.objects.filter(key=evaluation_key(root, period, today)).first()
    if kept is None or FindingsChange.objects.filter(id__gt=kept.seen).exists():
        return None
    return kept


def summary_key(kept: StoredEvaluation) -> str:
    """The cache key of the summary read from ``kept`` (its id, last change mark and key)."""
    return f"taizhang:compliance:summary:{kept.pk}:{kept.seen}:{kept.key}"


def overview_summary(root, period: P.Period, today: dt.date, first_year) -> tuple[Summary, object, Report | None]:
    """(summary, where the findings are read from, the report when it was computed now).
    ``first_year(root)`` gives the selector's first year (computed with the summary)."""
    from .services import committee_report

    kept = current_evaluation(root, period, today)
    if kept is not None:
        summary = cache.get(summary_key(kept))
        if summary is not None:
            return summary, kept, None
    report = committee_report(root, period, today)
    summary = summarize(report, first_year(root))
    kept = StoredEvaluation.objects.filter(key=evaluation_key(root, period, today)).first()
    if kept is not None:
        cache.set(summary_key(kept), summary, SUMMARY_SECONDS)
    return summary, kept, report


def sort_key(violation):
    """The findings list's order: errors, warnings, reminders; then row, rule, period, text."""
    return (SEVERITY_ORDER[violation.severity], violation.row_id, violation.rule.id,
            violation.period.start if violation.period else dt.date.min, violation.message)


class _Drill:
    """The findings of ``row_id`` / ``rule_id`` as a sequence for the paginator: its length
    from the summary, a slice read from the kept findings of the rows it covers only (or
    from ``report`` when it was computed in this request)."""

    def __init__(self, summary: Summary, kept, report: Report | None, row_id, rule_id):
        self.kept, self.report, self.row_id, self.rule_id = kept, report, row_id, rule_id
        self.groups = summary.groups(row_id, rule_id)
        self.total = sum(n for _rank, _row, n in self.groups)

    def __len__(self) -> int:
        return self.total

    def _wanted(self, v) -> bool:
        return (self.row_id is None or v.row_id == self.row_id) and (self.rule_id is None or v.rule.id == self.rule_id)

    def __getitem__(self, index):
        if not isinstance(index, slice):
            raise TypeError("the findings list is read a page at a time")
        start, stop, _step = index.indices(self.total)
        before, chosen, seen = 0, set(), 0
        for rank, row, n in self.groups:
            if seen + n > start and seen < stop:
                if not chosen:
                    before = seen
                chosen.add((rank, row))
            seen += n
        if not chosen:
            return []
        if self.report is not None:
            found = self.report.violations
        else:
            rows = sorted({row for _rank, row in chosen})
            found = []
            for data in self.kept.rows.filter(row_id__in=rows).order_by("row_id").values_list("data", flat=True):
                for violations, _cells in _loads(data).values():
                    found.extend(violations)
        page = sorted((v for v in found if (SEVERITY_ORDER[v.severity], v.row_id) in chosen and self._wanted(v)),
                      key=sort_key)
        return page[start - before:stop - before]


def drill_page(summary: Summary, kept, report: Report | None, row_id: int | None, rule_id: str | None,
               number, per_page: int):
    """The ``number``-th page (Django's ``get_page``: a bad number gives the first or last)
    of the findings of ``row_id`` / ``rule_id`` (None: all), ``per_page`` a page, in the
    list's order (:func:`sort_key`). One query when read from the kept findings."""
    drill = _Drill(summary, kept, report, row_id, rule_id)
    page = Paginator(drill, per_page).get_page(number)  # the page's findings are read here
    drill.report = None  # the whole report is not kept with the page (freed with the request)
    return page

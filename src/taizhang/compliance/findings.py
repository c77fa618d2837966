"""What an evaluation produces (:mod:`.engine`): the findings (:class:`Violation`), the
branch calendar's cells (:class:`Cell`), the organizations' rows (:class:`OrgRow`) and the
:class:`Report` the pages read. Findings and cells are light immutable tuples (tens of
thousands at city scale; issue 14) that pickle without a Python call each (kept findings,
:mod:`.store`)."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from typing import NamedTuple

from taizhang.orgs.models import Organization

from . import periods as P
from .rules import ERROR, REMINDER, WARNING, Rule


class _ViolationRow(NamedTuple):
    rule: Rule
    org_id: int
    row_id: int
    message: str
    period: P.Period | None
    severity: str
    member_id: int | None
    member_name: str
    record_url: str
    record_label: str


class Violation(_ViolationRow):
    """One finding (a light, immutable tuple: 59,000 of them at city scale; issue 14):
    ``rule`` broken by ``org_id`` (branch, group or committee; ``row_id`` is the
    committee-view row it counts for) in ``period``; ``message`` in Chinese; ``severity``
    (default the rule's); optional ``member_id``/``member_name`` and the record it is about
    (``record_url``, ``record_label``)."""

    __slots__ = ()

    def __new__(cls, rule: Rule, org_id: int, row_id: int, message: str, period: P.Period | None = None,
                severity: str = "", member_id: int | None = None, member_name: str = "",
                record_url: str = "", record_label: str = ""):
        return tuple.__new__(cls, (rule, org_id, row_id, message, period, severity or rule.severity,
                                   member_id, member_name, record_url, record_label))

    def __reduce__(self):  # unpickled without a Python call per finding (kept findings; issue 14)
        return tuple.__new__, (type(self), tuple(self))


class _CellRow(NamedTuple):
    rule: Rule
    org_id: int
    period: P.Period
    count: int
    needed: int
    status: str
    record_url: str = ""
    add_kind: str = ""


class Cell(_CellRow):
    """One required record of the branch calendar (a light, immutable tuple): ``rule`` for
    ``org_id`` in ``period``, ``count`` found of ``needed``, ``status``
    met/missing/due/future, the first record that meets it (``record_url``) and the kind to
    record (``add_kind``)."""

    __slots__ = ()

    def __reduce__(self):
        return tuple.__new__, (type(self), tuple(self))

    @property
    def add_date(self) -> dt.date:
        """The date a record entered from this cell defaults to: today when it lies in the
        cell's period, else the period's nearest day (its last day for a past period), so
        the record counts for the cell it was entered from (issue 15 §2)."""
        from django.utils import timezone

        return min(max(timezone.localdate(), self.period.start), self.period.end)


@dataclass
class OrgRow:
    id: int
    name: str
    code: str
    kind: str
    path: str
    elected_on: dt.date | None
    parent_path: str


@dataclass
class Report:
    """The result of :func:`evaluate`: the findings and what the pages need from them."""

    root: Organization
    period: P.Period
    today: dt.date
    rules: list[Rule]
    rows: list[OrgRow]
    violations: list[Violation] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    #: org id → committee-view row id (``Context.row_of``); the rows evaluated (None: all)
    row_of: object = field(default=None, repr=False, compare=False)
    only: set[int] | None = field(default=None, repr=False, compare=False)
    _health: tuple[int, dict[int, str]] | None = field(default=None, init=False, repr=False, compare=False)

    def counted(self) -> list[Violation]:
        """Errors and warnings (reminders are shown but do not count)."""
        return [v for v in self.violations if v.severity != REMINDER]

    def by_rule(self) -> dict[str, int]:
        result = defaultdict(int)
        for v in self.counted():
            result[v.rule.id] += 1
        return dict(result)

    def by_row(self) -> dict[int, int]:
        result = defaultdict(int)
        for v in self.counted():
            result[v.row_id] += 1
        return dict(result)

    def matrix(self) -> dict[tuple[int, str], int]:
        result = defaultdict(int)
        for v in self.counted():
            result[(v.row_id, v.rule.id)] += 1
        return dict(result)

    def health(self, row_id: int) -> str:
        """"red" with any error, "amber" with warnings only, else "green" (reminders do not
        count). Looked up in :meth:`health_by_row`, so a page asking for every row costs one
        pass over the findings, not one per row."""
        return self.health_by_row().get(row_id, "green")

    def health_by_row(self) -> dict[int, str]:
        """{row id: "red" | "amber"} of the rows with an error or a warning (absent: green),
        in one pass over :attr:`violations`; computed again only when findings were added."""
        cached = self._health
        if cached is not None and cached[0] == len(self.violations):
            return cached[1]
        result: dict[int, str] = {}
        for v in self.violations:
            if v.severity == ERROR:
                result[v.row_id] = "red"
            elif v.severity == WARNING and v.row_id not in result:
                result[v.row_id] = "amber"
        self._health = (len(self.violations), result)
        return result

    def for_row(self, row_id: int, rule_id: str | None = None) -> list[Violation]:
        return [v for v in self.violations if v.row_id == row_id and (rule_id is None or v.rule.id == rule_id)]

    def for_rule(self, rule_id: str) -> list[Violation]:
        return [v for v in self.violations if v.rule.id == rule_id]

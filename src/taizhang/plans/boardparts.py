"""What a board page is assembled from, kept between requests and refreshed per changed
organization (issue 14 §4: the first request after a change costs little more than a cached
one).

:func:`board_parts` reads a board page's :class:`Parts` with the queries of
``plans.boardsql`` (its module docstring); :func:`assemble` builds the page's ``Board`` from
them in Python; :func:`refresh` brings kept parts up to date after some organizations'
assignments or periods changed, asking the database again only for those organizations:

- every row shown (at most the row limit, no roll-up): the cells of the changed rows (one
  query), totals summed again in Python;
- paged, every row a child organization (a city committee over its branches): the counts per
  (task, status) are kept per *group* of siblings whose paths differ only in their last
  character (up to 36 organizations), so a change recounts its group only (one query) and
  the page's changed rows (one query);
- rolled up per child organization: the counts are kept per child, so a change recounts its
  child's subtree only (one query) and the page's changed own rows (one query).

Rows and cells are kept as tuples (unpickling thousands of dataclass objects from the cache
cost more than the change itself). The status filter and a change that adds or removes a
group are not refreshed: :func:`refresh` answers ``None`` and the caller computes afresh.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from django.core.paginator import Paginator
from django.urls import reverse
from django.utils import timezone

from taizhang.core.scoping import scope_paths
from taizhang.orgs.models import Organization

from .board import DONE, STATUS_LABELS, Board, Cell, Row, board_columns
from .boardsql import STATES, _as_date, _fetch, _Sql
from .models import Campaign, PlanItem, Responsible
from .rollup import URGENCY, RolledCell, rows_limit

EMPTY, ALL, FLAT, ROLLED = "empty", "all", "flat", "rolled"


@dataclass
class Parts:
    """A board page's makings. ``mode``: ``EMPTY``; ``ALL`` (every row shown with its cells);
    ``FLAT`` (paged, every row one child organization); ``ROLLED`` (a row per child).
    ``rows``: path → (org id, name, path, [cell tuple (assignment id, status, deadline as
    ``date.toordinal()``, done, total) or None per column]) for the page's rows shown with cells; ``groups``: group path →
    {"cells": {column: {status: number}}, "single": the group is one organization} (``FLAT``:
    sibling groups, ``ROLLED``: the children); ``shown``: the page's row paths in order;
    ``own``: the rows shown with cells (``ROLLED``); ``names``: rolled-up child path → (id,
    name); ``paged``: (number of rows, page number) or None."""

    items: list
    mode: str
    sql: _Sql | None = None
    status: str | None = None
    rows: dict[str, tuple] = field(default_factory=dict)
    groups: dict[str, dict] = field(default_factory=dict)
    shown: list[str] = field(default_factory=list)
    own: set[str] = field(default_factory=set)
    names: dict[str, tuple[int, str]] = field(default_factory=dict)
    width: int = 0
    group_width: int = 0
    paged: tuple[int, int] | None = None
    rolled_up: bool = False
    item_ids: list[int] = field(default_factory=list)

    def __post_init__(self):
        self.item_ids = [item.pk for item in self.items]

    def __getstate__(self):  # the columns (model instances) are read again when needed, not kept
        return {**self.__dict__, "items": None}

    def columns(self) -> list:
        """The columns (plan items) in order, read again (one query) after unpickling."""
        if self.items is None:
            found = PlanItem.objects.defer("text").in_bulk(self.item_ids)
            self.items = [found[pk] for pk in self.item_ids]
        return self.items


def _index(item_ids) -> dict[int, int]:
    return {pk: n for n, pk in enumerate(item_ids)}


def _compact_rows(tuples, index: dict[int, int], width: int) -> dict[str, tuple]:
    """path → row tuple (class docstring) from :meth:`_Sql.assignment_rows` tuples, in order."""
    rows: dict[str, tuple] = {}
    seen: dict = {}
    for pk, item_id, org_id, name, path, state, due, done, total in tuples:
        row = rows.get(path)
        if row is None:
            row = rows[path] = (org_id, name, path, [None] * width)
        if state is not None:  # the deadline as a day number: a date object pickles 10x slower
            due = _as_date(due, seen)
            row[3][index[item_id]] = (pk, state, due.toordinal() if due else None, done, total)
    return rows


def _groups(tuples, index: dict[int, int]) -> dict[str, dict]:
    """group path → counts (class docstring) from :meth:`_Sql.grouped` tuples."""
    groups: dict[str, dict] = {}
    for child, item_id, state, number, low, high in tuples:
        entry = groups.get(child)
        if entry is None:
            entry = groups[child] = {"cells": {}, "single": True}
        entry["single"] = entry["single"] and low == high == child
        if state is None:  # no cell (a recurring task without a period in the month)
            continue
        n = index[item_id]
        cell = entry["cells"].get(n)
        if cell is None:
            cell = entry["cells"][n] = dict.fromkeys(STATES, 0)
        cell[state] += number
    return groups


def board_parts(campaign: Campaign, user, *, page=1, rollup: bool = False,
                responsible: str = Responsible.BRANCH, today: dt.date | None = None,
                section: int | None = None, month: dt.date | None = None, status: str | None = None,
                under=None, columns=None) -> Parts:
    """The parts of ``campaign``'s board page for ``user`` (arguments as
    ``boardsql.shown_board``). Queries: 2 to 5 besides the columns (``plans.boardsql``),
    whatever the number of organizations and tasks."""
    today = today or timezone.localdate()
    items = columns if columns is not None else board_columns(campaign, responsible, section, month)
    paths = scope_paths(user)
    if not items or paths == []:
        return Parts(items, EMPTY)
    sql = _Sql(items, paths=paths, under=under, month=month, today=today)
    count, first, last, shortest, longest = _fetch(sql.rows_meta(status))[0]
    if not count:
        return Parts(items, EMPTY)
    index = _index([item.pk for item in items])
    limit = rows_limit()
    if count <= limit and not rollup:
        rows = _compact_rows(_fetch(sql.assignment_rows(status)), index, len(items))
        return Parts(items, ALL, sql, status, rows=rows, shown=list(rows))

    step = Organization.steplen
    common = 0
    while common < min(len(first), len(last)) and first[common] == last[common]:
        common += 1
    root = first[: common - common % step]
    width = len(root) + step
    if shortest == longest == width:  # every row is a child itself (a city's branches): no roll-up
        groups = _groups(_fetch(sql.grouped(status, width - 1)), index)
        paged = None
        offset = 0
        if count > limit:
            number = Paginator(range(count), limit).get_page(page).number
            paged, offset = (count, number), (number - 1) * limit
        shown = [path for (path,) in _fetch(sql.page_paths(status, limit, offset))]
        rows = _compact_rows(_fetch(sql.assignment_rows(None, shown)), index, len(items))
        return Parts(items, FLAT, sql, status, rows=rows, groups=groups, shown=shown, width=width,
                     group_width=width - 1, paged=paged)
    groups = _groups(_fetch(sql.grouped(status, width)), index)
    # the root's own row(s) first, then the children in path order (as rollup.roll_up)
    order = sorted(groups, key=lambda path: (len(path) >= width, path))
    own = {path for path in order if len(path) < width or groups[path]["single"]}
    shown, paged = order, None
    if len(order) > limit:
        paginator_page = Paginator(order, limit).get_page(page)
        shown, paged = list(paginator_page.object_list), (len(order), paginator_page.number)
    rows = _compact_rows(_fetch(sql.assignment_rows(None, [p for p in shown if p in own])), index,
                         len(items))
    rolled_paths = [p for p in shown if p not in own]
    names = {path: (pk, name) for path, pk, name in Organization.objects.filter(
        path__in=rolled_paths or [""]).values_list("path", "pk", "name")}
    return Parts(items, ROLLED, sql, status, rows=rows, groups=groups, shown=shown,
                 own={p for p in shown if p in own}, names=names, width=width, group_width=width,
                 paged=paged, rolled_up=len(own) < len(order))


def refresh(parts: Parts, changed) -> set[str] | None:
    """Bring ``parts`` up to date after the assignments or periods of the organizations at
    paths ``changed`` changed (nothing else: no organization, task or campaign). Returns the
    paths of the page's rows that changed, or None when these parts cannot be refreshed (a
    status filter; a group gone) and must be computed afresh. Queries: at most 2, whatever
    the number of organizations and changes."""
    if parts.mode == EMPTY:
        return set()
    if parts.status:  # the kept rows, their number and their root move with the statuses
        return None
    index = _index(parts.item_ids)
    width = len(parts.item_ids)
    touched: set[str] = set()
    if parts.mode != ALL:
        size = parts.group_width
        keys = sorted({path[:size] for path in changed if path[:size] in parts.groups})
        if keys:
            exact = [k for k in keys if len(k) < size]  # the root's own row: not its subtree
            prefixes = [k for k in keys if len(k) >= size]
            fresh = _groups(_fetch(parts.sql.grouped(None, size, within=(exact, prefixes))), index)
            if set(fresh) != set(keys):
                return None
            parts.groups.update(fresh)
            if parts.mode == ROLLED:
                touched.update(k for k in keys if k in parts.names)
    rows = [path for path in changed if path in parts.rows]
    if rows:
        fresh_rows = _compact_rows(_fetch(parts.sql.assignment_rows(None, rows)), index, width)
        if set(fresh_rows) != set(rows):
            return None
        parts.rows.update(fresh_rows)
        touched.update(rows)
    return touched


def _labels() -> dict[str, str]:
    return {key: str(label) for key, label in STATUS_LABELS.items()}


def _url_pattern() -> str:
    return reverse("plans:assignment_detail", args=[0]).replace("/0/", "/{}/")


def _cell_row(row: tuple, url_pattern: str, labels: dict) -> Row:
    org_id, name, path, cells = row
    counts = dict.fromkeys(STATES, 0)
    built: list = []
    for cell in cells:
        if cell is None:
            built.append(None)
            continue
        pk, state, due, done, total = cell
        built.append(Cell(pk, state, dt.date.fromordinal(due) if due else None, done, total,
                          url_pattern.format(pk), labels[state]))
        counts[state] += 1
    return Row(org_id, name, built, counts, path=path)


def _rolled_row(parts: Parts, path: str, drill_url, labels: dict) -> Row:
    pk, name = parts.names[path]
    url = drill_url(pk)
    cells: list = [None] * len(parts.item_ids)
    counts = dict.fromkeys(STATES, 0)
    for n, by_state in parts.groups[path]["cells"].items():
        present = sum(by_state.values())
        for state, value in by_state.items():
            counts[state] += value
        done = by_state[DONE]
        state = DONE if done == present else next(s for s in URGENCY if by_state[s])
        cells[n] = RolledCell(state, done, present, url, labels[state])
    return Row(pk, name, cells, counts, path=path, drill_url=url)


def page_rows(parts: Parts, drill_url, paths=None) -> list[Row]:
    """The page's rows (``Row`` objects) in order; with ``paths`` only those."""
    url_pattern, labels = _url_pattern(), _labels()
    rows = []
    for path in parts.shown:
        if paths is not None and path not in paths:
            continue
        if path in parts.rows:
            rows.append(_cell_row(parts.rows[path], url_pattern, labels))
        elif path in parts.names:
            rows.append(_rolled_row(parts, path, drill_url, labels))
    return rows


def counts(parts: Parts) -> tuple[list[dict], dict]:
    """(per column {status: cells}, totals {status: cells}) of the whole board (every page)."""
    columns = [dict.fromkeys(STATES, 0) for _ in parts.item_ids]
    totals = dict.fromkeys(STATES, 0)
    if parts.mode == ALL:
        for _org, _name, _path, cells in parts.rows.values():
            for n, cell in enumerate(cells):
                if cell is not None:
                    columns[n][cell[1]] += 1
                    totals[cell[1]] += 1
        return columns, totals
    for entry in parts.groups.values():
        for n, by_state in entry["cells"].items():
            column = columns[n]
            for state, value in by_state.items():
                column[state] += value
                totals[state] += value
    return columns, totals


def page_of(parts: Parts):
    """The paginator page of ``parts`` (None when one page holds every row)."""
    if parts.paged is None:
        return None
    number_of_rows, number = parts.paged
    return Paginator(range(number_of_rows), rows_limit()).get_page(number)


def assemble(parts: Parts, drill_url, rows: list[Row] | None = None):
    """(board, page or None, whether a row stands for several organizations) of ``parts``,
    as ``boardsql.shown_board`` returns them; ``rows``: the page's rows when already built."""
    columns, totals = counts(parts)
    rows = page_rows(parts, drill_url) if rows is None else rows
    return Board(parts.columns(), rows, columns, totals), page_of(parts), parts.rolled_up

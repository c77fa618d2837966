"""The progress board as shown (issue 14 §4): statuses, totals and rolled-up cells computed
in SQL, Python cell objects built only for the rows of the page.

``build_board`` (``plans.board``) builds every cell of every organization in Python; that is
right for the Excel export (every row) but a board page of a city or a province shows at most
:func:`plans.rollup.rows_limit` rows. :func:`shown_board` asks the database instead (the queries are :class:`_Sql`'s; reading
and assembling them is ``plans.boardparts``, which also refreshes a kept board after a change):

1. one cheap query: how many organizations have rows and the first and last of their paths
   (the deepest organization holding them all, ``rollup.common_root``);
2. at most the limit (and no ``rollup``): the cells of every row, one query (the occurrence
   aggregate per assignment, as ``build_board``), totals summed in Python over ≤ limit rows;
3. above it: one aggregate grouped by (child organization, task, display status) — the
   column counts, totals, rolled-up cells and row counts all come from it — then, for the
   page's rows only, the cells of the children that are one organization themselves and the
   names of the rolled-up children (two more queries). When every row is a child itself (a
   city committee over its branches: nothing to roll up, only pages), the aggregate is per
   group of up to 36 siblings (their paths but the last character), task and status (so that
   a change recounts one group), the page's organizations are read in path order from
   assignments and organizations, then their cells (three queries).

A cell's display status is the CASE expression of :func:`_state_sql`, the same rule as
``board.display_status`` (done / submitted / returned as stored, else overdue before today,
due soon up to ``board.DUE_SOON_WORKDAYS`` working days ahead, else not started). Queries:
2 or 4 besides the columns, whatever the number of organizations and tasks.
"""

from __future__ import annotations

import datetime as dt

from django.db import connection

from taizhang.core.workdays import is_workday
from taizhang.orgs.models import Organization

from .board import (
    DONE, DUE_SOON, DUE_SOON_WORKDAYS, NOT_STARTED, OVERDUE, RETURNED, STATUS_LABELS, SUBMITTED,
)
from .models import Assignment, Campaign, Occurrence, Responsible

STATES = tuple(STATUS_LABELS)  # the display statuses, in the legend's order


def due_soon_until(today: dt.date) -> dt.date:
    """The last deadline still "due soon" on ``today``: the day before the
    (``DUE_SOON_WORKDAYS`` + 1)-th working day after ``today`` (``workdays_until(today, d) <=
    DUE_SOON_WORKDAYS`` exactly for ``today <= d <=`` this day; Chinese working-day calendar)."""
    day, count = today, 0
    while True:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
            if count > DUE_SOON_WORKDAYS:
                return day - dt.timedelta(days=1)


def _in(values) -> str:
    return ", ".join(["%s"] * len(values))


class _Sql:
    """The ``cells`` common table of one board: one row per assignment in scope with its
    display ``state`` (NULL: no cell, a recurring task without a period in the month), its
    deadline and, when recurring, periods done/total. ``orgs`` (paths) narrows it to the
    rows of a page."""

    def __init__(self, items, *, paths, under, month, today):
        self.items = [item.pk for item in items]
        self.recurring = [item.pk for item in items if item.recurrence]
        self.paths, self.under, self.month, self.today = paths, under, month, today

    def _scope(self, orgs, within=None) -> tuple[str, list]:
        sql, params = [f"a.item_id IN ({_in(self.items)})"], list(self.items)
        if self.paths is not None:
            sql.append("(" + " OR ".join(["o.path LIKE %s"] * len(self.paths)) + ")")
            params += [p + "%" for p in self.paths]
        if self.under is not None:
            sql.append("o.path LIKE %s")
            params.append(self.under.path + "%")
        if orgs is not None:
            sql.append(f"o.path IN ({_in(orgs)})" if orgs else "1 = 0")
            params += list(orgs)
        if within is not None:  # (exact paths, path prefixes): the groups being computed again
            # a subtree as a range of paths too (paths are digits and capitals: every path
            # under p lies between p and p + "ZZ…"), which the path index answers on SQLite and
            # on PostgreSQL whatever the collation; LIKE alone is not looked up by index
            exact, prefixes = within
            top = "Z" * Organization._meta.get_field("path").max_length
            terms = ([f"o.path IN ({_in(exact)})"] if exact else []) + [
                "(o.path >= %s AND o.path <= %s AND o.path LIKE %s)"] * len(prefixes)
            sql.append("(" + " OR ".join(terms or ["1 = 0"]) + ")")
            params += list(exact) + [bound for p in prefixes for bound in (p, (p + top)[:len(top)], p + "%")]
        return " AND ".join(sql), params

    def rows_meta(self, status: str | None) -> tuple[str, list]:
        """(number of rows, first path, last path) of the board; with ``status`` only the
        organizations holding a cell of that status count (as the board keeps them)."""
        if status:
            sql, params = self.cells()
            return (sql + " SELECT COUNT(DISTINCT org_id), MIN(path), MAX(path), MIN(LENGTH(path)), "
                    "MAX(LENGTH(path)) FROM cells WHERE state = %s", params + [status])
        where, params = self._scope(None)
        return (f"SELECT COUNT(DISTINCT a.org_id), MIN(o.path), MAX(o.path), MIN(LENGTH(o.path)), "
                f"MAX(LENGTH(o.path)) FROM {_A} a JOIN {_O} o ON o.id = a.org_id WHERE {where}", params)

    def page_paths(self, status: str | None, limit: int, offset: int) -> tuple[str, list]:
        """The paths of the kept rows ``offset`` … ``offset + limit`` in path order (without
        a status filter from assignments and organizations only: no periods read)."""
        if status:
            sql, params = self.cells()
            kept, kept_params = self.kept(status)
            return (sql + f"SELECT DISTINCT path FROM cells{kept} ORDER BY path LIMIT %s OFFSET %s",
                    params + kept_params + [limit, offset])
        where, params = self._scope(None)
        return (f"SELECT DISTINCT o.path FROM {_A} a JOIN {_O} o ON o.id = a.org_id WHERE {where} "
                "ORDER BY o.path LIMIT %s OFFSET %s", params + [limit, offset])

    def column_counts(self, status: str | None) -> tuple[str, list]:
        """Per (task, display status): the number of cells of the kept rows."""
        sql, params = self.cells()
        kept, kept_params = self.kept(status)
        return (sql + f"SELECT item_id, state, COUNT(*) FROM cells{kept} GROUP BY item_id, state",
                params + kept_params)

    def cells(self, orgs=None, within=None) -> tuple[str, list]:
        """``WITH occ AS (…), cells AS (…)``: the per-assignment statuses (see the class);
        ``within`` (exact paths, path prefixes) narrows it to those organizations/subtrees."""
        where, params = self._scope(orgs, within)
        window, window_params = "", []
        if self.month:
            month_end = (self.month + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
            window = " AND oc.period_start <= %s AND oc.period_end >= %s"
            window_params = [_date(month_end), _date(self.month)]
        no_cell = "NULL"
        no_cell_params: list = []
        if self.month and self.recurring:
            no_cell = f"CASE WHEN a.item_id IN ({_in(self.recurring)}) THEN 1 ELSE NULL END"
            no_cell_params = list(self.recurring)
        sql = f"""WITH occ AS (
  SELECT oc.assignment_id, COUNT(*) AS total,
         SUM(CASE WHEN oc.status = 'done' THEN 1 ELSE 0 END) AS done,
         SUM(CASE WHEN oc.status = 'submitted' THEN 1 ELSE 0 END) AS submitted,
         SUM(CASE WHEN oc.status = 'returned' THEN 1 ELSE 0 END) AS returned,
         MIN(CASE WHEN oc.status <> 'done' THEN oc.due END) AS next_due
  FROM {_OC} oc JOIN {_A} a ON a.id = oc.assignment_id JOIN {_O} o ON o.id = a.org_id
  WHERE {where}{window}
  GROUP BY oc.assignment_id
), stored AS (
  SELECT a.id, a.item_id, a.org_id, o.path, o.name,
         CASE WHEN occ.total IS NULL THEN {no_cell} END AS no_cell,
         CASE WHEN occ.total IS NULL THEN a.status WHEN occ.done = occ.total THEN 'done'
              WHEN occ.returned > 0 THEN 'returned' WHEN occ.submitted > 0 THEN 'submitted'
              ELSE 'pending' END AS status,
         CASE WHEN occ.total IS NULL THEN a.due ELSE occ.next_due END AS due,
         COALESCE(occ.done, 0) AS done, COALESCE(occ.total, 0) AS total
  FROM {_A} a JOIN {_O} o ON o.id = a.org_id LEFT JOIN occ ON occ.assignment_id = a.id
  WHERE {where}
), cells AS (
  SELECT id, item_id, org_id, path, name, due, done, total,
         CASE WHEN no_cell IS NOT NULL THEN NULL
              WHEN status = 'done' THEN '{DONE}' WHEN status = 'submitted' THEN '{SUBMITTED}'
              WHEN status = 'returned' THEN '{RETURNED}' WHEN due IS NULL THEN '{NOT_STARTED}'
              WHEN due < %s THEN '{OVERDUE}' WHEN due <= %s THEN '{DUE_SOON}'
              ELSE '{NOT_STARTED}' END AS state
  FROM stored
)
"""
        params = (params + window_params) + (no_cell_params + params) + [
            _date(self.today), _date(due_soon_until(self.today))]
        return sql, params

    @staticmethod
    def kept(status: str | None) -> tuple[str, list]:
        """The WHERE of the rows kept by the status filter (every row without one)."""
        if not status:
            return "", []
        return " WHERE org_id IN (SELECT org_id FROM cells WHERE state = %s)", [status]

    def assignment_rows(self, status, orgs=None) -> tuple[str, list]:
        """Every cell (one row per assignment) of the kept rows, ordered by path."""
        sql, params = self.cells(orgs)
        kept, kept_params = self.kept(status)
        return (sql + "SELECT id, item_id, org_id, name, path, state, due, done, total FROM cells"
                + kept + " ORDER BY path, item_id", params + kept_params)

    def grouped(self, status, width: int, within=None) -> tuple[str, list]:
        """Per (child organization's path, task, display status): the number of cells and
        the first and last organization path; ``within`` as :meth:`cells`. (Grouping by the
        status evaluates it once per assignment; a conditional sum per status evaluated it
        six times: 1.5× slower.)"""
        sql, params = self.cells(within=within)
        kept, kept_params = self.kept(status)
        child = f"SUBSTR(path, 1, {int(width)})"
        return (sql + f"SELECT {child} AS child, item_id, state, COUNT(*), MIN(path), MAX(path) "
                f"FROM cells{kept} GROUP BY {child}, item_id, state", params + kept_params)


_A = Assignment._meta.db_table
_O = Organization._meta.db_table
_OC = Occurrence._meta.db_table


def _date(value: dt.date):
    return connection.ops.adapt_datefield_value(value)


def _fetch(query: tuple[str, list]) -> list[tuple]:
    sql, params = query
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


def _as_date(value, seen: dict):
    """A deadline as read (a date, or ISO text on SQLite) → a date."""
    if value is None or isinstance(value, dt.date):
        return value
    found = seen.get(value)
    if found is None:
        found = seen[value] = dt.date.fromisoformat(value)
    return found


def shown_board(campaign: Campaign, user, drill_url, *, page=1, rollup: bool = False,
                responsible: str = Responsible.BRANCH, today: dt.date | None = None,
                section: int | None = None, month: dt.date | None = None, status: str | None = None,
                under=None, columns=None):
    """The board page of ``campaign`` for ``user``: same arguments, rows, cells, totals and
    roll-up as ``plans.rollup.limit_rows(build_board(…), drill_url, page, rollup)`` — which
    stays the reference (and the export) — computed in SQL. ``drill_url(org_id) -> str``
    links a rolled-up child's board. Returns (board, page or None, whether a row stands for
    several organizations). ``columns``: ``board_columns(…)`` of these arguments when already
    read. Queries: 2 or 4 (module docstring) besides the columns, whatever the size."""
    from .boardparts import assemble, board_parts

    parts = board_parts(campaign, user, page=page, rollup=rollup, responsible=responsible, today=today,
                        section=section, month=month, status=status, under=under, columns=columns)
    return assemble(parts, drill_url)

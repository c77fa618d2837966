"""Reading the facts of an evaluation as plain tuples (issue 14): a queryset built with the
ORM (filters, joins, the subtree) is compiled once and its rows fetched straight from the
database cursor, without Django's per-row converters and dictionaries — tens of thousands
of meetings and talks for a city's year.

Dates come back as text on SQLite (:class:`Plain`, no per-row date parser: a year holds
a few hundred distinct days) and as dates on PostgreSQL; :func:`day` reads either, once
per distinct value. Records are counted per month by the database (:class:`MonthKey`,
:func:`month_counts`). :func:`without_cyclic_gc` pauses the cyclic collector while an
evaluation builds its rows and findings.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from functools import lru_cache

from django.core.exceptions import EmptyResultSet
from django.db import connections
from django.db.models import CharField, Count, Func, Min


def fetch(queryset) -> list[tuple]:
    """The rows of ``queryset`` (a ``values_list``) as the database driver returns them: the
    columns in the SELECT's order (model fields as listed, then annotations), no converters
    (SQLite gives text for :class:`Plain`, PostgreSQL dates). One query."""
    compiler = queryset.query.get_compiler(queryset.db)
    try:
        sql, params = compiler.as_sql()
    except EmptyResultSet:  # e.g. an empty IN list: no rows, as the ORM would say
        return []
    with connections[queryset.db].cursor() as cursor:
        cursor.execute(sql, params)
        return cursor.fetchall()


class Plain(Func):
    """A date or time column read without the driver's conversion on SQLite (``CAST … AS
    TEXT``: "YYYY-MM-DD", "15:00:00"); the column itself elsewhere. Read the value with
    :func:`day` or :func:`time_of`."""

    template = "%(expressions)s"
    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="CAST(%(expressions)s AS TEXT)", **extra)


_DAYS: dict = {}
_TIMES: dict = {}


def day(value) -> dt.date | None:
    """The date of a :class:`Plain` value ("2023-10-05", a date or None), parsed once per
    distinct text."""
    if value is None or type(value) is dt.date:
        return value
    found = _DAYS.get(value)
    if found is None:
        found = value.date() if isinstance(value, dt.datetime) else dt.date.fromisoformat(value[:10])
        if len(_DAYS) < 100_000:
            _DAYS[value] = found
    return found


def time_of(value) -> dt.time | None:
    """The time of a time column read as text on SQLite ("15:00:00"), a time or None; parsed
    once per distinct text (an unreadable text is None, as Django's parser would give)."""
    if value is None or isinstance(value, dt.time):
        return value
    if value in _TIMES:
        return _TIMES[value]
    from django.utils.dateparse import parse_time

    try:
        found = parse_time(value)
    except ValueError:
        found = None
    if len(_TIMES) < 10_000:
        _TIMES[value] = found
    return found


class MonthKey(Func):
    """"YYYY-MM" of a date column, computed by the database itself. ``TruncMonth`` on SQLite
    calls back into Python once per row (7,000 calls for a year of a tenth of the city,
    a third of the whole evaluation; issue 14)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # ``%%%%``: once for this template, once for the parameters' interpolation
        return self.as_sql(compiler, connection, template="strftime('%%%%Y-%%%%m', %(expressions)s)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


def month_start(value) -> dt.date:
    """The first day of the month of a :class:`MonthKey` value ("2023-10") or a date."""
    if isinstance(value, str):
        return _month_key(value)
    return value.date() if isinstance(value, dt.datetime) else value


@lru_cache(maxsize=4096)
def _month_key(value: str) -> dt.date:
    return dt.date(int(value[:4]), int(value[5:7]), 1)


def month_counts(records) -> dict[tuple[int, str, dt.date], tuple[int, int]]:
    """{(org id, kind, first of month): (count, smallest id)} of the ``records`` queryset:
    one GROUP BY, rows read as tuples."""
    rows = fetch(records.annotate(month=MonthKey("date")).values("org_id", "kind", "month")
                 .annotate(n=Count("id"), first=Min("id")).order_by())
    return {(org_id, kind, month_start(month)): (n, first) for org_id, kind, month, n, first in rows}


@contextmanager
def without_cyclic_gc():
    """Run the block with Python's cyclic garbage collector paused (then as it was). A city's
    year builds some 150,000 lasting rows, findings and cells — none in a reference cycle —
    and the collector, triggered by every 700 of them, walked them again and again: a fifth of
    the evaluation (issue 14). Memory is still freed by reference counting meanwhile; the
    collector takes one pass over the survivors when it runs next."""
    collecting = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if collecting:
            gc.enable()

"""Calendar periods of the rules: months, quarters (1 Jan/Apr/Jul/Oct) and years.

Every date is a calendar date in Asia/Shanghai (DESIGN.md "Dates"): "today" is
``timezone.localdate()`` under ``TIME_ZONE = "Asia/Shanghai"``, and record dates are stored
as local dates, so 2024-03-31 23:30 in Beijing is still Q1 although it is 15:30 UTC.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from zoneinfo import ZoneInfo

from django.utils import timezone

SHANGHAI = ZoneInfo("Asia/Shanghai")
MONTH, QUARTER, YEAR = "month", "quarter", "year"
ORDER = {MONTH: 1, QUARTER: 2, YEAR: 3}


@dataclass(frozen=True, order=True)
class Period:
    """A calendar period: ``kind`` (month/quarter/year), first and last day (inclusive)."""

    start: dt.date
    end: dt.date
    kind: str

    @property
    def key(self) -> str:
        """"2023", "2023-Q4" or "2023-11" (the ``?period=`` value of the pages)."""
        if self.kind == YEAR:
            return f"{self.start.year}"
        if self.kind == QUARTER:
            return f"{self.start.year}-Q{(self.start.month - 1) // 3 + 1}"
        return f"{self.start.year}-{self.start.month:02d}"

    @property
    def label(self) -> str:
        """Chinese label: 2023年, 2023年第四季度, 2023年11月."""
        if self.kind == YEAR:
            return f"{self.start.year}年"
        if self.kind == QUARTER:
            return f"{self.start.year}年第{'一二三四'[(self.start.month - 1) // 3]}季度"
        return f"{self.start.year}年{self.start.month}月"

    def contains(self, day: dt.date) -> bool:
        return self.start <= day <= self.end

    def split(self, kind: str) -> list[Period]:
        """The periods of ``kind`` inside this one (kind no longer than this period's);
        ``[self]`` for the same kind. Raises ValueError for a longer kind."""
        if ORDER[kind] > ORDER[self.kind]:
            raise ValueError(f"a {self.kind} has no {kind}s inside")
        result, day = [], self.start
        while day <= self.end:
            period = period_of(day, kind)
            result.append(period)
            day = period.end + dt.timedelta(days=1)
        return result

    def previous(self) -> Period:
        return period_of(self.start - dt.timedelta(days=1), self.kind)

    def next(self) -> Period:
        return period_of(self.end + dt.timedelta(days=1), self.kind)


def _month_end(year: int, month: int) -> dt.date:
    return (dt.date(year + month // 12, month % 12 + 1, 1)) - dt.timedelta(days=1)


def local_date(day: dt.date | dt.datetime) -> dt.date:
    """The Asia/Shanghai calendar date of ``day`` (a date is returned as is; an aware
    datetime is converted; a naive one is taken as Shanghai local time)."""
    if isinstance(day, dt.datetime):
        return (day.astimezone(SHANGHAI) if timezone.is_aware(day) else day).date()
    return day


def period_of(day: dt.date | dt.datetime, kind: str) -> Period:
    """The period of ``kind`` containing ``day``; an aware datetime is first converted to
    its Asia/Shanghai calendar date (a naive one is taken as Shanghai local time)."""
    day = local_date(day)
    if kind == YEAR:
        return Period(dt.date(day.year, 1, 1), dt.date(day.year, 12, 31), YEAR)
    if kind == QUARTER:
        first = (day.month - 1) // 3 * 3 + 1
        return Period(dt.date(day.year, first, 1), _month_end(day.year, first + 2), QUARTER)
    if kind == MONTH:
        return Period(dt.date(day.year, day.month, 1), _month_end(day.year, day.month), MONTH)
    raise ValueError(f"unknown period kind {kind!r}")


def today() -> dt.date:
    """Today's calendar date in Asia/Shanghai."""
    return timezone.now().astimezone(SHANGHAI).date()


_KEY = re.compile(r"^(\d{4})(?:-(?:Q([1-4])|(\d{1,2})))?$", re.IGNORECASE)


def parse(key: str | None, default: Period | None = None) -> Period:
    """Read "2023", "2023-Q4" or "2023-11" into a Period; ``default`` (else the current
    year) for an empty value. Raises ValueError for anything else."""
    if not key:
        return default or period_of(today(), YEAR)
    match = _KEY.match(key.strip())
    if not match or not 1900 < int(match.group(1)) < 2200:
        raise ValueError(f"not a period: {key!r}")
    year = int(match.group(1))
    if match.group(2):
        return period_of(dt.date(year, (int(match.group(2)) - 1) * 3 + 1, 1), QUARTER)
    if match.group(3):
        month = int(match.group(3))
        if not 1 <= month <= 12:
            raise ValueError(f"not a month: {key!r}")
        return period_of(dt.date(year, month, 1), MONTH)
    return period_of(dt.date(year, 1, 1), YEAR)

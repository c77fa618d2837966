"""Periods of a recurring task inside a campaign, from an RFC 5545 RRULE (dateutil.rrule).

Periods follow the calendar, as offices count them: months start on the 1st, quarters on
1 Jan/Apr/Jul/Oct, half-years on 1 Jan/Jul, weeks on Monday, years on 1 Jan. The first and
last periods are clipped to the campaign period. A period is due on its last day.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass

from dateutil.relativedelta import relativedelta
from dateutil.rrule import rrulestr


@dataclass(frozen=True)
class Period:
    """One period: first and last calendar day (inclusive) and the due date."""

    start: dt.date
    end: dt.date
    due: dt.date


def _parse(rule: str) -> dict[str, str]:
    parts = {}
    for chunk in rule.upper().removeprefix("RRULE:").split(";"):
        if "=" in chunk:
            key, value = chunk.split("=", 1)
            parts[key.strip()] = value.strip()
    return parts


def _aligned_start(freq: str, interval: int, start: dt.date) -> dt.date:
    """The calendar-aligned start of the period that contains ``start``."""
    if freq == "WEEKLY":
        return start - dt.timedelta(days=start.weekday())
    if freq == "YEARLY":
        return start.replace(month=1, day=1)
    if freq == "MONTHLY":
        month0 = (start.month - 1) // interval * interval if interval in (2, 3, 4, 6) else start.month - 1
        return dt.date(start.year, month0 + 1, 1)
    if freq == "DAILY":
        return start
    raise ValueError(f"unsupported recurrence frequency {freq!r}")


def periods_for(rule: str, start: dt.date | None, end: dt.date | None) -> list[Period]:
    """Split the campaign period ``start``..``end`` (inclusive) into periods of ``rule``.

    ``rule`` is an RRULE such as ``FREQ=MONTHLY`` or ``FREQ=MONTHLY;INTERVAL=3``. Returns []
    when the rule is empty or the campaign has no period. Raises ValueError for a rule that
    dateutil cannot read or an unsupported frequency.
    Example: FREQ=MONTHLY over 2023-09-01..2024-01-31 gives 5 periods, Sep … Jan (seed 三.2（3）).
    """
    if not rule or not start or not end or end < start:
        return []
    parts = _parse(rule)
    freq = parts.get("FREQ", "")
    interval = int(parts.get("INTERVAL", "1") or 1)
    first = _aligned_start(freq, interval, start)
    step = {
        "WEEKLY": relativedelta(weeks=interval),
        "MONTHLY": relativedelta(months=interval),
        "YEARLY": relativedelta(years=interval),
        "DAILY": relativedelta(days=interval),
    }[freq]
    # Validate the rule text itself; the periods are then the calendar-aligned steps.
    rrulestr(rule if rule.upper().startswith("RRULE:") else f"RRULE:{rule}",
             dtstart=dt.datetime.combine(first, dt.time()))
    periods = []
    current = first
    while current <= end:
        nxt = current + step
        p_end = min(nxt - dt.timedelta(days=1), end)
        periods.append(Period(max(current, start), p_end, p_end))
        current = nxt
    return periods

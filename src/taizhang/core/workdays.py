"""The Chinese working-day calendar: public holidays and make-up working days.

Pure Python (the importer uses it too). Data from the maintained package ``chinesecalendar``
(import name ``chinese_calendar``), which covers the years the State Council has announced;
for a year it does not know yet, Monday–Friday are working days.
"""

from __future__ import annotations

import datetime as dt
from functools import lru_cache

import chinese_calendar


@lru_cache(maxsize=8192)
def is_workday(day: dt.date) -> bool:
    """True when ``day`` is a working day in mainland China (holidays and 调休 included).
    Cached: an import of 10,000 deadlines asks about a few hundred distinct days."""
    try:
        return chinese_calendar.is_workday(day)
    except NotImplementedError:  # year not yet published in the package
        return day.weekday() < 5


def last_workday_on_or_before(day: dt.date) -> dt.date:
    """``day`` itself if it is a working day, else the last working day before it."""
    while not is_workday(day):
        day -= dt.timedelta(days=1)
    return day


def workdays_until(today: dt.date, due: dt.date) -> int:
    """Working days from ``today`` (exclusive) to ``due`` (inclusive); 0 when due ≤ today.

    "Due in 3 working days" means ``workdays_until(today, due) <= 3``.
    """
    count = 0
    day = today
    while day < due:
        day += dt.timedelta(days=1)
        if is_workday(day):
            count += 1
            if count > 60:  # only small distances matter to callers
                break
    return count

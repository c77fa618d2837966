import datetime as dt

import pytest

from taizhang.plans.periods import periods_for

D = dt.date


def test_monthly_over_the_seed_campaign_gives_five_months():
    # Seed: 2023-09 .. 2024-01, 三.2（3） 每月 → Sep, Oct, Nov, Dec, Jan.
    periods = periods_for("FREQ=MONTHLY", D(2023, 9, 1), D(2024, 1, 31))
    assert [(p.start, p.end) for p in periods] == [
        (D(2023, 9, 1), D(2023, 9, 30)),
        (D(2023, 10, 1), D(2023, 10, 31)),
        (D(2023, 11, 1), D(2023, 11, 30)),
        (D(2023, 12, 1), D(2023, 12, 31)),
        (D(2024, 1, 1), D(2024, 1, 31)),
    ]
    assert all(p.due == p.end for p in periods)


def test_quarters_follow_the_calendar_and_are_clipped():
    periods = periods_for("FREQ=MONTHLY;INTERVAL=3", D(2024, 4, 1), D(2024, 7, 31))
    assert [(p.start, p.end) for p in periods] == [
        (D(2024, 4, 1), D(2024, 6, 30)),
        (D(2024, 7, 1), D(2024, 7, 31)),
    ]


def test_weekly_periods_start_on_monday():
    periods = periods_for("FREQ=WEEKLY", D(2023, 10, 4), D(2023, 10, 20))  # a Wednesday
    assert [(p.start, p.end) for p in periods] == [
        (D(2023, 10, 4), D(2023, 10, 8)),
        (D(2023, 10, 9), D(2023, 10, 15)),
        (D(2023, 10, 16), D(2023, 10, 20)),
    ]


def test_half_year_and_year():
    assert len(periods_for("FREQ=MONTHLY;INTERVAL=6", D(2024, 1, 1), D(2024, 12, 31))) == 2
    assert [p.end for p in periods_for("FREQ=YEARLY", D(2023, 9, 1), D(2024, 1, 31))] == [
        D(2023, 12, 31), D(2024, 1, 31)]


def test_no_rule_or_no_period_gives_nothing():
    assert periods_for("", D(2024, 1, 1), D(2024, 2, 1)) == []
    assert periods_for("FREQ=MONTHLY", None, D(2024, 2, 1)) == []


def test_unsupported_frequency_is_an_error():
    with pytest.raises(ValueError):
        periods_for("FREQ=HOURLY", D(2024, 1, 1), D(2024, 2, 1))

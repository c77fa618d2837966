"""dates: periods, deadlines, working days."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.plans.importer.dates import (
    Deadline, last_workday_before, parse_deadline, parse_period, unparsed_deadline_phrases, year_in,
)

SEED_PERIOD = (date(2023, 9, 1), date(2024, 1, 31))


@pytest.mark.parametrize(("text", "expected"), [
    ("本次主题教育从2023年9月开始，2024年1月基本结束，坚持理论学习", (date(2023, 9, 1), date(2024, 1, 31))),
    ("学习教育自2024年4月开始，7月底前基本完成，贯穿全过程", (date(2024, 4, 1), date(2024, 7, 31))),
    ("时间为2023年9月至2024年1月", (date(2023, 9, 1), date(2024, 1, 31))),
    ("2023年9月1日—2023年12月15日", (date(2023, 9, 1), date(2023, 12, 15))),
    ("从２０２３年９月开始，２０２４年１月基本结束", (date(2023, 9, 1), date(2024, 1, 31))),
    ("自2023年11月起，至次年2月中旬结束", (date(2023, 11, 1), date(2024, 2, 20))),
])
def test_parse_period(text, expected):
    assert parse_period(text) == expected


@pytest.mark.parametrize("text", ["2023年9月召开党委会", "9月底之前开展一次集中学习", "", "没有日期"])
def test_parse_period_none(text):
    assert parse_period(text) is None


@pytest.mark.parametrize(("text", "due"), [
    ("9月底之前", date(2023, 9, 30)),
    ("11月中旬前", date(2023, 11, 20)),
    ("11月上旬", date(2023, 11, 10)),
    ("11月下旬", date(2023, 11, 30)),
    ("年底前", date(2023, 12, 31)),
    ("10月15日前", date(2023, 10, 15)),
    ("2023年12月31日", date(2023, 12, 31)),
    ("2023.12.31", date(2023, 12, 31)),
    ("2023-12-31", date(2023, 12, 31)),
    ("2023/12/31", date(2023, 12, 31)),
    ("１０月１５日前", date(2023, 10, 15)),
    ("十二月底前完成", date(2023, 12, 31)),
    ("1月底", date(2024, 1, 31)),  # the month's position in the period: January is 2024
    ("2024年1月：集中学习1天", date(2024, 1, 31)),
    ("10月份", date(2023, 10, 31)),
    ("2023年底", date(2023, 12, 31)),
])
def test_parse_deadline_with_seed_period(text, due):
    deadline = parse_deadline(text, SEED_PERIOD)
    assert deadline is not None
    assert deadline.due == due
    assert deadline.ongoing is False


def test_quarter_and_half_year_use_the_year():
    assert parse_deadline("第一季度", year=2024).due == date(2024, 3, 31)
    assert parse_deadline("三季度末", year=2024).due == date(2024, 9, 30)
    assert parse_deadline("上半年", year=2024).due == date(2024, 6, 30)
    assert parse_deadline("全年", year=2024).due == date(2024, 12, 31)
    # with the seed period the first quarter that ends after the start is 2024's
    assert parse_deadline("第一季度", SEED_PERIOD).due == date(2024, 3, 31)


def test_due_workday_only_on_non_working_days():
    sat = parse_deadline("9月底之前", SEED_PERIOD)
    assert sat.due_workday == date(2023, 9, 28)  # 09-29 Mid-Autumn, 09-30 National Day block
    weekday = parse_deadline("11月中旬前", SEED_PERIOD)
    assert weekday.due == date(2023, 11, 20) and weekday.due_workday is None
    dragon_boat = parse_deadline("6月10日前", year=2024)
    assert dragon_boat.due_workday == date(2024, 6, 7)


def test_last_workday_before():
    assert last_workday_before(date(2023, 9, 30)) == date(2023, 9, 28)
    assert last_workday_before(date(2024, 6, 30)) == date(2024, 6, 28)
    assert last_workday_before(date(2023, 10, 9)) == date(2023, 10, 8)  # 10-08 make-up working Sunday
    # beyond the holiday package's years: weekends only
    assert last_workday_before(date(2040, 1, 2)) == date(2039, 12, 30)


def test_ongoing():
    deadline = parse_deadline("长期坚持")
    assert deadline == Deadline(due=None, due_workday=None, ongoing=True, phrase="长期坚持", dates=[])


def test_several_dates():
    deadline = parse_deadline("6月底、12月底", year=2024)
    assert deadline.dates == [date(2024, 6, 30), date(2024, 12, 31)]
    assert deadline.due == date(2024, 12, 31)
    assert deadline.phrase == "6月底、12月底"


@pytest.mark.parametrize("text", ["每次会议", "立即", "", "召开党委会", "9月起开展", "自2023年1月以来"])
def test_no_deadline(text):
    assert parse_deadline(text, SEED_PERIOD) is None


def test_year_unknown_gives_no_date_but_a_phrase():
    assert parse_deadline("9月底") is None
    assert unparsed_deadline_phrases("9月底前完成") == ["9月底前完成"]


def test_unparsed_phrases_are_reported_once_per_clause_and_shortened():
    assert unparsed_deadline_phrases("下月底前、次月底前完成") == ["下月底前、次月底前完成"]
    long_clause = "下月底前" * 100
    (only,) = unparsed_deadline_phrases(long_clause)
    assert len(only) == 60 and only.endswith("…")


def test_unparsed_phrases():
    assert unparsed_deadline_phrases("下月底前完成整改，9月底前报送", SEED_PERIOD) == ["下月底前完成整改"]
    assert unparsed_deadline_phrases("9月底之前开展一次集中学习", SEED_PERIOD) == []
    assert unparsed_deadline_phrases("做好民主生活会会前准备", SEED_PERIOD) == []


def test_year_in():
    assert year_in("第三党支部2023年主题教育学习计划") == 2023
    assert year_in("２０２４年度机关党建重点任务清单") == 2024
    assert year_in("重点工作任务清单") is None


def test_half_year_naming_a_plan_is_not_a_deadline():
    import datetime as dt

    # Found in the project's own sample plan: "7月底之前，各党支部制定下半年学习计划" is due
    # at the end of July; 下半年 names the plan, it is no second deadline.
    period = (dt.date(2026, 7, 1), dt.date(2026, 12, 31))
    found = parse_deadline("7月底之前，各党支部制定下半年学习计划，明确学习内容。", period)
    assert found.due == dt.date(2026, 7, 31) and found.dates == [dt.date(2026, 7, 31)]
    assert parse_deadline("各党支部制定下半年学习计划", period) is None
    assert parse_deadline("下半年完成", period).due == dt.date(2026, 12, 31)
    assert parse_deadline("2024年上半年前完成", None).due == dt.date(2024, 6, 30)
    assert parse_deadline("任务于下半年。", period).due == dt.date(2026, 12, 31)

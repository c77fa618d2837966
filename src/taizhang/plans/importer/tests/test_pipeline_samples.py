"""The text pipeline on the shared samples that are outlines (samples/README.md is the contract):
the GBK study plan and the Word auto-numbered plan (read by the readers package)."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.plans.importer import parse_file

from .helpers import by_path


@pytest.fixture
def study_plan(samples_dir):
    return parse_file(samples_dir / "study-plan-gbk.txt")


@pytest.fixture
def autonumber(samples_dir):
    return parse_file(samples_dir / "plan-autonumber.docx")


def test_study_plan_structure_and_dates(study_plan):
    assert study_plan.title == "第三党支部2023年主题教育学习计划"
    assert [len(n.children) for n in study_plan.items] == [0, 3, 5, 2]
    assert {n.label for n in study_plan.walk() if n.kind == "task"} == {"1、", "2、", "3、", "4、", "5、"}
    three = study_plan.items[2]
    assert [c.due for c in three.children] == [
        date(2023, 9, 30), date(2023, 10, 31), date(2023, 11, 30), date(2023, 12, 31), date(2024, 1, 31),
    ]
    assert three.children[0].due_workday == date(2023, 9, 28)
    weekly = by_path(study_plan, "四、", "1、")
    assert (weekly.recurrence, weekly.min_count) == ("FREQ=WEEKLY", 1)
    assert {n.responsible for n in study_plan.walk()} == {"branch"}  # from the title 党支部


def test_autonumber_structure_owners_and_period(autonumber):
    assert (autonumber.period_start, autonumber.period_end) == (date(2024, 4, 1), date(2024, 7, 31))
    assert [n.title for n in autonumber.items] == ["总体安排", "抓好班子学习", "抓实支部学习", "强化对照检查和整改落实"]
    assert [len(n.children) for n in autonumber.items] == [0, 4, 4, 3]
    assert [c.label for c in by_path(autonumber, "三、", "（二）").children] == ["1.", "2."]
    two, three, four = autonumber.items[1:]
    assert (two.responsible, two.lead_unit, two.responsible_units) == ("committee", "党委办公室", "党委班子成员")
    assert (three.responsible, three.lead_unit) == ("branch", "组织部")
    assert (four.responsible, four.lead_unit) == ("branch", "纪委办公室")
    assert {n.responsible for n in two.walk()} == {"committee"}


@pytest.mark.parametrize(("path", "due", "workday"), [
    (("二、", "（一）"), date(2024, 4, 15), None),
    (("二、", "（三）"), date(2024, 5, 20), None),
    (("二、", "（四）"), date(2024, 6, 30), date(2024, 6, 28)),
    (("三、", "（一）"), date(2024, 4, 30), None),
    (("三、", "（三）"), date(2024, 6, 10), date(2024, 6, 7)),
    (("三、", "（四）"), date(2024, 7, 10), None),
    (("四、", "（一）"), date(2024, 5, 31), None),
])
def test_autonumber_deadlines(autonumber, path, due, workday):
    node = by_path(autonumber, *path)
    assert (node.due, node.due_workday) == (due, workday)


def test_autonumber_recurrence_ongoing_and_signature(autonumber):
    assert by_path(autonumber, "二、", "（二）").recurrence == "FREQ=MONTHLY"
    assert by_path(autonumber, "三、", "（二）").recurrence == "FREQ=MONTHLY"
    assert by_path(autonumber, "四、", "（二）").recurrence == "FREQ=MONTHLY;INTERVAL=3"
    last = by_path(autonumber, "四、", "（三）")
    assert (last.due, last.recurrence, last.ongoing) == (None, None, True)
    assert "机关党委办公室" not in last.text and "2024年4月8日" not in last.text
    assert [(d.line, d.level, d.message) for d in autonumber.diagnostics if "落款" in d.message] == [
        (35, "info", "第 35–36 行是落款，不属于任何条目：机关党委办公室 2024年4月8日"),
    ]

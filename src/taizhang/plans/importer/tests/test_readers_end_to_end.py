"""Reader output through the whole importer (parse_file): the samples' README is the contract."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.plans.importer import parse_file

D = dt.date


@pytest.fixture
def autonumber(samples_dir):
    return parse_file(samples_dir / "plan-autonumber.docx")


def _by_path(draft):
    """{"二.（一）": node, ...} keyed by the labels without their trailing 、."""
    out = {}

    def visit(node, prefix):
        key = (prefix + "." if prefix else "") + node.label.rstrip("、.")
        out[key] = node
        for child in node.children:
            visit(child, key)

    for item in draft.items:
        visit(item, "")
    return out


def test_docx_period_and_sections(autonumber):
    assert (autonumber.period_start, autonumber.period_end) == (D(2024, 4, 1), D(2024, 7, 31))
    sections = [n for n in autonumber.items if n.kind == "section"]
    assert [s.title for s in sections] == ["总体安排", "抓好班子学习", "抓实支部学习", "强化对照检查和整改落实"]
    assert [len(s.children) for s in sections] == [0, 4, 4, 3]
    nodes = _by_path(autonumber)
    assert [c.label for c in nodes["三.（二）"].children] == ["1.", "2."]


def test_docx_owners(autonumber):
    nodes = _by_path(autonumber)
    assert nodes["二"].responsible == "committee" and nodes["二"].lead_unit == "党委办公室"
    assert nodes["三"].responsible == "branch" and nodes["三"].lead_unit == "组织部"
    assert nodes["四"].responsible == "branch" and nodes["四"].lead_unit == "纪委办公室"
    assert all(n.responsible == "committee" for n in nodes["二"].walk())
    assert all(n.responsible == "branch" for n in nodes["三"].walk())


@pytest.mark.parametrize(
    "path, due, workday",
    [
        ("二.（一）", D(2024, 4, 15), None),
        ("二.（三）", D(2024, 5, 20), None),  # 中旬 ends on the 20th
        ("二.（四）", D(2024, 6, 30), D(2024, 6, 28)),  # a Sunday
        ("三.（一）", D(2024, 4, 30), None),
        ("三.（三）", D(2024, 6, 10), D(2024, 6, 7)),  # Dragon Boat Festival
        ("三.（四）", D(2024, 7, 10), None),
        ("四.（一）", D(2024, 5, 31), None),
    ],
)
def test_docx_deadlines(autonumber, path, due, workday):
    node = _by_path(autonumber)[path]
    assert (node.due, node.due_workday) == (due, workday)


def test_docx_recurrence_and_ongoing(autonumber):
    nodes = _by_path(autonumber)
    assert nodes["二.（二）"].recurrence == "FREQ=MONTHLY"
    assert nodes["三.（二）"].recurrence == "FREQ=MONTHLY"
    assert nodes["四.（二）"].recurrence == "FREQ=MONTHLY;INTERVAL=3"
    ongoing = nodes["四.（三）"]
    assert ongoing.ongoing and ongoing.due is None and ongoing.recurrence is None


def test_docx_signature_is_not_part_of_the_last_item(autonumber):
    last = _by_path(autonumber)["四.（三）"]
    assert "机关党委办公室" not in last.text and "2024年4月8日" not in last.text
    assert last.lines == (33, 34)


def test_xlsx_task_table_through_parse_file(samples_dir):
    draft = parse_file(samples_dir / "plan-table.xlsx")
    assert [len(n.children) for n in draft.items if n.kind == "task"] == [2, 3, 3, 1]
    assert draft.items[-1].kind == "note"
    assert draft.to_dict()["items"][0]["children"][1]["recurrence"] == "FREQ=MONTHLY;INTERVAL=6"

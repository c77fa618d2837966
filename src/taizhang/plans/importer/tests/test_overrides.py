"""The user's corrections of how a table is read: columns={index: role}, sheet=name (issue 16 §1, §3)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from taizhang.plans.importer import DocumentError, parse_file


def _unknown_header_book(path):
    """A title row, then a header none of whose names is on the synonym lists."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.title = "安排"
    ws.append(["2025年学校工作安排"])
    ws.merge_cells("A1:D1")
    ws.append(["No", "活动", "日子", "谁来办"])
    ws.append(["1", "开展植树活动", "2025年3月12日", "团委"])
    ws.append(["2", "召开家长会", "2025年4月20日", "德育处"])
    wb.save(path)
    return path


def _two_sheet_book(path):
    wb = openpyxl.Workbook()
    first = wb.active
    first.title = "上学期"
    first.append(["序号", "重点任务", "完成时限", "责任单位"])
    first.append(["1", "召开党委会", "2025年3月31日", "党委"])
    second = wb.create_sheet("下学期")
    second.append(["序号", "重点任务", "完成时限", "责任单位"])
    second.append(["1", "组织主题党日", "2025年9月30日", "各党支部"])
    second.append(["2", "开展谈心谈话", "2025年10月31日", "各党支部"])
    wb.save(path)
    return path


def test_unknown_header_is_refused_with_its_layout(tmp_path):
    path = _unknown_header_book(tmp_path / "安排.xlsx")
    with pytest.raises(DocumentError) as caught:
        parse_file(path)
    layout = caught.value.layout
    assert layout["sheet"] == "安排" and layout["sheets"] == ["安排"]
    assert layout["header_row"] == 2
    assert [c["header"] for c in layout["columns"]] == ["No", "活动", "日子", "谁来办"]


def test_picked_roles_give_the_tasks(tmp_path):
    path = _unknown_header_book(tmp_path / "安排.xlsx")
    draft = parse_file(path, columns={0: "seq", 1: "task", "2": "deadline", 3: "units"})
    assert [(n.label, n.title, n.due, n.responsible_units) for n in draft.items] == [
        ("1", "开展植树活动", dt.date(2025, 3, 12), "团委"),
        ("2", "召开家长会", dt.date(2025, 4, 20), "德育处"),
    ]
    assert draft.title == "2025年学校工作安排"
    assert [c["role"] for c in draft.layout["columns"]] == ["seq", "task", "deadline", "units"]
    assert draft.diagnostics[0].message.startswith("列的识别（按所选）：第1列“No”→序号")


def test_a_column_set_to_ignore_is_left_out(tmp_path):
    path = _two_sheet_book(tmp_path / "计划.xlsx")
    draft = parse_file(path, columns={2: "ignore"}, sheet="上学期")
    assert [(n.title, n.due) for n in draft.walk()] == [("召开党委会", None)]
    assert draft.layout["columns"][2] == {"index": 2, "header": "完成时限", "role": "ignore"}


def test_the_picked_sheet_is_read(tmp_path):
    path = _two_sheet_book(tmp_path / "计划.xlsx")
    draft = parse_file(path)
    assert draft.layout["sheet"] == "上学期" and draft.layout["sheets"] == ["上学期", "下学期"]
    draft = parse_file(path, sheet="下学期")
    assert [n.title for n in draft.items] == ["组织主题党日", "开展谈心谈话"]
    assert draft.layout["sheet"] == "下学期"
    assert draft.items[1].due == dt.date(2025, 10, 31)


@pytest.mark.parametrize(("kwargs", "message"), [
    ({"sheet": "全年"}, "计划.xlsx：没有名为“全年”的工作表（工作簿中有：“上学期”、“下学期”）"),
    ({"columns": {1: "boss"}}, "计划.xlsx：第2列的用途“boss”无效"),
    ({"columns": {9: "task"}}, "计划.xlsx：第10列不存在（“上学期”共 4 列）"),
    ({"columns": {"x": "task"}}, "计划.xlsx：列号“x”不是数字"),
    ({"columns": {1: "ignore"}}, "计划.xlsx：请至少选择一列作为“任务”或“措施”"),
])
def test_bad_overrides_are_refused(tmp_path, kwargs, message):
    path = _two_sheet_book(tmp_path / "计划.xlsx")
    with pytest.raises(DocumentError) as caught:
        parse_file(path, **kwargs)
    assert str(caught.value).startswith(message)


def test_overrides_on_a_text_document_are_refused(tmp_path):
    path = tmp_path / "计划.txt"
    path.write_text("一、学习\n1.召开党委会，3月底前完成。\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="计划.txt：不是 Excel 工作簿，没有可选的工作表"):
        parse_file(path, sheet="Sheet1")
    with pytest.raises(DocumentError, match="计划.txt：不是表格，无法指定各列的用途"):
        parse_file(path, columns={0: "task"})
    assert parse_file(path).layout is None

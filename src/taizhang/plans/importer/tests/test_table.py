"""Task lists written as tables → plan tree (importer.table.build_from_tables)."""

from __future__ import annotations

import datetime as dt

import docx
import openpyxl
import pytest

from taizhang.plans.importer.model import SourceDocument, SourceLine
from taizhang.plans.importer.readers import read_document
from taizhang.plans.importer.table import build_from_tables, find_header, header_key

D = dt.date


# -- the shared sample (samples/README.md is the contract) --------------------------------------
@pytest.fixture
def plan_table(samples_dir):
    return build_from_tables(read_document(samples_dir / "plan-table.xlsx"))


def test_sample_tree_shape(plan_table):
    draft = plan_table
    assert draft.title == "2024年度机关党建重点任务清单"
    assert (draft.period_start, draft.period_end) == (D(2024, 1, 1), D(2024, 12, 31))
    tasks = [n for n in draft.items if n.kind == "task"]
    assert [t.title for t in tasks] == ["加强政治建设", "抓好理论武装", "规范组织生活", "推进整改落实"]
    assert [len(t.children) for t in tasks] == [2, 3, 3, 1]
    leaves = [n for n in draft.walk() if not n.children and n.kind == "task"]
    assert len(leaves) == 9
    assert [t.label for t in tasks] == ["1", "2", "3", "4"]
    assert [c.label for c in tasks[1].children] == ["2.1", "2.2", "2.3"]
    assert [t.lines for t in tasks] == [(3, 4), (5, 7), (8, 10), (11, 11)]
    note = draft.items[-1]
    assert note.kind == "note"
    assert note.text == "注：完成时限为“每月”的任务，于次月5日前报送完成情况。"
    assert note.lines == (12, 12)
    assert len(draft.items) == 5


def test_sample_deadlines(plan_table):
    leaves = {n.label: n for n in plan_table.walk() if not n.children and n.kind == "task"}
    # 每次会议: per meeting, no date → a diagnostic on its row
    assert leaves["1.1"].due is None and leaves["1.1"].recurrence is None
    assert [(d.line, d.level, d.message) for d in plan_table.diagnostics if "每次会议" in d.message] == [
        (3, "warning", "完成时限“每次会议”没有具体日期或周期"),
    ]
    assert (11, "info", "无法从“纪委办公室；相关部门”判断责任层级（党委/党支部/党员）") in [
        (d.line, d.level, d.message) for d in plan_table.diagnostics
    ]
    # 6月底、12月底: two deadlines = half-yearly; due = the earlier one
    half = leaves["1.2"]
    assert (half.due, half.due_workday) == (D(2024, 6, 30), D(2024, 6, 28))  # 2024-06-30 is a Sunday
    assert half.recurrence == "FREQ=MONTHLY;INTERVAL=6"
    assert leaves["2.1"].due == D(2024, 1, 31)  # 1月底前
    assert leaves["2.2"].recurrence == "FREQ=MONTHLY" and leaves["2.2"].due is None  # 每月
    assert leaves["2.3"].due == D(2024, 12, 31)  # 全年
    assert leaves["3.1"].ongoing and leaves["3.1"].due is None and leaves["3.1"].recurrence is None  # 长期坚持
    assert leaves["3.2"].recurrence == "FREQ=MONTHLY"
    assert leaves["3.3"].due == D(2024, 12, 31) and leaves["3.3"].due_workday is None  # 12月31日前
    assert leaves["4.1"].due == D(2024, 9, 30)  # 2024.9.30
    # Only 每次会议 is a warning.
    assert [d.line for d in plan_table.diagnostics if d.level == "warning"] == [3]


def test_sample_owners(plan_table):
    tasks = {n.label: n for n in plan_table.items if n.kind == "task"}
    assert (tasks["1"].lead_unit, tasks["1"].responsible_units) == ("党委办公室", "各党支部")
    assert tasks["2"].lead_unit == "宣传部"
    assert all(c.responsible == "branch" for c in tasks["2"].children)
    assert all(c.responsible_units == "各党支部" for c in tasks["3"].children)
    assert tasks["4"].lead_unit == "纪委办公室" and tasks["4"].responsible_units == "相关部门"
    assert tasks["4"].responsible is None  # neither names committee, branch or member
    assert any(d.line == 11 and d.level == "info" for d in plan_table.diagnostics)


def test_sample_json_contract(plan_table):
    data = plan_table.to_dict()
    assert data["period"] == {"start": "2024-01-01", "end": "2024-12-31"}
    first = data["items"][0]["children"][1]
    assert first["due"] == "2024-06-30" and first["due_workday"] == "2024-06-28"
    assert first["lines"] == [4, 4]


def test_ledger_is_not_a_task_table(samples_dir):
    assert build_from_tables(read_document(samples_dir / "ledger-merged.xlsx")) is None


def test_text_document_has_no_task_table(samples_dir):
    assert build_from_tables(read_document(samples_dir / "study-plan-gbk.txt")) is None
    assert build_from_tables(read_document(samples_dir / "plan-autonumber.docx")) is None


# -- own tables ------------------------------------------------------------------------------
def test_xlsx_extra_empty_column_and_dates_typed_as_text(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["第三党支部主题教育任务分解表（2023年9月至2024年1月）"])
    ws.merge_cells("A1:G1")
    ws.append([])
    ws.append(["序 号", "工作任务", None, "工作措施", "责任\n部门", "配合单位", "完成时间（截止）"])
    ws.append(["1", "理论学习", None, "召开支部党员大会传达部署", "第三党支部", "", "2023.9.30"])
    ws.append(["", "", None, "集中学习研讨", "第三党支部", "", "2023年9月30日"])
    ws.append(["2", "调查研究", None, "开展专题调研", "支委", "机关党委", dt.datetime(2023, 11, 15)])
    ws.append(["3", "检视整改", None, "形成问题清单", "第三党支部", "", "10月底前"])
    path = tmp_path / "own.xlsx"
    wb.save(path)

    draft = build_from_tables(read_document(path))
    assert draft is not None
    assert draft.title == "第三党支部主题教育任务分解表（2023年9月至2024年1月）"
    assert (draft.period_start, draft.period_end) == (D(2023, 9, 1), D(2024, 1, 31))
    assert [(t.label, t.title, len(t.children)) for t in draft.items] == [
        ("1", "理论学习", 2), ("2", "调查研究", 1), ("3", "检视整改", 1)]
    measures = [c for t in draft.items for c in t.children]
    assert [(m.due, m.due_workday) for m in measures] == [
        (D(2023, 9, 30), D(2023, 9, 28)),  # "2023.9.30": National Day holiday block
        (D(2023, 9, 30), D(2023, 9, 28)),  # "2023年9月30日"
        (D(2023, 11, 15), None),  # a real Excel date
        (D(2023, 10, 31), None),  # "10月底前": year from the period
    ]
    assert measures[2].responsible_units == "支委；机关党委"  # 责任部门 + 配合单位
    assert measures[2].responsible == "branch"
    assert [m.lines for m in measures] == [(4, 4), (5, 5), (6, 6), (7, 7)]
    # The only diagnostic says which column was taken for what (issue 16 §1).
    assert [(d.line, d.level, d.message) for d in draft.diagnostics] == [(3, "info", (
        "列的识别：第1列“序号”→序号；第2列“工作任务”→任务；第4列“工作措施”→措施；第5列“责任部门”→责任单位；"
        "第6列“配合单位”→责任单位；第7列“完成时间（截止）”→完成时限"))]


def test_header_names():
    assert header_key("完 成\n时 限") == "deadline"
    assert header_key("完成时限（截止日期）") == "deadline"
    assert header_key("*责任单位") == "units"
    assert header_key("整改措施") is None  # a rectification ledger, not a task list
    assert header_key("") is None


def test_two_row_header_with_merged_group(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "重点任务", "责任主体", None, "时间安排"])
    ws.append([None, None, "牵头单位", "责任单位", None])
    for rng in ("A1:A2", "B1:B2", "C1:D1", "E1:E2"):
        ws.merge_cells(rng)
    ws.append([1, "召开党委会研究部署", "党委办公室", "党委班子成员", "9月底前"])
    ws.append([2, "每季度开展一次集中学习", "组织部", "各党支部", "每季度"])
    path = tmp_path / "two-rows.xlsx"
    wb.save(path)

    doc = read_document(path)
    header = find_header(doc.tables[0])
    assert (header.first, header.last) == (0, 1)  # both rows form the header
    assert header.columns.index == {"seq": [0], "task": [1], "lead": [2], "units": [3], "deadline": [4]}
    draft = build_from_tables(doc)
    first, second = draft.items
    assert (first.lead_unit, first.responsible_units, first.responsible) == ("党委办公室", "党委班子成员", "committee")
    assert first.children == []  # no measure column: each task is a leaf
    assert first.due is None  # no year anywhere: "9月底前" cannot be dated
    # The preview asks for the year once (issue 16 §1); the row says why it has no date.
    assert draft.year_needed
    assert [(d.line, d.level) for d in draft.diagnostics] == [(None, "warning"), (2, "info"), (3, "warning")]
    assert draft.diagnostics[0].message.startswith("表格中的日期没有写年份")
    assert draft.diagnostics[2].message == "完成时限“9月底前”没有具体日期或周期（标题、工作表名和文件名中也没有年份）"
    assert second.recurrence == "FREQ=MONTHLY;INTERVAL=3"
    assert second.responsible == "branch"
    assert draft.title == "two-rows"  # nothing above the header: the file name


def test_section_rows_inside_the_table(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["2024年党建工作要点"])
    ws.merge_cells("A1:D1")
    ws.append(["序号", "具体任务", "责任单位", "完成时限"])
    ws.append(["一、领导班子"])
    ws.merge_cells("A3:D3")
    ws.append(["1", "召开专题民主生活会", "党委", "12月底前"])
    ws.append(["二、基层党组织"])
    ws.merge_cells("A5:D5")
    ws.append(["1", "召开组织生活会", "各党支部", "第一季度"])
    ws.append(["2", "开展民主评议党员", "各党支部", "每年"])
    path = tmp_path / "sections.xlsx"
    wb.save(path)

    draft = build_from_tables(read_document(path))
    assert [(s.kind, s.label, s.title, s.responsible) for s in draft.items] == [
        ("section", "一、", "领导班子", "committee"), ("section", "二、", "基层党组织", "branch")]
    assert [(t.label, t.title, t.due) for t in draft.items[1].children] == [
        ("1", "召开组织生活会", D(2024, 3, 31)), ("2", "开展民主评议党员", None)]
    assert draft.items[1].children[1].recurrence == "FREQ=YEARLY"
    assert draft.items[0].lines == (3, 4) and draft.items[1].lines == (5, 7)


def test_docx_table_task_list(tmp_path):
    document = docx.Document()
    document.add_paragraph("2023年主题教育重点任务清单")
    table = document.add_table(rows=4, cols=5)
    header = ["序号", "重点任务", "具体措施", "牵头单位", "完成时限"]
    for i, text in enumerate(header):
        table.cell(0, i).text = text
    table.cell(1, 0).text, table.cell(1, 1).text = "1", "开展理论学习"
    table.cell(1, 3).text = "党委办公室"
    for col in (0, 1, 3):
        table.cell(1, col).merge(table.cell(2, col))
    table.cell(1, 2).text, table.cell(1, 4).text = "每月安排1天集中学习", "每月"
    table.cell(2, 2).text, table.cell(2, 4).text = "9月底之前开展第一次集中学习", "9月底前"
    table.cell(3, 0).merge(table.cell(3, 4)).text = "备注：各支部参照执行。"
    path = tmp_path / "table.docx"
    document.save(path)

    draft = build_from_tables(read_document(path))
    assert draft.title == "2023年主题教育重点任务清单"  # the paragraph above the table
    [task, note] = draft.items
    assert (task.label, task.title, task.lead_unit, task.responsible) == ("1", "开展理论学习", "党委办公室", "committee")
    monthly, first = task.children
    assert (monthly.recurrence, monthly.min_count, monthly.evidence) == ("FREQ=MONTHLY", 1, "study_session")
    assert (first.due, first.due_workday) == (D(2023, 9, 30), D(2023, 9, 28))
    # Row numbers of a Word table are paragraph numbers: title 1, header row 2..6, row 1 7..11.
    assert monthly.lines == (7, 7) and first.lines == (12, 12)
    assert (note.kind, note.label, note.title) == ("note", "备注：", "各支部参照执行")


def test_tables_in_memory_without_title():
    from taizhang.plans.importer.model import SourceTable

    table = SourceTable(name="t", rows=[
        (1, ["任务", "时限"]),
        (2, ["制定学习计划", "10月15日前"]),
    ])
    doc = SourceDocument(name="清单.docx", lines=[SourceLine(1, "任务"), SourceLine(1, "时限")], tables=[table])
    draft = build_from_tables(doc)
    assert draft.title == "清单"
    assert [(n.label, n.title) for n in draft.items] == [("1", "制定学习计划")]


def test_roster_is_not_a_task_table(tmp_path):
    wb = openpyxl.Workbook()
    wb.active.append(["姓名", "性别", "出生年月", "入党时间", "所在支部", "职务"])
    wb.active.append(["张三", "男", "1980.05", "2005年7月1日", "第一党支部", "书记"])
    path = tmp_path / "roster.xlsx"
    wb.save(path)
    assert build_from_tables(read_document(path)) is None


def test_tasks_inherit_the_section_level(tmp_path):
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["序号", "工作内容", "完成时限"])
    ws.append(["一、领导班子"])
    ws.merge_cells("A2:C2")
    ws.append(["1", "开展专题调研", "2023年11月中旬前"])
    path = tmp_path / "inherit.xlsx"
    wb.save(path)
    [section] = build_from_tables(read_document(path)).items
    [task] = section.children
    assert (task.responsible, task.due, task.evidence) == ("committee", D(2023, 11, 20), "research_visit")


def test_section_rows_numbered_by_part_and_roman_numeral():
    # "第一部分" once lost its 分 to the label ("第一部" / "分 …"); Roman section rows had no label.
    from taizhang.plans.importer.model import SourceDocument, SourceTable

    rows = [
        (1, ["2024年党建工作要点", "2024年党建工作要点", "2024年党建工作要点"]),
        (2, ["序号", "具体任务", "完成时限"]),
        (3, ["第一部分 领导班子", "第一部分 领导班子", "第一部分 领导班子"]),
        (4, ["1", "召开专题民主生活会", "12月底前"]),
        (5, ["Ⅱ、基层党组织", "Ⅱ、基层党组织", "Ⅱ、基层党组织"]),
        (6, ["1", "召开组织生活会", "第一季度"]),
    ]
    merged = {(r, c): True for r in (1, 3, 5) for c in (1, 2)}
    table = SourceTable(name="要点", rows=rows, merged=merged)
    draft = build_from_tables(SourceDocument(name="parts.docx", tables=[table]))
    assert [(s.kind, s.label, s.title, s.responsible) for s in draft.items] == [
        ("section", "第一部分", "领导班子", "committee"), ("section", "Ⅱ、", "基层党组织", "branch")]
    assert [(t.title, t.due) for t in draft.items[1].children] == [("召开组织生活会", D(2024, 3, 31))]

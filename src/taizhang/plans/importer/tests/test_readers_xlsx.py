"""The .xlsx reader: sheets as tables, merged cells filled in, dates ISO, rows as lines."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest

from taizhang.plans.importer.model import DocumentError
from taizhang.plans.importer.readers import read_document


def test_sample_plan_table_merges(samples_dir):
    doc = read_document(samples_dir / "plan-table.xlsx")
    [table] = doc.tables
    assert table.name == "任务清单"
    rows = dict(table.rows)
    assert rows[1] == ["2024年度机关党建重点任务清单"] * 6  # title merged A1:F1
    assert rows[2] == ["序号", "重点任务", "具体措施", "牵头单位", "责任单位", "完成时限"]
    assert rows[4] == ["1", "加强政治建设", "每半年开展一次政治生态分析研判", "党委办公室", "各党支部", "6月底、12月底"]
    assert rows[11][5] == "2024.9.30"  # a date typed as text stays text
    assert table.merged[(4, 0)] and table.merged[(4, 1)] and table.merged[(1, 5)]
    assert (3, 0) not in table.merged  # the top-left cell of a merge is not "covered"
    assert (4, 2) not in table.merged
    # Lines are the rows as written: a merged value appears once.
    lines = {line.number: line.text for line in doc.lines}
    assert lines[4] == "每半年开展一次政治生态分析研判\t6月底、12月底"
    assert lines[12].startswith("注：")
    assert sorted(lines) == list(range(1, 13))


def test_sample_ledger_two_row_header(samples_dir):
    doc = read_document(samples_dir / "ledger-merged.xlsx")
    rows = dict(doc.tables[0].rows)
    assert rows[2][3:7] == ["整改情况"] * 4
    assert rows[3][:3] == ["序号", "问题来源", "问题表现"]  # merged down from row 2
    assert rows[3][3:7] == ["整改措施", "责任领导", "整改时限", "整改进展"]
    assert rows[9][0] == "3" and rows[9][7] == "否"
    assert rows[9][5] == "长期坚持"
    assert rows[4][5] == "2023年12月31日"


def test_dates_numbers_and_sheets(tmp_path):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "清单"
    sheet.append(["序号", "任务", "时限", "比例", "时间"])
    sheet.append([1.0, "学习", dt.datetime(2023, 9, 30), 0.5, dt.datetime(2023, 10, 1, 14, 30)])
    sheet.append([2, "调研", dt.date(2024, 1, 15), None, None])
    sheet["A5"] = "  注：空行之后  "
    other = workbook.create_sheet("说明")
    other["B2"] = "第二张表"
    workbook.create_sheet("空表")
    path = tmp_path / "dates.xlsx"
    workbook.save(path)

    doc = read_document(path)
    assert [t.name for t in doc.tables] == ["清单", "说明"]  # empty sheets are left out
    rows = dict(doc.tables[0].rows)
    assert rows[2] == ["1", "学习", "2023-09-30", "0.5", "2023-10-01 14:30"]
    assert rows[3] == ["2", "调研", "2024-01-15", "", ""]
    assert rows[4] == ["", "", "", "", ""]
    assert rows[5][0] == "注：空行之后"
    assert dict(doc.tables[1].rows) == {1: ["", ""], 2: ["", "第二张表"]}  # B2: column B
    assert [(line.number, line.text) for line in doc.lines] == [
        (1, "序号\t任务\t时限\t比例\t时间"),
        (2, "1\t学习\t2023-09-30\t0.5\t2023-10-01 14:30"),
        (3, "2\t调研\t2024-01-15"),
        (5, "注：空行之后"),
        (2, "第二张表"),
    ]


def test_formula_gives_cached_value_or_nothing(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "合计"
    workbook.active["B1"] = "=1+1"  # openpyxl writes no cached value
    path = tmp_path / "formula.xlsx"
    workbook.save(path)
    rows = dict(read_document(path).tables[0].rows)
    assert rows[1] == ["合计"]


def test_empty_workbook_is_refused(tmp_path):
    path = tmp_path / "empty.xlsx"
    openpyxl.Workbook().save(path)
    with pytest.raises(DocumentError, match=r"^empty\.xlsx：工作簿是空的，所有工作表都没有内容$"):
        read_document(path)


def test_xlsx_named_docx_is_read_as_workbook(tmp_path):
    workbook = openpyxl.Workbook()
    workbook.active["A1"] = "任务"
    path = tmp_path / "misnamed.docx"
    workbook.save(path)
    doc = read_document(path)
    assert doc.name == "misnamed.docx"
    assert dict(doc.tables[0].rows) == {1: ["任务"]}


def test_sheet_formatted_to_the_last_row_stays_small(tmp_path):
    from openpyxl.styles import Font

    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"] = "标题"
    ws.merge_cells("A1:Z1")  # wider than the data
    ws["A2"], ws["B2"] = "任务", "时限"
    ws.cell(row=1_048_576, column=3).font = Font(bold=True)  # styled, empty
    path = tmp_path / "wide.xlsx"
    wb.save(path)
    [table] = read_document(path).tables
    assert table.rows == [(1, ["标题", "标题"]), (2, ["任务", "时限"])]
    assert table.merged == {(1, 1): True}

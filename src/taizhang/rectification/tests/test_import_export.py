"""Ledger import (sample contract, messy ledgers, atomicity, re-import) and exports."""

import csv
import datetime as dt
import io
from pathlib import Path

import openpyxl
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from conftest import SHARED, require_shared
from taizhang.rectification import services
from taizhang.rectification.exports import HEADERS, ledger_docx, write_ledger_csv, write_ledger_xlsx
from taizhang.rectification.importer import import_ledger
from taizhang.rectification.ledger import export_queryset
from taizhang.rectification.models import Problem, ProgressUpdate, Rectification

SAMPLE_PATH = SHARED / "samples" / "ledger-merged.xlsx"


@pytest.fixture
def sample_ledger():
    """The shared sample ledger; skipped without ../shared (``conftest.require_shared``)."""
    return require_shared(SAMPLE_PATH)


def test_sample_ledger_imports_to_the_readme_values(tree, sample_ledger):
    org = tree["branches"][0]
    result = import_ledger(sample_ledger, org)
    assert result.ok, result.errors
    assert (result.rows_read, result.problems_created, result.measures_created) == (6, 3, 6)
    problems = list(Problem.objects.filter(org=org).order_by("pk"))
    assert [p.measures.count() for p in problems] == [2, 1, 3]
    assert [p.source.name for p in problems] == ["谈心谈话", "群众意见", "组织生活会"]
    closed = [all(m.status == "closed" for m in p.measures.all()) for p in problems]
    assert closed == [False, True, False]
    rows = [(m.deadline, m.kind) for m in Rectification.objects.order_by("problem", "position")]
    assert rows == [
        (dt.date(2023, 12, 31), "deadline"), (dt.date(2024, 1, 15), "deadline"),
        (None, "immediate"), (dt.date(2024, 1, 31), "deadline"), (dt.date(2024, 1, 20), "deadline"),
        (None, "long_term"),
    ]
    first = Rectification.objects.order_by("pk").first()
    assert first.leader == tree["leaders"][0]  # 李晓 linked to the leadership team
    assert first.progress == "计划已制定" and first.status == "in_progress"
    assert ProgressUpdate.objects.count() == 5  # every non-blank 整改进展
    again = import_ledger(sample_ledger, org)
    assert (again.problems_created, again.measures_created, again.measures_updated) == (0, 0, 0)
    assert (again.problems_unchanged, again.measures_unchanged) == (3, 6)
    assert Rectification.objects.count() == 6


def messy_ledger(path: Path, bad_row: bool = False) -> Path:
    """A ledger in the forms practitioners send: title row, merged two-row header in another
    column order, dates typed as text and as a date cell, 是否销号 as 已销号/否/blank, a problem
    continued by blank cells instead of merges, a note row."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某某局2023年主题教育检视问题整改台账"])
    ws.merge_cells("A1:J1")
    ws.append(["序号", "问题来源", "问题描述", "整改情况", None, None, None, None, "是否销号", "备注"])
    ws.append([None, None, None, "整改措施", "责任领导", "责任部门", "完成时限", "进展情况", None, None])
    for col in "ABCIJ":
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:H2")
    ws.append([1, "巡视巡察", "-文件流转慢", "压缩公文流转环节", "周宁", "办公室",
               "2023.12.31", "已压缩2个环节", "否", ""])
    ws.append([None, None, None, "建立公文时限提醒", "周宁", "办公室", dt.datetime(2024, 1, 10),
               "", "", ""])
    ws.append([2, "审计监督", "票据审核不严", "开展票据自查", "李晓", "第2党支部", "2023年12月31日",
               "自查完成", "已销号", ""])
    ws.append([3, "基层调研", "办事指南未更新", "更新办事指南", "王五", "业务科",
               "长期坚持" if not bad_row else "下个月吧", "", "否", ""])
    ws.append([None, None, None, "公开办理流程", "王五", "业务科", "12月底前", "", "否", ""])
    ws.append(["注：本表每月更新"])
    wb.save(path)
    return path


def test_messy_ledger_round_trips(tree, tmp_path):
    org = tree["committee"]
    result = import_ledger(messy_ledger(tmp_path / "messy.xlsx"), org)
    assert result.ok, result.errors
    assert (result.problems_created, result.measures_created) == (3, 5)
    measures = list(Rectification.objects.order_by("problem", "position"))
    assert [(m.deadline, m.kind, m.status) for m in measures] == [
        (dt.date(2023, 12, 31), "deadline", "in_progress"),
        (dt.date(2024, 1, 10), "deadline", "open"),
        (dt.date(2023, 12, 31), "deadline", "closed"),
        (None, "long_term", "open"),
        (dt.date(2023, 12, 31), "deadline", "open"),  # 12月底前 in the title's year
    ]
    assert any("12月底前" in str(w) and "2023" in str(w) for w in result.warnings)
    assert measures[2].department_org == tree["branches"][1]
    assert measures[3].leader is None and measures[3].leader_name == "王五"
    # Export, then import the export into another organization: the same ledger.
    out = tmp_path / "out.xlsx"
    assert write_ledger_xlsx(out, export_queryset(Rectification.objects.filter(org=org))) == 5
    again = import_ledger(out, tree["branches"][0])
    assert again.ok, again.errors
    assert (again.problems_created, again.measures_created) == (3, 5)
    copied = list(Rectification.objects.filter(org=tree["branches"][0]).order_by("problem", "position"))
    assert [(m.measure, m.deadline, m.kind, m.status == "closed") for m in copied] == [
        (m.measure, m.deadline, m.kind, m.status == "closed") for m in measures]
    assert Problem.objects.filter(org=tree["branches"][0]).first().description == "-文件流转慢"


def test_an_import_keeps_the_file_s_numbers_where_they_are_free(tree, tmp_path):
    path = messy_ledger(tmp_path / "messy.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["A4"], wb.active["A6"], wb.active["A7"] = 7, "2", "12.0"  # 7, text "2", a float
    wb.save(path)
    org = tree["committee"]
    existing = services.create_problem(org=org, source="其他", description="已在清单上的问题")
    assert existing.number == 1
    assert import_ledger(path, org).ok
    numbers = dict(Problem.objects.filter(org=org).values_list("description", "number"))
    assert numbers == {"已在清单上的问题": 1, "-文件流转慢": 7, "票据审核不严": 2, "办事指南未更新": 12}
    # a file numbered like the list already is: the taken numbers give way to the next free ones
    other = messy_ledger(tmp_path / "other.xlsx")
    wb = openpyxl.load_workbook(other)
    for cell, text in (("C4", "新问题甲"), ("C6", "新问题乙"), ("C7", "新问题丙")):
        wb.active[cell] = text
    wb.active["A4"], wb.active["A6"], wb.active["A7"] = 1, 3, 3
    wb.save(other)
    assert import_ledger(other, org).ok
    numbers = dict(Problem.objects.filter(org=org).values_list("description", "number"))
    assert (numbers["新问题甲"], numbers["新问题乙"], numbers["新问题丙"]) == (13, 3, 14)


def test_a_ledger_of_several_organizations_goes_back_to_each(tree, problem, measure, tmp_path):
    other = services.create_problem(org=tree["branches"][1], source="审计监督", description="票据审核不严")
    services.add_measure(other, measure="开展票据自查", kind="immediate", leader_name="李晓")
    out = tmp_path / "all.xlsx"
    write_ledger_xlsx(out, export_queryset())  # the committee's whole ledger: 所属组织 added
    again = import_ledger(out, tree["committee"])
    assert again.ok, again.errors
    assert (again.problems_created, again.measures_created) == (0, 0)  # nothing copied to the committee
    assert again.problems_unchanged == 2 and again.measures_updated + again.measures_unchanged == 2
    assert not Problem.objects.filter(org=tree["committee"]).exists()
    # a new row for the second branch lands on that branch's list, numbered there
    wb = openpyxl.load_workbook(out)
    ws = wb.active
    ws.append([2, "巡视巡察", "窗口材料不全", "补齐材料", "周宁", "办公室", "2030.6.30", "", "", "否", "", "", "", "", "第2党支部"])
    wb.save(out)
    assert import_ledger(out, tree["committee"]).ok
    added = Problem.objects.get(description="窗口材料不全")
    assert (added.org, added.number) == (tree["branches"][1], 2)


def test_an_unknown_organization_is_an_error_naming_the_row(tree, problem, measure, tmp_path):
    out = tmp_path / "all.xlsx"
    write_ledger_xlsx(out, export_queryset(), with_org=True)
    wb = openpyxl.load_workbook(out)
    wb.active["O3"] = "别的党委第9支部"
    wb.save(out)
    result = import_ledger(out, tree["branches"][0])
    assert [str(e) for e in result.errors] == ["第 3 行［所属组织］：“别的党委第9支部”不是“第1党支部”或其下级组织"]
    assert Problem.objects.count() == 1


def test_a_deadline_without_a_year_takes_the_ledger_s_usual_year(tree, tmp_path):
    path = messy_ledger(tmp_path / "messy.xlsx")
    wb = openpyxl.load_workbook(path)
    wb.active["A1"] = "主题教育检视问题整改台账"  # no year in the title
    wb.save(path)
    result = import_ledger(path, tree["committee"], today=dt.date(2026, 11, 29))
    assert result.ok, result.errors
    assert Rectification.objects.get(measure="公开办理流程").deadline == dt.date(2023, 12, 31)


def test_a_note_merged_across_the_table_is_skipped(tree, tmp_path):
    path = messy_ledger(tmp_path / "messy.xlsx")
    wb = openpyxl.load_workbook(path)
    ws = wb.active
    ws.append(["备注：本表由支部组织委员填写，每月5日前报党委办公室"])
    ws.merge_cells(f"A{ws.max_row}:J{ws.max_row}")
    ws.append(["填表人：王五"] * 10)  # a note typed into every cell of the row
    wb.save(path)
    result = import_ledger(path, tree["committee"])
    assert result.ok, result.errors
    assert (result.problems_created, result.measures_created) == (3, 5)


def test_a_bad_row_writes_nothing_and_names_every_bad_row(tree, tmp_path):
    path = messy_ledger(tmp_path / "bad.xlsx", bad_row=True)
    wb = openpyxl.load_workbook(path)
    wb.active["I5"] = "也许"
    wb.save(path)
    result = import_ledger(path, tree["committee"])
    assert [(e.row, e.column) for e in result.errors] == [(5, "是否销号"), (7, "整改时限")]
    assert "下个月吧" in str(result.errors[1]) and str(result.errors[1]).startswith("第 7 行")
    assert "应为 是 / 否 / 已销号" in result.errors[0].message
    assert Problem.objects.count() == 0 and Rectification.objects.count() == 0


def test_dry_run_counts_but_keeps_nothing(tree, sample_ledger):
    result = import_ledger(sample_ledger, tree["committee"], dry_run=True)
    assert result.ok and result.measures_created == 6
    assert Problem.objects.count() == 0


def test_xlsx_export_merges_problem_cells_and_neutralises(tree, problem, measure, tmp_path):
    services.add_measure(problem, measure="-1+1 公布电话", deadline=dt.date(2030, 7, 1), leader_name="周宁")
    other = services.create_problem(org=tree["branches"][1], source="审计监督", description="@SUM(A1)")
    services.add_measure(other, measure="自查", kind="immediate", leader_name="李晓")
    out = tmp_path / "ledger.xlsx"
    assert write_ledger_xlsx(out, export_queryset()) == 3
    ws = openpyxl.load_workbook(out).active
    # two branches: each numbers its own list, so their names follow the ten columns
    assert [c.value for c in ws[2]] == HEADERS + ["所属组织"]
    assert sorted(str(r) for r in ws.merged_cells.ranges) == ["A1:O1", "A3:A4", "B3:B4", "C3:C4"]
    assert [ws.cell(r, 1).value for r in (3, 5)] == [1, 1]
    assert [ws.cell(r, 15).value for r in (3, 4, 5)] == ["第1党支部", "第1党支部", "第2党支部"]
    assert ws["D4"].value == "-1+1 公布电话" and ws["C5"].value == "@SUM(A1)"
    assert all((ws[ref].data_type, ws[ref].quotePrefix) == ("s", True) for ref in ("D4", "C5"))
    assert ws["D3"].quotePrefix is False  # the style shared with other cells is left alone
    assert ws["G3"].value == dt.datetime(2030, 6, 28) and ws["G3"].number_format == "yyyy-mm-dd"
    assert (ws["G5"].value, ws["J5"].value) == ("立行立改", "否")


def test_one_organization_s_export_has_the_ten_columns_and_its_stored_numbers(tree, problem, measure, tmp_path):
    org = tree["branches"][0]
    second = services.create_problem(org=org, source="审计监督", description="第二个问题")
    services.add_measure(second, measure="自查", kind="immediate", leader_name="李晓")
    problem.delete()  # numbers are kept: the second problem stays 2, as in correspondence
    out = tmp_path / "ledger.xlsx"
    assert write_ledger_xlsx(out, export_queryset(Rectification.objects.filter(org=org))) == 1
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]] == HEADERS
    assert (ws["A3"].value, ws["C3"].value) == (2, "第二个问题")
    third = services.create_problem(org=org, source="审计监督", description="第三个问题")
    assert third.number == 3


def test_csv_and_docx_exports(tree, problem, measure):
    buffer = io.StringIO()
    assert write_ledger_csv(buffer, export_queryset()) == 1
    rows = list(csv.reader(io.StringIO(buffer.getvalue().lstrip("\ufeff"))))
    assert rows[0] == HEADERS
    assert rows[1][:4] == ["1", "基层调研", "服务窗口午间无人值守，群众需等候", "推行午间轮岗值班"]
    assert rows[1][6] == "2030-06-28" and rows[1][9] == "否"
    services.add_measure(problem, measure="第二项", deadline=dt.date(2030, 7, 1), leader_name="周宁")
    document = ledger_docx(export_queryset())
    table = document.tables[0]
    assert [c.text for c in table.rows[0].cells] == HEADERS
    assert len(table.rows) == 3
    assert table.cell(1, 2)._tc is table.cell(2, 2)._tc  # problem cell merged vertically


def test_cli_import_and_export(tree, tmp_path, capsys, sample_ledger):
    call_command("import_ledger", str(sample_ledger), "--org", "ZB01", "--dry-run")
    assert "（试运行，未写入）读取 6 行：问题 新增 3" in capsys.readouterr().out
    assert Problem.objects.count() == 0
    call_command("import_ledger", str(sample_ledger), "--org", "ZB01")
    assert "整改措施 新增 6、更新 0、未变 0" in capsys.readouterr().out
    call_command("import_ledger", str(sample_ledger), "--org", "ZB01")
    assert "问题 新增 0、更新 0、未变 3；整改措施 新增 0、更新 0、未变 6" in capsys.readouterr().out
    bad = messy_ledger(tmp_path / "bad.xlsx", bad_row=True)
    with pytest.raises(CommandError, match="1 处错误，未写入任何数据"):
        call_command("import_ledger", str(bad), "--org", "DW")
    assert "第 7 行［整改时限］" in capsys.readouterr().err
    out = tmp_path / "x.xlsx"
    call_command("export_ledger", "-o", str(out), "--org", "DW")
    assert "已导出 6 项整改措施" in capsys.readouterr().out
    assert openpyxl.load_workbook(out).active["C3"].value == "个别支部委员对分管工作调研不够深入"


def test_export_commands_refuse_a_wrong_suffix_or_folder(tree, tmp_path):
    with pytest.raises(CommandError, match=r"x\.pdf：不支持的文件类型，请用 \.xlsx / \.csv / \.docx"):
        call_command("export_ledger", "-o", str(tmp_path / "x.pdf"), "--org", "ZB01")
    with pytest.raises(CommandError, match="不存在"):
        call_command("export_ledger", "-o", str(tmp_path / "missing" / "x.xlsx"), "--org", "ZB01")
    with pytest.raises(CommandError, match=r"r\.csv：不支持的文件类型，请用 \.xlsx"):
        call_command("export_roster", "-o", str(tmp_path / "r.csv"))
    assert list(tmp_path.iterdir()) == []


def test_export_has_the_columns_offices_use(tree, problem, measure, tmp_path):
    """Issue 11: 状态, 发现日期, 责任人, 整改目标 after the ten columns, from the measure."""
    measure.person, measure.target = "王敏", "年底前全部整改到位"
    measure.save(update_fields=["person", "target"])
    out = tmp_path / "ledger.xlsx"
    write_ledger_xlsx(out, export_queryset(), with_org=False)
    ws = openpyxl.load_workbook(out).active
    assert [c.value for c in ws[2]][10:] == ["状态", "发现日期", "责任人", "整改目标"]
    row = [c.value for c in ws[3]]
    found = row[11].date() if row[11] else None
    assert (row[10], found, row[12], row[13]) == (
        measure.get_status_display(), problem.found_on, "王敏", "年底前全部整改到位")

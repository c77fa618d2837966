"""The OOXML check and the workbook reader (core.reading; no database)."""

from __future__ import annotations

import tracemalloc

import openpyxl
import pytest

from taizhang.core.reading import FileRefused, OoxmlLimits, ReadError, check_ooxml, read_workbook
from taizhang.core.reading import ooxml
from taizhang.core.reading.markup import read_html_tables, read_spreadsheetml
from taizhang.core.reading.workbook import workbook_kind

from .hostile import bomb_xlsx, many_entries_xlsx, unpacked_bytes, xlsx_bytes


@pytest.fixture(scope="module")
def bomb(tmp_path_factory):
    path = tmp_path_factory.mktemp("bomb") / "计划.xlsx"
    path.write_bytes(bomb_xlsx(120))
    return path


def test_bomb_is_refused_without_unpacking(bomb):
    assert bomb.stat().st_size < 1024 * 1024
    tracemalloc.start()
    with unpacked_bytes() as unpacked, pytest.raises(FileRefused) as info:
        read_workbook(bomb)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert unpacked[0] < 1024 * 1024 and peak < 5 * 1024 * 1024
    assert str(info.value).startswith("计划.xlsx：其中的 xl/worksheets/sheet1.xml 解压后达 120 MB（单个部分上限 50 MB）")


def test_total_size_ratio_and_entries_are_each_a_reason(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(bomb_xlsx(30))
    with pytest.raises(FileRefused, match=r"^b\.xlsx：解压后达 30 MB（上限 20 MB）"):
        check_ooxml(path, limits=OoxmlLimits(max_unpacked_bytes=20 * ooxml.MB))
    with pytest.raises(FileRefused, match=r"^b\.xlsx：压缩比异常（解压后是压缩时的 \d+ 倍，上限 100 倍），可能是压缩炸弹"):
        check_ooxml(path)
    path.write_bytes(many_entries_xlsx(2500))
    with pytest.raises(FileRefused, match=r"压缩包内文件过多（25\d\d 个，上限 2000 个）"):
        check_ooxml(path)


def test_honest_files_and_non_zip_files_pass(tmp_path):
    path = tmp_path / "ok.xlsx"
    path.write_bytes(xlsx_bytes())
    check_ooxml(path)
    (tmp_path / "t.txt").write_text("一、学习")
    check_ooxml(tmp_path / "t.txt")  # not a ZIP: the reader says what it is


def test_limits_can_be_widened_for_one_run(tmp_path):
    path = tmp_path / "b.xlsx"
    path.write_bytes(bomb_xlsx(30))
    with ooxml.overridden(max_ratio=1e9):
        check_ooxml(path)
        [sheet] = read_workbook(path)
        assert sheet.rows == [(1, ["序号", "任务"]), (2, ["1", "学习"])]
    with pytest.raises(FileRefused):
        check_ooxml(path)


def test_hidden_first_sheet_is_marked(tmp_path):
    book = openpyxl.Workbook()
    choices = book.active
    choices.title = "下拉选项"
    choices.append(["党委", "党支部"])
    choices.sheet_state = "hidden"
    data = book.create_sheet("任务清单")
    data.append(["序号", "重点任务"])
    path = tmp_path / "h.xlsx"
    book.save(path)
    sheets = read_workbook(path)
    assert [(s.name, s.hidden) for s in sheets] == [("下拉选项", True), ("任务清单", False)]


HTML_XLS = """<html><head><meta http-equiv=Content-Type content="text/html; charset=gb2312"></head>
<body><table border=1>
<tr><td colspan=3>2025年工作安排</td></tr>
<tr><th>日期</th><th>序号</th><th>内容</th></tr>
<tr><td rowspan=2>周一 （12月2日）</td><td>1</td><td>1.校园植树<br>全体党员</td></tr>
<tr><td>2</td><td>2、主题党日</td></tr>
</table></body></html>"""


def test_html_saved_as_xls_is_a_table_with_its_merges():
    data = HTML_XLS.encode("gb18030")
    assert workbook_kind(data) == "html"
    [sheet] = read_html_tables(data, "导出.xls")
    assert sheet.name == "表1"
    assert sheet.rows == [
        (1, ["2025年工作安排", "2025年工作安排", "2025年工作安排"]),
        (2, ["日期", "序号", "内容"]),
        (3, ["周一 （12月2日）", "1", "1.校园植树\n全体党员"]),
        (4, ["周一 （12月2日）", "2", "2、主题党日"]),
    ]
    assert sheet.merged[(4, 0)] and (3, 0) not in sheet.merged


SPREADSHEETML = """<?xml version="1.0" encoding="UTF-8"?>
<?mso-application progid="Excel.Sheet"?>
<!DOCTYPE x [<!ENTITY boom "boom">]>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet"
 xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet" xmlns:x="urn:schemas-microsoft-com:office:excel">
 <Worksheet ss:Name="选项"><Table><Row><Cell><Data ss:Type="String">党委</Data></Cell></Row></Table>
  <WorksheetOptions xmlns="urn:schemas-microsoft-com:office:excel"><Visible>SheetHidden</Visible></WorksheetOptions>
 </Worksheet>
 <Worksheet ss:Name="清单"><Table>
  <Row><Cell><Data ss:Type="String">序号</Data></Cell><Cell><Data ss:Type="String">任务</Data></Cell>
   <Cell><Data ss:Type="String">时间</Data></Cell></Row>
  <Row><Cell ss:MergeDown="1"><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="String">&boom;学习</Data></Cell>
   <Cell><Data ss:Type="DateTime">2025-03-01T00:00:00.000</Data></Cell></Row>
  <Row><Cell ss:Index="2"><Data ss:Type="String">研讨</Data></Cell></Row>
 </Table></Worksheet>
</Workbook>"""


def test_spreadsheetml_sheets_merges_and_hidden_sheet_without_entities():
    data = SPREADSHEETML.encode()
    assert workbook_kind(data) == "spreadsheetml"
    hidden, sheet = read_spreadsheetml(data, "x.xls")
    assert (hidden.name, hidden.hidden, sheet.name, sheet.hidden) == ("选项", True, "清单", False)
    assert sheet.rows == [(1, ["序号", "任务", "时间"]), (2, ["1", "&boom;学习", "2025-03-01"]), (3, ["1", "研讨", ""])]


def test_not_a_workbook_is_one_line_naming_the_file():
    with pytest.raises(ReadError, match="^a.xls：不是 Excel 工作簿"):
        read_workbook(b"hello", "a.xls")


def test_a_bomb_that_lies_about_its_size_is_cut_at_the_stated_size(tmp_path):
    """zipfile never inflates past an entry's stated size: the parser gets 2,000 bytes and the
    CRC check calls the file damaged, in milliseconds and without the 20 MB."""
    from .hostile import lying_xlsx

    path = tmp_path / "撒谎.xlsx"
    path.write_bytes(lying_xlsx(20))
    tracemalloc.start()
    with pytest.raises(ReadError, match=r"^撒谎\.xlsx：文件已损坏或不是 Excel 工作簿.*Bad CRC-32"):
        read_workbook(path)
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert peak < 5 * 1024 * 1024


def test_the_unpacking_counter_sees_an_honest_workbook_being_read(tmp_path):
    """The counter the bomb tests rely on does count what a reader unpacks."""
    path = tmp_path / "正常.xlsx"
    path.write_bytes(xlsx_bytes())
    with unpacked_bytes() as unpacked:
        read_workbook(path)
    assert unpacked[0] > 500

"""Whole-file parsing: encodings, header layouts, .xls, every bad row reported (no database)."""

import datetime as dt
import io
from unittest import mock

import openpyxl

from taizhang.orgs.roster import parse_roster

from .helpers import HEADER, ROWS, csv_bytes, xlsx_bytes


def test_gbk_csv_with_title_row_and_extra_column():
    header = ["序号"] + HEADER + ["民族"]
    rows = [[str(i)] + r + ["汉族"] for i, r in enumerate(ROWS, start=1)]
    parsed = parse_roster(csv_bytes(rows, header, encoding="gbk", title="某某局机关党委党员花名册"), "名册.csv")
    assert parsed.errors == []
    assert parsed.source_format == "csv (gb18030)"
    assert parsed.header_row == 2
    assert [r.name for r in parsed.rows] == ["赵明远", "钱晓燕", "孙浩", "李文静"]
    first = parsed.rows[0]
    assert (first.row, first.gender, first.birth_date, first.joined_on, first.status) == (
        3, "male", dt.date(1980, 5, 1), dt.date(2005, 7, 1), "full")
    assert first.positions == [("branch", "secretary"), ("branch", "propaganda_member")]
    assert (first.branch, first.group, first.phone) == ("第1党支部", "第1党小组", "13800000001")
    assert parsed.rows[2].joined_on == dt.date(2015, 3, 1)
    assert parsed.rows[3].status == "probationary"


def test_utf8_bom_csv_with_variant_headers():
    header = ["姓名", "性别", "出生日期", "入党日期", "人员类别", "支部", "党小组", "职务", "手机号码"]
    parsed = parse_roster(b"\xef\xbb\xbf" + csv_bytes(ROWS, header), "名册.csv")
    assert parsed.errors == []
    assert parsed.source_format == "csv (utf-8-bom)"
    assert parsed.columns["birth_date"] == "出生日期"
    assert parsed.rows[0].name == "赵明远"  # the BOM is not part of the first header
    assert parsed.rows[1].phone == "13800000002"


def test_xlsx_title_row_and_merged_two_row_header():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["某某局机关党委党员花名册"])
    ws.merge_cells("A1:J1")
    ws.append(["序号", "姓名", "性别", "基本情况", None, "党员类型", "组织关系", None, "职务", "联系电话"])
    ws.append([None, None, None, "出生年月", "入党时间", None, "所在支部", "党小组", None, None])
    for col in ("A", "B", "C", "F", "I", "J"):
        ws.merge_cells(f"{col}2:{col}3")
    ws.merge_cells("D2:E2")
    ws.merge_cells("G2:H2")
    ws.append([1, "赵明远", "男", dt.datetime(1980, 5, 1), "2005.7.1", "正式党员", "第1党支部", "第1党小组",
               "书记", 13800000001])
    ws.append([2, "钱晓燕", "女", "1988年3月", 45199, "预备党员", "第2党支部", None, None, "138 0000 0002"])
    buf = io.BytesIO()
    wb.save(buf)
    parsed = parse_roster(buf.getvalue(), "名册.xlsx", today=dt.date(2024, 1, 1))
    assert parsed.errors == []
    assert parsed.source_format == "xlsx"
    assert parsed.header_row == 3
    assert set(parsed.columns) == {"name", "gender", "birth_date", "joined_on", "status", "branch", "group",
                                   "positions", "phone"}
    a, b = parsed.rows
    assert (a.row, a.name, a.birth_date, a.joined_on, a.branch, a.group, a.phone) == (
        4, "赵明远", dt.date(1980, 5, 1), dt.date(2005, 7, 1), "第1党支部", "第1党小组", "13800000001")
    assert (b.row, b.birth_date, b.joined_on, b.status, b.group, b.phone) == (
        5, dt.date(1988, 3, 1), dt.date(2023, 9, 30), "probationary", "", "13800000002")


def test_three_bad_rows_are_all_reported():
    rows = [list(r) for r in ROWS]
    rows[0][3] = "2023.13.40"
    rows[2][4] = "候补党员"
    rows[3][8] = "12345"
    parsed = parse_roster(csv_bytes(rows), "名册.csv")
    assert [str(e) for e in parsed.errors] == [
        "第 2 行 入党时间：无法识别的日期“2023.13.40”",
        "第 4 行 党员类型：无法识别的党员类型“候补党员”（应为正式党员或预备党员）",
        "第 5 行 联系电话：无法识别的电话号码“12345”",
    ]
    assert [r.name for r in parsed.rows] == ["钱晓燕"]


def test_cross_row_and_rule_checks():
    rows = [
        ["赵明远", "男", "1980.05", "1995.7.1", "正式党员", "第1党支部", "", "书记", ""],
        ["钱晓燕", "女", "1990.05", "2023.7.1", "预备党员", "第1党支部", "", "组织委员", ""],
        ["孙浩", "男", "1989.12", "2015.3.1", "正式党员", "第1党支部", "", "书记", ""],
        ["孙浩", "男", "1990.01", "2016.3.1", "正式党员", "第1党支部", "", "", ""],
        ["周一", "男", "1990.01", "2016.3.1", "正式党员", "第1党支部", "", "党小组长", ""],
    ]
    errors = [str(e) for e in parse_roster(csv_bytes(rows), "x.csv").errors]
    assert errors == [
        "第 2 行 入党时间：入党时未满十八周岁（党章第一条）",
        "第 3 行 职务：预备党员没有被选举权，不能担任委员职务（党章第七条）",
        "第 5 行：与第 4 行同名同支部，请填写联系电话以区分",
        "第 6 行 职务：担任党小组长须填写所在党小组",
    ]


def test_missing_header_and_missing_status_column():
    assert [str(e) for e in parse_roster("a,b\n1,2\n".encode(), "x.csv").errors] == [
        "未找到表头：表格前几行中应有“姓名”“党员类型”“所在支部”等列名"]
    assert [str(e) for e in parse_roster("姓名,所在支部\n张三,第1党支部\n".encode(), "x.csv").errors] == [
        "缺少“党员类型”列（正式党员/预备党员）"]
    assert [str(e) for e in parse_roster(b"", "x.csv").errors] == ["文件为空"]


def test_footer_and_blank_rows_are_skipped():
    data = csv_bytes(ROWS[:1] + [[""] * 9, ["注：本表由党委组织部填写"] + [""] * 8])
    parsed = parse_roster(data, "x.csv")
    assert parsed.errors == []
    assert [r.name for r in parsed.rows] == ["赵明远"]


def test_xlsx_dates_in_date_cells_and_serial_numbers():
    data = xlsx_bytes([["赵明远", "男", dt.datetime(1980, 5, 1), 45199, "正式党员", "第1党支部", "", "", 13800000001]])
    row = parse_roster(data, "x.xlsx", today=dt.date(2024, 1, 1)).rows[0]
    assert (row.birth_date, row.joined_on, row.phone) == (dt.date(1980, 5, 1), dt.date(2023, 9, 30), "13800000001")


class _Cell:
    def __init__(self, ctype, value):
        self.ctype, self.value = ctype, value


class _Sheet:
    """An xlrd sheet stand-in: title row merged A1:C1, header, one data row."""

    name = "Sheet1"
    merged_cells = [(0, 1, 0, 9)]

    def __init__(self):
        import xlrd

        text, num, date, empty = xlrd.XL_CELL_TEXT, xlrd.XL_CELL_NUMBER, xlrd.XL_CELL_DATE, xlrd.XL_CELL_EMPTY
        self.grid = [
            [_Cell(text, "党员花名册")] + [_Cell(empty, "")] * 8,
            [_Cell(text, h) for h in HEADER],
            [_Cell(text, "赵明远"), _Cell(text, "男"), _Cell(date, 29342.0), _Cell(text, "2005.7.1"),
             _Cell(text, "正式党员"), _Cell(text, "第1党支部"), _Cell(text, "第1党小组"), _Cell(text, "书记"),
             _Cell(num, 13800000001.0)],
        ]
        self.nrows, self.ncols = 3, 9

    def cell(self, r, c):
        return self.grid[r][c]


class _Book:
    datemode = 0

    def sheets(self):
        return [_Sheet()]


def test_xls_code_path_with_a_mocked_reader():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 504  # OLE2 signature → .xls
    with mock.patch("xlrd.open_workbook", return_value=_Book()) as opened:
        parsed = parse_roster(data, "名册.xls")
    assert opened.call_args.kwargs == {"file_contents": data, "formatting_info": True}
    assert parsed.errors == []
    assert parsed.source_format == "xls"
    assert parsed.header_row == 2
    row = parsed.rows[0]
    assert (row.row, row.name, row.birth_date, row.phone, row.positions) == (
        3, "赵明远", dt.date(1980, 5, 1), "13800000001", [("branch", "secretary")])


def test_damaged_xls_is_one_clear_error():
    data = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\x00" * 100
    errors = [str(e) for e in parse_roster(data, "x.xls").errors]
    assert len(errors) == 1 and errors[0].startswith("无法读取 .xls 文件")

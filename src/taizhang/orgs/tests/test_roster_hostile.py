"""A hostile workbook at the roster import: refused by the one OOXML check (issue 16 §3)."""

from taizhang.core.reading.tests.hostile import bomb_xlsx, unpacked_bytes
from taizhang.orgs.roster import parse_roster


def test_bomb_roster_is_refused_naming_file_and_reason():
    data = bomb_xlsx(120)
    with unpacked_bytes() as unpacked:
        errors = [str(e) for e in parse_roster(data, "花名册.xlsx").errors]
    assert unpacked[0] < 1024 * 1024  # refused from the zip's directory, not by unpacking
    assert len(errors) == 1
    assert "花名册.xlsx：其中的 xl/worksheets/sheet1.xml 解压后达 120 MB（单个部分上限 50 MB）" in errors[0]


def test_html_table_saved_as_xls_is_read():
    html = ("<html><body><table><tr><td>姓名</td><td>党员类型</td><td>所在支部</td></tr>"
            "<tr><td>张三</td><td>正式党员</td><td>第一支部</td></tr></table></body></html>")
    parsed = parse_roster(html.encode("utf-8"), "名册.xls")
    assert parsed.source_format == "xls (html)"
    assert [(r.row, r.name, r.branch) for r in parsed.rows] == [(2, "张三", "第一支部")]

"""The .docx reader: paragraphs, tables and Word automatic numbering rendered as labels."""

from __future__ import annotations

import docx
import pytest
from docx.oxml import parse_xml
from docx.oxml.ns import nsdecls

from taizhang.plans.importer.model import DocumentError
from taizhang.plans.importer.readers import read_document
from taizhang.plans.importer.readers.docx import read_docx
from taizhang.plans.importer.readers.numbering import format_number

W_DECL = nsdecls("w")


# -- builders ----------------------------------------------------------------------------
def _lvl(ilvl: int, fmt: str, text: str, start: int = 1, extra: str = "") -> str:
    return (f'<w:lvl w:ilvl="{ilvl}"><w:start w:val="{start}"/><w:numFmt w:val="{fmt}"/>'
            f'{extra}<w:lvlText w:val="{text}"/></w:lvl>')


def _numbering(abstracts: dict[int, str], nums: dict[int, str]) -> str:
    """abstracts: id -> <w:lvl> xml; nums: numId -> inner xml (abstractNumId + overrides)."""
    body = "".join(f'<w:abstractNum w:abstractNumId="{a}">{lv}</w:abstractNum>' for a, lv in abstracts.items())
    body += "".join(f'<w:num w:numId="{n}">{inner}</w:num>' for n, inner in nums.items())
    return f"<w:numbering {W_DECL}>{body}</w:numbering>"


def _set_numbering(document, xml: str) -> None:
    document.part.numbering_part._element = parse_xml(xml)


def _numbered(document, text: str, num_id: int | None = None, ilvl: int | None = None, style: str | None = None):
    paragraph = document.add_paragraph(text, style=style)
    if num_id is not None or ilvl is not None:
        inner = ""
        if ilvl is not None:
            inner += f'<w:ilvl w:val="{ilvl}"/>'
        if num_id is not None:
            inner += f'<w:numId w:val="{num_id}"/>'
        paragraph._p.get_or_add_pPr().append(parse_xml(f"<w:numPr {W_DECL}>{inner}</w:numPr>"))
    return paragraph


CHINESE_OUTLINE = {
    1: _lvl(0, "chineseCountingThousand", "%1、")
    + _lvl(1, "chineseCountingThousand", "（%2）")
    + _lvl(2, "decimal", "%3."),
}


def _texts(doc) -> list[str]:
    return [line.text for line in doc.lines]


# -- the shared sample ---------------------------------------------------------------------
def test_sample_autonumber_labels_rendered(samples_dir):
    doc = read_document(samples_dir / "plan-autonumber.docx")
    by_number = {line.number: line.text for line in doc.lines}
    assert by_number[1] == "某局机关党委党纪学习教育重点任务安排"
    assert by_number[3] == "一、总体安排"
    assert by_number[5] == "二、抓好班子学习"
    assert by_number[7] == "（一）制定学习计划"
    assert by_number[13] == "（四）讲授纪律党课"
    assert by_number[15] == "三、抓实支部学习"
    assert by_number[17] == "（一）传达部署"  # level 1 restarts under a new 三、
    assert by_number[21] == "1.支部书记领学，党员轮流交流体会。"
    assert by_number[22].startswith("2.对年老体弱")
    assert by_number[23] == "（三）开展警示教育"
    assert by_number[27] == "四、强化对照检查和整改落实"
    assert by_number[33] == "（三）健全制度"
    assert by_number[36] == "2024年4月8日"  # unnumbered lines keep their text untouched
    assert [line.number for line in doc.lines] == list(range(1, 37))
    assert doc.tables == []


# -- numbering rules -----------------------------------------------------------------------
def test_numbering_restarts_per_section_with_start_override(tmp_path):
    document = docx.Document()
    # numId 1 and 2 share abstract 1; numId 2 restarts level 2 (the "1." list) at 1.
    _set_numbering(document, _numbering(
        CHINESE_OUTLINE,
        {1: '<w:abstractNumId w:val="1"/>',
         2: '<w:abstractNumId w:val="1"/><w:lvlOverride w:ilvl="2"><w:startOverride w:val="1"/></w:lvlOverride>'},
    ))
    _numbered(document, "第一部分", 1, 0)
    _numbered(document, "甲", 1, 2)
    _numbered(document, "乙", 1, 2)
    _numbered(document, "第二部分", 1, 0)
    _numbered(document, "丙", 1, 2)  # restarted by the higher level anyway
    _numbered(document, "丁", 1, 2)
    document.add_paragraph("无编号段落")
    _numbered(document, "重新开始", 2, 2)  # a new list instance: startOverride restarts it
    _numbered(document, "第三部分", 2, 0)  # shares the abstract's level-0 counter
    path = tmp_path / "restart.docx"
    document.save(path)
    assert _texts(read_docx(path)) == [
        "一、第一部分", "1.甲", "2.乙", "二、第二部分", "1.丙", "2.丁", "无编号段落",
        "1.重新开始", "三、第三部分",
    ]


def test_numbering_without_override_continues_across_instances(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering(
        {5: _lvl(0, "decimal", "%1、")},
        {7: '<w:abstractNumId w:val="5"/>', 8: '<w:abstractNumId w:val="5"/>'},
    ))
    _numbered(document, "甲", 7, 0)
    _numbered(document, "乙", 8, 0)
    path = tmp_path / "continue.docx"
    document.save(path)
    assert _texts(read_docx(path)) == ["1、甲", "2、乙"]


def test_start_value_and_formats(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering(
        {1: _lvl(0, "chineseCounting", "第%1条", start=9)
            + _lvl(1, "decimalEnclosedCircle", "%2")
            + _lvl(2, "lowerLetter", "%3)")
            + _lvl(3, "ideographTraditional", "%4、")},
        {1: '<w:abstractNumId w:val="1"/>'},
    ))
    for text, ilvl in [("甲", 0), ("乙", 0), ("丙", 0), ("子项", 1), ("子项二", 1), ("字母", 2), ("天干", 3),
                       ("天干二", 3)]:
        _numbered(document, text, 1, ilvl)
    path = tmp_path / "formats.docx"
    document.save(path)
    assert _texts(read_docx(path)) == [
        "第九条 甲", "第十条 乙", "第十一条 丙", "①子项", "②子项二", "a)字母", "甲、天干", "乙、天干二",
    ]


def test_multi_level_text_and_legal_numbering(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering(
        {1: _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%1.%2", extra='<w:isLgl/>')},
        {1: '<w:abstractNumId w:val="1"/>'},
    ))
    _numbered(document, "总则", 1, 0)
    _numbered(document, "细则", 1, 1)
    _numbered(document, "细则二", 1, 1)
    _numbered(document, "分则", 1, 0)
    _numbered(document, "细则三", 1, 1)
    path = tmp_path / "legal.docx"
    document.save(path)
    assert _texts(read_docx(path)) == ["一、总则", "1.1 细则", "1.2 细则二", "二、分则", "2.1 细则三"]


def test_lvl_restart_zero_never_restarts(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering(
        {1: _lvl(0, "chineseCounting", "%1、") + _lvl(1, "decimal", "%2.", extra='<w:lvlRestart w:val="0"/>')},
        {1: '<w:abstractNumId w:val="1"/>'},
    ))
    for text, ilvl in [("甲", 0), ("a", 1), ("b", 1), ("乙", 0), ("c", 1)]:
        _numbered(document, text, 1, ilvl)
    path = tmp_path / "norestart.docx"
    document.save(path)
    assert _texts(read_docx(path)) == ["一、甲", "1.a", "2.b", "二、乙", "3.c"]


def test_style_linked_numbering_and_num_id_zero(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering(
        {3: _lvl(0, "chineseCountingThousand", "%1、", extra='<w:pStyle w:val="Heading1"/>')
            + _lvl(1, "chineseCountingThousand", "（%2）", extra='<w:pStyle w:val="Heading2"/>')},
        {4: '<w:abstractNumId w:val="3"/>'},
    ))
    styles = document.styles.element
    for style_id, ilvl in (("Heading1", None), ("Heading2", 1)):
        style = next(s for s in styles.iterchildren() if s.get(
            "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}styleId") == style_id)
        ilvl_xml = "" if ilvl is None else f'<w:ilvl w:val="{ilvl}"/>'
        style.get_or_add_pPr().append(parse_xml(f'<w:numPr {W_DECL}>{ilvl_xml}<w:numId w:val="4"/></w:numPr>'))
    document.add_paragraph("总体要求", style="Heading 1")
    document.add_paragraph("学习", style="Heading 2")
    document.add_paragraph("研讨", style="Heading 2")
    _numbered(document, "不编号的标题", 0, None, style="Heading 1")  # numId 0 switches it off
    document.add_paragraph("主要措施", style="Heading 1")
    document.add_paragraph("整改", style="Heading 2")
    path = tmp_path / "styles.docx"
    document.save(path)
    assert _texts(read_docx(path)) == [
        "一、总体要求", "（一）学习", "（二）研讨", "不编号的标题", "二、主要措施", "（一）整改",
    ]


def test_bullets_get_no_label(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering({1: _lvl(0, "bullet", "\uf0b7")}, {1: '<w:abstractNumId w:val="1"/>'}))
    _numbered(document, "要点", 1, 0)
    path = tmp_path / "bullets.docx"
    document.save(path)
    assert _texts(read_docx(path)) == ["要点"]


def test_numbered_table_cells_and_merges(tmp_path):
    document = docx.Document()
    _set_numbering(document, _numbering(
        {1: _lvl(0, "decimal", "%1.")}, {1: '<w:abstractNumId w:val="1"/>'}))
    document.add_paragraph("任务分解表")
    table = document.add_table(rows=4, cols=3)
    table.cell(0, 0).text, table.cell(0, 1).text, table.cell(0, 2).text = "任务", "措施", "时限"
    table.cell(1, 0).text = "理论学习"
    table.cell(1, 0).merge(table.cell(2, 0))  # vertical merge
    for row in (1, 2):
        cell = table.cell(row, 1)
        cell.paragraphs[0].text = ""
        _numbered_in(cell.paragraphs[0], "集中学习" if row == 1 else "个人自学")
    table.cell(1, 2).text = "9月底前"
    table.cell(2, 2).text = "每月"
    table.cell(3, 0).merge(table.cell(3, 2)).text = "注：按月报送"  # horizontal merge
    document.add_paragraph("表后文字")
    path = tmp_path / "table.docx"
    document.save(path)

    doc = read_docx(path)
    texts = [t for t in _texts(doc) if t]
    assert texts == ["任务分解表", "任务", "措施", "时限", "理论学习", "1.集中学习", "9月底前",
                     "2.个人自学", "每月", "注：按月报送", "表后文字"]
    [source] = doc.tables
    assert [cells for _, cells in source.rows] == [
        ["任务", "措施", "时限"],
        ["理论学习", "1.集中学习", "9月底前"],
        ["理论学习", "2.个人自学", "每月"],
        ["注：按月报送", "注：按月报送", "注：按月报送"],
    ]
    row_numbers = [number for number, _ in source.rows]
    assert row_numbers == [2, 5, 8, 11]  # paragraph number of each row's first paragraph
    assert source.merged == {(8, 0): True, (11, 1): True, (11, 2): True}
    assert doc.lines[-1].number == 12  # the paragraph after the table (3 cells x 3 rows + 1 + 1)


def _numbered_in(paragraph, text):
    paragraph.add_run(text)
    paragraph._p.get_or_add_pPr().append(
        parse_xml(f'<w:numPr {W_DECL}><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>'))


def test_soft_breaks_hidden_text_and_deletions(tmp_path):
    document = docx.Document()
    paragraph = document.add_paragraph("一、总体要求")
    run = paragraph.add_run()
    run.add_break()
    paragraph.add_run("二、工作安排")
    hidden = paragraph.add_run("（隐藏）")
    hidden.font.hidden = True
    paragraph._p.append(parse_xml(
        f'<w:del {W_DECL} w:id="1" w:author="a"><w:r><w:delText>删除的字</w:delText></w:r></w:del>'))
    paragraph._p.append(parse_xml(
        f'<w:ins {W_DECL} w:id="2" w:author="a"><w:r><w:t>新增的字</w:t></w:r></w:ins>'))
    path = tmp_path / "breaks.docx"
    document.save(path)
    doc = read_docx(path)
    assert [(line.number, line.text) for line in doc.lines] == [(1, "一、总体要求"), (1, "二、工作安排新增的字")]


# -- errors --------------------------------------------------------------------------------
def test_empty_docx_is_refused(tmp_path):
    path = tmp_path / "empty.docx"
    docx.Document().save(path)
    with pytest.raises(DocumentError, match=r"^empty\.docx：文档是空的"):
        read_document(path)


def test_corrupt_docx_is_refused(tmp_path):
    path = tmp_path / "broken.docx"
    path.write_bytes(b"PK\x03\x04 this is not really a zip")
    with pytest.raises(DocumentError) as info:
        read_document(path)
    assert str(info.value).startswith("broken.docx：文件已损坏或不是 Word 文档，无法读取（")
    assert "\n" not in str(info.value)


@pytest.mark.parametrize(("suffix", "kind"), [(".docx", "Word 文档"), (".xlsx", "Excel 工作簿"), (".pdf", "PDF 文件")])
@pytest.mark.parametrize("content", [b"MZ", b"MZ\x90\x00", b"MZPE"])
def test_renamed_program_is_not_a_document(tmp_path, suffix, kind, content):
    # An .exe renamed .docx (bytes that happen to decode as text) is not "a text without items".
    path = tmp_path / f"upload{suffix}"
    path.write_bytes(content)
    with pytest.raises(DocumentError) as info:
        read_document(path)
    message = str(info.value)
    assert message.startswith(f"upload{suffix}：文件已损坏或不是 {kind}（扩展名是 {suffix}，内容却不是），无法读取")
    assert "\n" not in message


# -- number formats ------------------------------------------------------------------------
@pytest.mark.parametrize(
    "n, fmt, expected",
    [
        (1, "chineseCountingThousand", "一"),
        (10, "chineseCountingThousand", "十"),
        (11, "chineseCounting", "十一"),
        (20, "chineseCounting", "二十"),
        (21, "chineseCounting", "二十一"),
        (105, "chineseCountingThousand", "一百零五"),
        (110, "chineseCountingThousand", "一百一十"),
        (1001, "chineseCountingThousand", "一千零一"),
        (10, "ideographDigital", "一〇"),
        (12, "chineseLegalSimplified", "壹拾贰"),
        (3, "ideographTraditional", "丙"),
        (1, "decimalEnclosedCircle", "①"),
        (20, "decimalEnclosedCircle", "⑳"),
        (21, "decimalEnclosedCircle", "㉑"),
        (51, "decimalEnclosedCircle", "51"),
        (2, "decimalEnclosedParen", "⑵"),
        (27, "lowerLetter", "aa"),
        (2, "upperLetter", "B"),
        (14, "upperRoman", "XIV"),
        (4, "lowerRoman", "iv"),
        (7, "decimalZero", "07"),
        (3, "decimalFullWidth", "３"),
        (5, "somethingNew", "5"),
    ],
)
def test_format_number(n, fmt, expected):
    assert format_number(n, fmt) == expected

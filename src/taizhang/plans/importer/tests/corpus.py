"""A corpus of task lists in the forms offices send (issue 16), written by generators here.

Each ``make_*`` function writes one document into a folder and returns its path. The
documents are invented (no real plan's text): tables with merged parents and sub-ids,
day-merged week schedules, yearless term schedules, bold-heading Word files, HTML and
SpreadsheetML .xls, hidden sheets, forwarding notices.
"""

from __future__ import annotations

from pathlib import Path

import docx
import openpyxl


def _sheet(path: Path, rows, merges=(), title="Sheet1", hidden_first: list | None = None) -> Path:
    book = openpyxl.Workbook()
    sheet = book.active
    if hidden_first is not None:
        sheet.title = "下拉选项"
        for row in hidden_first:
            sheet.append(row)
        sheet.sheet_state = "hidden"
        sheet = book.create_sheet(title)
    else:
        sheet.title = title
    for row in rows:
        sheet.append(list(row))
    for rng in merges:
        sheet.merge_cells(rng)
    book.save(path)
    return path


def make_year_plan(folder: Path) -> Path:
    """Title row; header not on any synonym list; projects merged down over sub-items whose
    ids sit in their own column ("6—1"); short rows; several departments in one cell."""
    rows = [
        ["某某中学2025年党建工作项目化清单"],
        ["项目序号", "项目名称", "子项编号", "细化任务", "完成节点", "责任处室", "分管领导"],
        [6, "师德师风建设", "6—1", "制定师德考核细则", "寒假前", "党办、教务处", "王校长"],
        [None, None, "6—2", "开展师德专题讲座", "每月", "德育处，工会", None],
        [None, None, "6—3", "评选师德标兵", "12月底前", "工会"],
        [7, "支部标准化建设", "7—1", "规范三会一课记录", "全年", "各支部"],
        [None, None, "7—2", "建立党员积分台账", "全年，其中目标、制度等寒假前", "组织委员"],
    ]
    return _sheet(folder / "项目化清单.xlsx", rows, merges=("A1:G1", "A3:A5", "B3:B5", "A6:A7", "B6:B7"))


def make_subids_in_seq(folder: Path) -> Path:
    """Sub-ids written in the 序号 column itself ("6-1", "6.2"), the project merged down."""
    rows = [
        ["2025年重点任务"],
        ["序号", "重点任务", "具体措施", "责任部门", "完成时限"],
        ["6-1", "理论学习", "读原著", "宣传部", "3月底前"],
        ["6-2", None, "专题研讨", "宣传部", "6月底前"],
        ["7.1", "调查研究", "确定课题", "办公室", "4月底前"],
        ["7.2", None, "形成报告", "办公室", "5月底前"],
    ]
    return _sheet(folder / "subids.xlsx", rows, merges=("A1:E1", "B3:B4", "B5:B6"))


def make_labels_in_cells(folder: Path) -> Path:
    """Sub-items numbered inside the measure cell: （一）, ②; a sub-id written twice."""
    rows = [
        ["序号", "重点任务", "具体措施", "责任单位", "完成时限"],
        [1, "组织建设", "（一）换届选举", "组织部", "2025年3月31日"],
        [None, None, "（二）发展党员", "组织部", "2025年6月30日"],
        [None, None, "（二）党员教育", "组织部", "2025年9月30日"],
        [2, "作风建设", "①整治形式主义", "纪委", "2025年10月31日"],
        [None, None, "②转变作风", "纪委", "2025年11月30日"],
    ]
    return _sheet(folder / "labels.xlsx", rows, merges=("A2:A4", "B2:B4", "A5:A6", "B5:B6"))


def make_week_schedule(folder: Path) -> Path:
    """A week's schedule: the day merged down over its rows, numbers in the content cells,
    the year only in the file name."""
    rows = [
        ["第十四周工作安排"],
        ["日期", "工作内容", "负责部门"],
        ["周一 （12月2日）", "1.校园植树", "总务处"],
        [None, "2.升旗仪式", "德育处"],
        ["周三 （12月4日）", "3、主题党日活动", "党办"],
    ]
    return _sheet(folder / "2024学年第一学期第十四周安排.xlsx", rows, merges=("A1:C1", "A3:A4"))


def make_term_schedule(folder: Path) -> Path:
    """A term schedule whose dates carry no year, crossing into January; the sheet is "2024秋"."""
    rows = [
        ["第一学期党建工作安排"],
        ["序号", "工作事项", "时间", "责任部门"],
        [1, "召开组织生活会", "12月29日", "党办"],
        [2, "开展谈心谈话", "1月上旬", "各支部"],
        [3, "年度述职评议", "12月底，1月初", "党办"],
    ]
    return _sheet(folder / "学期安排.xlsx", rows, merges=("A1:D1",), title="2024秋")


def make_yearless_schedule(folder: Path) -> Path:
    """No year anywhere: the preview must ask for it."""
    rows = [
        ["序号", "工作事项", "时间", "责任部门"],
        [1, "召开组织生活会", "12月29日", "党办"],
        [2, "开展谈心谈话", "1月上旬", "各支部"],
    ]
    return _sheet(folder / "安排.xlsx", rows)


def make_deadline_words(folder: Path) -> Path:
    rows = [
        ["2025年度党建任务"],
        ["序号", "任务", "时限", "责任单位"],
        [1, "理论学习", "每周", "各支部"],
        [2, "阵地建设", "全年", "党办"],
        [3, "课题研究", "待定", "教科室"],
        [4, "开学准备", "开学前", "总务处"],
    ]
    return _sheet(folder / "词语.xlsx", rows, merges=("A1:D1",))


def make_hidden_first_sheet(folder: Path) -> Path:
    rows = [["序号", "重点任务", "完成时限", "责任单位"], [1, "召开党委会", "2025年3月31日", "党办"]]
    return _sheet(folder / "隐藏.xlsx", rows, title="任务清单", hidden_first=[["党委"], ["党支部"]])


def make_html_xls(folder: Path) -> Path:
    """A web system's export: an HTML table saved as .xls, short rows, rowspan."""
    html = """<html><head><meta charset="gbk"></head><body><table>
<tr><td colspan="4">2025年党建工作任务</td></tr>
<tr><td>序号</td><td>项目</td><td>内容</td><td>时间</td></tr>
<tr><td rowspan="2">1</td><td rowspan="2">学习教育</td><td>集中学习</td><td>每月</td></tr>
<tr><td>个人自学</td></tr>
<tr><td>2</td><td>组织生活</td><td>民主评议党员</td><td>12月底前</td></tr>
</table></body></html>"""
    path = folder / "导出.xls"
    path.write_bytes(html.encode("gbk"))
    return path


def make_spreadsheetml_xls(folder: Path) -> Path:
    xml = """<?xml version="1.0" encoding="UTF-8"?>
<Workbook xmlns="urn:schemas-microsoft-com:office:spreadsheet" xmlns:ss="urn:schemas-microsoft-com:office:spreadsheet">
<Worksheet ss:Name="2025年任务"><Table>
<Row><Cell><Data ss:Type="String">序号</Data></Cell><Cell><Data ss:Type="String">任务</Data></Cell><Cell><Data ss:Type="String">完成时限</Data></Cell><Cell><Data ss:Type="String">责任单位</Data></Cell></Row>
<Row><Cell><Data ss:Type="Number">1</Data></Cell><Cell><Data ss:Type="String">召开党委会</Data></Cell><Cell><Data ss:Type="DateTime">2025-03-31T00:00:00.000</Data></Cell><Cell><Data ss:Type="String">党办</Data></Cell></Row>
<Row><Cell><Data ss:Type="Number">2</Data></Cell><Cell><Data ss:Type="String">开展调研</Data></Cell><Cell><Data ss:Type="String">6月底前</Data></Cell><Cell><Data ss:Type="String">各支部</Data></Cell></Row>
</Table></Worksheet></Workbook>"""
    path = folder / "xml表格.xls"
    path.write_text(xml, encoding="utf-8")
    return path


def _bold(document, text: str) -> None:
    document.add_paragraph().add_run(text).bold = True


def make_bold_word(folder: Path) -> Path:
    """Headings typed by hand in bold Normal paragraphs, no numbering; 每月31日前; a doubled dot."""
    document = docx.Document()
    _bold(document, "2025年党支部工作要点")
    document.add_paragraph("为做好今年工作，制定本要点。")
    _bold(document, "一、加强政治建设")
    _bold(document, "（一）深化理论学习")
    document.add_paragraph("各支部每月31日前报送学习记录。")
    document.add_paragraph("1..开展谈心谈话，3月底前完成。")
    _bold(document, "（二）严格组织生活")
    document.add_paragraph("每季度召开一次组织生活会。")
    _bold(document, "二、加强队伍建设")
    _bold(document, "（一）发展党员")
    document.add_paragraph("6月底前完成年度发展计划。")
    path = folder / "工作要点.docx"
    document.save(path)
    return path


def make_flat_word(folder: Path) -> Path:
    """Only bold 一、 二、 三、 headings, each with its text: they are the tasks."""
    document = docx.Document()
    _bold(document, "2025年宣传工作安排")
    for heading, body in (("一、理论武装", "每月底前组织集中学习。"), ("二、阵地管理", "6月底前完成宣传栏更新。"),
                          ("三、网络宣传", "全年持续更新公众号。")):
        _bold(document, heading)
        document.add_paragraph(body)
    path = folder / "宣传.docx"
    document.save(path)
    return path


def make_word_table(folder: Path) -> Path:
    """A task table inside a Word file, the task merged down over its measures."""
    document = docx.Document()
    document.add_paragraph("2025年组织工作任务分解表")
    table = document.add_table(rows=4, cols=4)
    for r, row in enumerate([["序号", "重点工作", "具体举措", "完成时间"],
                             ["1", "党员教育", "集中轮训", "5月底前"],
                             ["", "", "网上学习", "每周"],
                             ["2", "发展党员", "确定积极分子", "9月底前"]]):
        for c, text in enumerate(row):
            table.cell(r, c).text = text
    table.cell(1, 0).merge(table.cell(2, 0))
    table.cell(1, 1).merge(table.cell(2, 1))
    table.cell(1, 0).text = "1"
    table.cell(1, 1).text = "党员教育"
    path = folder / "分解表.docx"
    document.save(path)
    return path


def make_forwarding_word(folder: Path) -> Path:
    document = docx.Document()
    for text in ("关于转发《区委组织部2025年组织工作要点》的通知", "各党支部：",
                 "现将《区委组织部2025年组织工作要点》转发给你们，请结合实际认真贯彻落实。",
                 "1.请于3月底前报送落实方案。", "某某党委", "2025年2月10日",
                 "区委组织部2025年组织工作要点", "一、加强政治建设", "1.开展理论学习，每月底前报送学习记录。",
                 "2.召开民主生活会，12月底前完成。", "二、加强组织建设", "1.规范三会一课，每月开展。"):
        document.add_paragraph(text)
    path = folder / "转发.docx"
    document.save(path)
    return path


def make_dotted_text(folder: Path) -> Path:
    text = ("2025年支部工作计划\n一、学习教育\n1..开展集中学习，每月31日前完成。\n2．．开展个人自学，每周不少于2小时。\n"
            "二、组织生活\n1.召开组织生活会，12月底前完成。\n")
    path = folder / "计划.txt"
    path.write_text(text, encoding="utf-8")
    return path


def make_keyword_header(folder: Path) -> Path:
    """Header names on no list, read by what they say."""
    rows = [
        ["序", "活动项目名称", "活动具体内容", "时间节点", "责任年段", "联系人"],
        [1, "读书月", "师生共读一本书", "2025年4月30日", "初一年段", "李老师"],
        [2, "演讲比赛", "主题演讲", "2025年5月31日", "初二年段、初三年段", "张老师王老师"],
    ]
    return _sheet(folder / "活动.xlsx", rows)


MAKERS = [make_year_plan, make_subids_in_seq, make_labels_in_cells, make_week_schedule,
          make_term_schedule, make_yearless_schedule, make_deadline_words, make_hidden_first_sheet,
          make_html_xls, make_spreadsheetml_xls, make_bold_word, make_flat_word, make_word_table,
          make_forwarding_word, make_dotted_text, make_keyword_header]

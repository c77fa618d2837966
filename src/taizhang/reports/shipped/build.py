"""Build the shipped report templates (run after changing a layout, commit the .docx files):

    python -m taizhang.reports.shipped.build

Each template is plain python-docx with docxtpl tags (``{{ … }}``, ``{%tr for … %}`` for
table rows, ``{%p … %}`` for paragraphs), body text in 宋体 (仿宋 for long text), titles in
黑体 — LibreOffice maps them to Noto CJK when converting to PDF.
"""

from __future__ import annotations

from pathlib import Path

from docx import Document
from docx.enum.section import WD_ORIENT
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.oxml.ns import qn
from docx.shared import Cm, Pt

HERE = Path(__file__).resolve().parent


def _font(run, name: str, size: float | None = None, bold: bool = False):
    run.font.name = name
    run._element.get_or_add_rPr().get_or_add_rFonts().set(qn("w:eastAsia"), name)
    if size:
        run.font.size = Pt(size)
    run.bold = bold or None
    return run


def new_document(landscape: bool = False):
    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(11)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    else:
        section.page_width, section.page_height = Cm(21.0), Cm(29.7)
    for side in ("left_margin", "right_margin", "top_margin", "bottom_margin"):
        setattr(section, side, Cm(2.2))
    return document


def title(document, value: str, size: float = 18):
    p = document.add_paragraph()
    p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    _font(p.add_run(value), "黑体", size, bold=True)
    return p


def para(document, value: str, bold_label: str = "", center: bool = False):
    p = document.add_paragraph()
    if center:
        p.alignment = WD_ALIGN_PARAGRAPH.CENTER
    if bold_label:
        _font(p.add_run(bold_label), "黑体", bold=True)
    p.add_run(value)
    return p


def heading(document, value: str):
    p = document.add_paragraph()
    _font(p.add_run(value), "黑体", 14, bold=True)
    return p


def set_cell(cell, value: str, bold: bool = False):
    cell.text = ""
    run = cell.paragraphs[0].add_run(value)
    if bold:
        _font(run, "黑体", bold=True)


def loop_table(document, headers: list[str], loop: str, cells: list[str], empty: str = ""):
    """A table: header row, a ``{%tr for %}`` row, the row of cells, ``{%tr endfor %}``."""
    table = document.add_table(rows=4, cols=len(headers))
    table.style = "Table Grid"
    for i, header in enumerate(headers):
        set_cell(table.rows[0].cells[i], header, bold=True)
    set_cell(table.rows[1].cells[0], "{%tr " + loop + " %}")
    for i, value in enumerate(cells):
        set_cell(table.rows[2].cells[i], value)
    set_cell(table.rows[3].cells[0], "{%tr endfor %}")
    return table


def form_table(document, pairs: list[tuple[str, str, str, str]]):
    """The record book's grid: rows of (label, value, label, value); a row whose third
    item is empty spans the value over three cells."""
    table = document.add_table(rows=0, cols=4)
    table.style = "Table Grid"
    for label, value, label2, value2 in pairs:
        row = table.add_row().cells
        set_cell(row[0], label, bold=True)
        if label2:
            set_cell(row[1], value)
            set_cell(row[2], label2, bold=True)
            set_cell(row[3], value2)
        else:
            merged = row[1].merge(row[3])
            set_cell(merged, value)
    return table


def meeting():
    d = new_document()
    title(d, "{{ unit }}")
    title(d, "{{ meeting.kind }}记录", 16)
    form_table(d, [
        ("会议主题", "{{ meeting.title }}", "", ""),
        ("时间", "{{ meeting.date }} {{ meeting.time }}", "地点", "{{ meeting.place }}"),
        ("主持人", "{{ meeting.host }}", "记录人", "{{ meeting.recorder }}"),
        ("应到人数", "{{ meeting.expected }}", "实到人数", "{{ meeting.present }}"),
        ("缺席人数", "{{ meeting.absent }}", "列席人员", "{{ meeting.invitees }}"),
        ("出席人员", "{{ meeting.present_names }}", "", ""),
        ("议题", "{{ meeting.topics }}", "", ""),
    ])
    heading(d, "缺席人员及原因")
    loop_table(d, ["姓名", "情况", "原因"], "for a in absentees", ["{{ a.name }}", "{{ a.status }}", "{{ a.reason }}"])
    heading(d, "会议内容")
    para(d, "{{ meeting.minutes }}")
    heading(d, "决议事项")
    para(d, "{{ meeting.decisions }}")
    heading(d, "表决情况")
    loop_table(d, ["表决事项", "赞成", "反对", "弃权", "结果"], "for m in motions",
               ["{{ m.title }}", "{{ m.yes }}", "{{ m.no }}", "{{ m.abstain }}", "{{ m.result }}"])
    para(d, "备注：{{ meeting.notes }}")
    para(d, "")
    para(d, "主持人（签字）：________________        记录人（签字）：________________")
    para(d, "（本记录由台账系统于{{ generated_on }}生成）")
    return d


def summary():
    d = new_document()
    title(d, "{{ org }}")
    title(d, "{{ campaign.title }}工作总结", 16)
    para(d, "（{{ period }}）", center=True)
    heading(d, "一、主要工作数据")
    loop_table(d, ["指标", "数值"], "for f in figure_rows", ["{{ f.label }}", "{{ f.value }}"])
    para(d, "{% if has_survey %}群众满意度测评：共 {{ satisfaction.surveys }} 次，有效评价 {{ satisfaction.answers }} 个，"
            "满意 {{ satisfaction.satisfied }}、基本满意 {{ satisfaction.basically_satisfied }}、不满意 "
            "{{ satisfaction.dissatisfied }}，满意率 {{ satisfaction.rate }}。{% endif %}")
    heading(d, "二、重点任务完成情况")
    para(d, "{%p for s in sections %}")
    para(d, "{{ s.title }}", bold_label="")
    loop_table(d, ["编号", "任务", "完成时限", "完成情况"], "for t in s.tasks",
               ["{{ t.label }}", "{{ t.title }}", "{{ t.due }}", "{{ t.status }}"])
    para(d, "{%p endfor %}")
    heading(d, "三、各支部工作情况")
    loop_table(d, ["支部", "三会一课", "集中学习", "党课", "微党课", "谈心谈话", "意见建议", "查摆问题", "已销号"],
               "for b in branches",
               ["{{ b.name }}", "{{ b.three_one }}", "{{ b.study_sessions }}", "{{ b.lectures }}",
                "{{ b.micro_lectures }}", "{{ b.talks }}", "{{ b.suggestions }}", "{{ b.problems_found }}",
                "{{ b.problems_closed }}"])
    heading(d, "四、典型案例")
    para(d, "{%p for c in cases %}")
    para(d, "{{ loop.index }}. {{ c.title }}（{{ c.date }}）")
    para(d, "{{ c.summary }}")
    para(d, "{%p endfor %}")
    para(d, "（本总结中的数据均由台账系统按记录统计，生成于{{ generated_on }}）")
    return d


def problems():
    d = new_document(landscape=True)
    title(d, "{{ org }}问题清单{{ review_mark }}")
    para(d, "{{ period }}  问题 {{ total }} 个，其中尚无整改措施 {{ without_measures }} 个，已销号 {{ closed }} 个",
         center=True)
    loop_table(d, ["序号", "所属组织", "问题来源", "问题类别", "问题表现", "发现日期", "提出人/渠道", "措施数", "整改状态"],
               "for p in problems",
               ["{{ p.number }}", "{{ p.org }}", "{{ p.source }}", "{{ p.category }}", "{{ p.description }}",
                "{{ p.found_on }}", "{{ p.found_by }}", "{{ p.measures }}", "{{ p.status }}"])
    para(d, "（生成于{{ generated_on }}）")
    return d


def archive():
    d = new_document()
    title(d, "{{ org }}{{ year }}年度档案")
    title(d, "目  录", 16)
    loop_table(d, ["序号", "文件", "内容", "记录数"], "for f in files",
               ["{{ f.number }}", "{{ f.path }}", "{{ f.title }}", "{{ f.count }}"])
    para(d, "共 {{ total }} 项，生成于{{ generated_on }}")
    return d


def brief():
    d = new_document()
    p = title(d, "工 作 简 报", 26)
    p.runs[0].font.color.rgb = __import__("docx.shared", fromlist=["RGBColor"]).RGBColor(0xC0, 0, 0)
    para(d, "{{ unit }}                    {{ date }}", center=True)
    para(d, "{%p for item in items %}")
    heading(d, "{{ item.title }}")
    para(d, "{{ item.org }} · {{ item.kind }} · {{ item.date }}")
    para(d, "{{ item.text }}")
    para(d, "{%p for photo in item.photos %}")
    para(d, "{{ photo.image }}", center=True)
    para(d, "{%p endfor %}")
    para(d, "{%p endfor %}")
    para(d, "（本期共 {{ count }} 条）")
    return d


def dlm_report():
    d = new_document()
    title(d, "{{ unit }}")
    title(d, "关于召开{{ meeting.title }}情况的报告", 16)
    para(d, "{{ team }}于{{ meeting.date }}在{{ meeting.place }}召开{{ meeting.title }}。上级督导人员：{{ meeting.observers }}。"
            "现将有关情况报告如下。")
    heading(d, "一、会前准备情况")
    para(d, "（一）征求意见。共征求意见建议 {{ opinions.total }} 条，其中针对领导班子 {{ opinions.to_team }} 条、针对班子成员 "
            "{{ opinions.to_members }} 条，已反馈 {{ opinions.answered }} 条。")
    loop_table(d, ["征求方式", "意见数"], "for c in channels", ["{{ c.label }}", "{{ c.count }}"])
    para(d, "")
    loop_table(d, ["提出人或单位", "意见数"], "for g in givers", ["{{ g.name }}", "{{ g.count }}"])
    para(d, "（二）谈心谈话。应谈 {{ talks.needed }} 对，已谈 {{ talks.covered }} 对，覆盖率 {{ talks.rate }}；未谈：{{ talks.missing }}。")
    para(d, "（三）对照检查材料。应有 {{ exams.needed }} 份，会前审核通过 {{ exams.approved }} 份；未通过：{{ exams.missing }}。")
    heading(d, "二、会议召开情况")
    form_table(d, [
        ("应到人数", "{{ attendance.expected }}", "实到人数", "{{ attendance.present }}"),
        ("缺席人数", "{{ attendance.absent }}", "到会率", "{{ attendance.rate }}"),
        ("出席人员", "{{ attendance.present_names }}", "", ""),
        ("上级督导人员", "{{ meeting.observers }}", "", ""),
    ])
    para(d, "")
    loop_table(d, ["缺席人员", "情况", "原因"], "for a in absentees", ["{{ a.name }}", "{{ a.status }}", "{{ a.reason }}"])
    para(d, "{{ meeting.summary }}")
    heading(d, "三、批评和自我批评情况")
    para(d, "{{ criticism.speakers }} 名班子成员作对照检查发言，共提出批评意见 {{ criticism.given }} 条，收到批评意见 "
            "{{ criticism.received }} 条。")
    loop_table(d, ["班子成员", "职务", "对照检查", "收到批评（条）", "提出批评（条）", "收到的批评意见"], "for m in members",
               ["{{ m.name }}", "{{ m.title }}", "{{ m.spoke }}", "{{ m.received }}", "{{ m.given }}",
                "{{ m.received_text }}"])
    heading(d, "四、查摆的问题及整改措施")
    para(d, "会上查摆问题 {{ problem_count }} 个，制定整改措施 {{ measure_total }} 条。")
    para(d, "{%p for p in problems %}")
    para(d, "{{ loop.index }}. {{ p.description }}（{{ p.category }}）")
    para(d, "{%p for m in p.measures %}")
    para(d, "    措施：{{ m.measure }}；责任人：{{ m.person }}；时限：{{ m.deadline }}；状态：{{ m.status }}")
    para(d, "{%p endfor %}")
    para(d, "{%p endfor %}")
    para(d, "会议情况报告和会议记录于{{ meeting.reported_on }}报送上级（会后 {{ meeting.report_days }} 日）；通报范围：{{ meeting.notice_scope }}。")
    para(d, "（本报告中的数据均由台账系统按记录统计，生成于{{ generated_on }}）")
    return d


BUILDERS = {"brief": brief, "dlm-report": dlm_report, "meeting": meeting, "summary": summary, "problems": problems, "archive": archive}


def main() -> None:
    for name, builder in BUILDERS.items():
        path = HERE / f"{name}.docx"
        builder().save(path)
        print(path)


if __name__ == "__main__":
    main()

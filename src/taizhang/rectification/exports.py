"""Exports of the ledger: streamed .xlsx with merged problem cells, CSV, and Word documents.

Columns practitioners use (issue 4 §3): 序号, 问题来源, 问题表现, 整改措施, 责任领导, 责任部门,
整改时限, 整改进展, 完成情况, 是否销号, then (issue 11) 状态, 发现日期, 责任人, 整改目标 — one row per measure; 序号/问题来源/问题表现 are merged
down over a problem's measures. User text is never a formula (``core.excel.safe_value``; CSV:
``core.excel.neutralise``).

The .xlsx is an openpyxl write-only workbook (constant memory). openpyxl's write-only sheet
keeps merged ranges in memory and writes them at the end; here the ranges are spooled to a
temporary file and streamed into the sheet's ``<mergeCells>`` element, so memory stays flat
however many problems the ledger has (benchmarks/bench_rectification.py).
"""

from __future__ import annotations

import csv
import datetime as dt
from copy import copy
import tempfile
from collections.abc import Iterable, Iterator

from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Border, Font, Side
from openpyxl.utils import get_column_letter

from taizhang.core.excel import DATE_FORMAT, Column, as_text, is_formula_like, neutralise, safe_value

from .models import Rectification, RectificationStatus

COLUMNS = [
    Column("序号", 6), Column("问题来源", 12), Column("问题表现", 36), Column("整改措施", 40),
    Column("责任领导", 10), Column("责任部门", 14), Column("整改时限", 16, DATE_FORMAT),
    Column("整改进展", 36), Column("完成情况", 24), Column("是否销号", 9),
    # Issue 11: the columns offices use that the ten lack (read back by the import where it
    # has a field for them: 责任人, 整改目标).
    Column("状态", 10), Column("发现日期", 12, DATE_FORMAT), Column("责任人", 10), Column("整改目标", 30),
]
HEADERS = [c.header for c in COLUMNS]
PROBLEM_COLUMNS = (0, 1, 2)  # merged over a problem's measures
WRAPPED = {1, 2, 3, 5, 6, 7, 8, 13}  # text columns that wrap when longer than the column (6: 长期坚持（…）)
MEASURE_WRAPPED = sorted(WRAPPED - set(PROBLEM_COLUMNS))  # the ones that set a measure row's height
TITLE = "问题整改台账"


_STATUS_LABELS = dict(RectificationStatus.choices)
_KIND_WORDS = {"immediate": "立行立改", "long_term": "长期坚持"}
ROW_FIELDS = ("problem_id", "problem__number", "problem__source__name", "problem__description", "measure",
              "leader_name", "department", "department_org__name", "deadline", "kind", "progress",
              "completion_note", "status", "problem__found_on", "person", "target")
# A ledger of several organizations gets their name after the practitioners' fourteen columns: the
# 序号 is each organization's own (models.next_problem_number), so it repeats across them.
ORG_COLUMN = Column("所属组织", 18)


def spans_several_orgs(queryset) -> bool:
    """Whether the measures of ``queryset`` belong to more than one organization (one query)."""
    return queryset.order_by().values("org_id").distinct()[:2].count() > 1


def completion_text(note: str, status: str, labels: dict | None = None) -> str:
    """完成情况: the completion note, else the status in words (``labels``: status → text,
    translated once per export instead of once per row)."""
    return note or str((labels or _STATUS_LABELS).get(status, status))


def deadline_cell(deadline, kind: str):
    """整改时限 cell: a real date; 立行立改 / 长期坚持 without one; 长期坚持（date） for a
    long-term measure's milestone (read back by the import)."""
    if deadline is None:
        return _KIND_WORDS.get(kind, "")
    if kind == "long_term":
        return f"长期坚持（{deadline.isoformat()}）"
    return deadline


def ledger_rows(queryset, with_org: bool = False) -> Iterator[tuple[int, list]]:
    """(problem id, the 14 cells — 15 with the organization's name when ``with_org``) per
    measure of ``queryset`` (ordered problem by problem, see ``ledger.export_queryset``),
    read as tuples in chunks; 序号 is the problem's stored number."""
    fields = ROW_FIELDS + ("problem__org__name",) if with_org else ROW_FIELDS
    labels = {status: str(label) for status, label in _STATUS_LABELS.items()}
    for (problem_id, number, source, description, measure, leader, department, department_org, deadline, kind,
         progress, note, status, found_on, person, target, *org) in queryset.values_list(*fields).iterator(chunk_size=2000):
        yield problem_id, [number, source, description, measure, leader, department or department_org or "",
                           deadline_cell(deadline, kind), progress, completion_text(note, status, labels),
                           "是" if status == RectificationStatus.CLOSED else "否",
                           labels.get(status, status), found_on, person, target, *org]


class _MergeSpool:
    """Merged ranges kept in a temporary file, then streamed into the sheet's XML."""

    def __init__(self):
        self.file = tempfile.TemporaryFile(mode="w+", encoding="ascii")
        self.count = 0

    def add(self, ref: str) -> None:
        self.file.write(ref + "\n")
        self.count += 1

    def install(self, sheet) -> None:
        """Make the sheet's writer emit our ranges instead of ``sheet.merged_cells``."""
        writer = sheet._writer  # created by the first append()

        def write_merged_cells():
            if not self.count:
                return
            from openpyxl.xml.functions import Element

            self.file.seek(0)
            xf = writer.xf.send(True)
            with xf.element("mergeCells", count=str(self.count)):
                for line in self.file:
                    xf.write(Element("mergeCell", ref=line.strip()))
            writer.xf.send(None)

        writer.write_merged_cells = write_merged_cells


def columns_for(queryset, with_org: bool | None = None) -> tuple[list[Column], bool]:
    """(columns, with_org): the fourteen columns, plus 所属组织 when ``with_org`` or, if it is
    None, when the ledger spans several organizations."""
    if with_org is None:
        with_org = spans_several_orgs(queryset)
    return (COLUMNS + [ORG_COLUMN] if with_org else COLUMNS), with_org


def write_ledger_xlsx(target, queryset, title: str = TITLE, with_org: bool | None = None) -> int:
    """Write the ledger of ``queryset`` to ``target`` (path or binary file): a title row, the
    header, one row per measure, problem cells merged; ``with_org``: see :func:`columns_for`.
    Returns the number of measures."""
    columns, with_org = columns_for(queryset, with_org)
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title="整改台账")
    for index, column in enumerate(columns):
        sheet.column_dimensions[get_column_letter(index + 1)].width = column.width
    # Grid lines on screen and in print instead of a border on every cell: a styled cell
    # costs openpyxl about twice a plain one, and the ledger has 14 columns per measure.
    sheet.print_options.gridLines = True
    sheet.freeze_panes = "A3"
    sheet.print_title_rows = "1:2"
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.fitToWidth = 1
    sheet.page_setup.fitToHeight = 0
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    thin = Side(style="thin")
    border = Border(left=thin, right=thin, top=thin, bottom=thin)
    wrap = Alignment(wrap_text=True, vertical="center")
    center = Alignment(horizontal="center", vertical="center", wrap_text=True)

    templates: dict = {}

    def cell(value, align=wrap, bold=False, fmt=None):
        """A cell styled like a template made once per style: openpyxl registers a style
        object on every assignment, copying the style array is ~10x cheaper."""
        key = (id(align), bold, fmt)
        template = templates.get(key)
        if template is None:
            template = WriteOnlyCell(sheet)
            template.alignment = align
            template.border = border
            if bold:
                template.font = Font(bold=True)
            if fmt:
                template.number_format = fmt
            templates[key] = template
        c = WriteOnlyCell(sheet, value=value)
        if is_formula_like(value):
            c._style = copy(template._style)
            return as_text(c)
        c._style = template._style  # shared: a write-only cell is serialised at once, never changed
        return c

    title_cell = WriteOnlyCell(sheet, value=title)
    if is_formula_like(title):
        as_text(title_cell)
    title_cell.font = Font(bold=True, size=16)
    title_cell.alignment = Alignment(horizontal="center", vertical="center")
    sheet.append([title_cell])
    spool = _MergeSpool()
    spool.install(sheet)
    last_col = get_column_letter(len(columns))
    spool.add(f"A1:{last_col}1")
    sheet.append([cell(c.header, center, bold=True) for c in columns])
    row_index = 2
    count = 0

    def flush(run: list[list]) -> None:
        """Write one problem's rows: row heights fitted to the text (write-only rows are not
        auto-sized by LibreOffice/WPS), problem cells merged when it has several measures."""
        nonlocal row_index
        if not run:
            return
        start = row_index + 1
        problem_lines = max(_lines(run[0][i], COLUMNS[i].width) for i in PROBLEM_COLUMNS)
        share = -(-problem_lines // len(run))
        for k, values in enumerate(run):
            row_index += 1
            lines = max([share] + [_lines(values[i], columns[i].width) for i in MEASURE_WRAPPED])
            if lines > 1:
                sheet.row_dimensions[row_index].height = 15 * lines
            cells = []
            for i, value in enumerate(values):
                if i in PROBLEM_COLUMNS:  # merged over the problem's measures: centred once
                    cells.append(None if k else cell(value, wrap if i == 2 else center))
                elif isinstance(value, dt.date):
                    cells.append(cell(value, center, fmt=DATE_FORMAT))
                elif i in WRAPPED and value and len(str(value)) * 2 > columns[i].width:
                    cells.append(cell(value, wrap))
                else:
                    cells.append(safe_value(sheet, value))  # short text: a plain cell, openpyxl's fast path
            sheet.append(cells)
            if lines > 1:
                del sheet.row_dimensions[row_index]  # written: keep memory flat
        if len(run) > 1:
            for col in PROBLEM_COLUMNS:
                letter = get_column_letter(col + 1)
                spool.add(f"{letter}{start}:{letter}{row_index}")

    run: list[list] = []
    run_problem = None
    for problem_id, values in ledger_rows(queryset, with_org):
        count += 1
        if problem_id != run_problem:
            flush(run)
            run, run_problem = [], problem_id
        run.append(values)
    flush(run)
    workbook.save(target)
    spool.file.close()
    return count


def _lines(value, width: float) -> int:
    """Lines a wrapped cell needs: CJK characters count two width units, others one."""
    if value is None or isinstance(value, (int, float, dt.date)):
        return 1
    total = 0
    per_line = max(int(width * 1.1) - 1, 1)
    text = str(value)
    if 2 * len(text) <= per_line and "\n" not in text:
        return 1  # short text fits whatever its characters: the common case, no counting
    for paragraph in text.split("\n"):
        # GBK byte length = display units: 2 per Chinese character, 1 per ASCII one (in C).
        units = len(paragraph.encode("gbk", errors="replace"))
        total += max(1, -(-units // per_line))
    return total


class _Echo:
    """A file that hands back what is written: lets ``csv.writer`` format one line at a time."""

    def write(self, value):
        return value


def ledger_csv_lines(queryset, with_org: bool | None = None) -> Iterator[str]:
    """The ledger as CSV lines (UTF-8 BOM first, so Excel/WPS read it as UTF-8): the header,
    then one line per measure with the problem cells repeated; ``with_org``: see
    :func:`columns_for`. Lazy: a streamed response sends each line as it is made."""
    columns, with_org = columns_for(queryset, with_org)
    writer = csv.writer(_Echo())
    yield "\ufeff" + writer.writerow([c.header for c in columns])
    for _problem_id, values in ledger_rows(queryset, with_org):
        yield writer.writerow([neutralise(v.isoformat() if isinstance(v, dt.date) else v) for v in values])


def write_ledger_csv(target, queryset, with_org: bool | None = None) -> int:
    """Write :func:`ledger_csv_lines` to ``target`` (a text file object). Returns the number
    of measures written."""
    count = -1  # the header line
    for line in ledger_csv_lines(queryset, with_org):
        target.write(line)
        count += 1
    return count


# ---- Word -------------------------------------------------------------------------------------

def _docx_base(title: str, landscape: bool = True):
    from docx import Document
    from docx.enum.section import WD_ORIENT
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    style = document.styles["Normal"]
    style.font.name = "宋体"
    style.font.size = Pt(10.5)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), "宋体")
    section = document.sections[0]
    if landscape:
        section.orientation = WD_ORIENT.LANDSCAPE
        section.page_width, section.page_height = Cm(29.7), Cm(21.0)
    for side in ("left_margin", "right_margin"):
        setattr(section, side, Cm(1.8))
    heading = document.add_paragraph()
    heading.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = heading.add_run(title)
    run.bold = True
    run.font.size = Pt(18)
    run.font.name = "黑体"
    run._element.rPr.rFonts.set(qn("w:eastAsia"), "黑体")
    return document


def _set_cell(cell, text, bold=False):
    cell.text = ""
    run = cell.paragraphs[0].add_run("" if text is None else str(text))
    run.bold = bold


def ledger_docx(queryset, title: str = "整改清单"):
    """The rectification list (整改清单) as a Word table document (python-docx ``Document``):
    one row per measure, problem cells merged vertically."""
    from django.utils import timezone

    columns, with_org = columns_for(queryset)
    document = _docx_base(title)
    document.add_paragraph(f"导出日期：{timezone.localdate():%Y年%m月%d日}")
    table = document.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for i, column in enumerate(columns):
        _set_cell(table.rows[0].cells[i], column.header, bold=True)
    start_row, last_problem = None, None
    for problem_id, values in ledger_rows(queryset, with_org):
        row = table.add_row()
        for i, value in enumerate(values):
            if i in PROBLEM_COLUMNS and problem_id == last_problem:
                continue
            _set_cell(row.cells[i], value.isoformat() if isinstance(value, dt.date) else value)
        index = len(table.rows) - 1
        if problem_id == last_problem:
            for col in PROBLEM_COLUMNS:
                table.cell(start_row, col).merge(table.cell(index, col))
        else:
            start_row, last_problem = index, problem_id
    return document


def problem_dossier_docx(problem, measures: Iterable[Rectification], events_by_measure: dict):
    """One problem's dossier (问题整改档案): the problem, each measure with every progress
    update, the status moves (verification, returns, close-out) with who, when and why."""
    from django.utils import timezone

    document = _docx_base("问题整改档案", landscape=False)
    info = document.add_table(rows=0, cols=2)
    info.style = "Table Grid"
    for label, value in [
        ("组织", problem.org.name), ("问题来源", problem.source.name),
        ("问题类别", problem.category or "—"), ("问题对象", problem.get_level_display()),
        ("发现日期", f"{problem.found_on:%Y-%m-%d}" if problem.found_on else "—"),
        ("提出人/渠道", problem.found_by or "—"), ("问题表现", problem.description),
    ]:
        row = info.add_row()
        _set_cell(row.cells[0], label, bold=True)
        _set_cell(row.cells[1], value)
    for n, rect in enumerate(measures, start=1):
        document.add_heading(f"整改措施{n}：{rect.measure}", level=2)
        facts = document.add_table(rows=0, cols=4)
        facts.style = "Table Grid"
        pairs = [("整改类型", rect.get_kind_display()), ("整改时限", rect.deadline_display or "—"),
                 ("责任领导", rect.leader_name or "—"), ("责任部门", rect.department_display or "—"),
                 ("责任人", rect.person or "—"), ("状态", rect.get_status_display()),
                 ("延期次数", str(rect.extension_count)),
                 ("销号日期", f"{rect.closed_on:%Y-%m-%d}" if rect.closed_on else "—")]
        for i in range(0, len(pairs), 2):
            row = facts.add_row()
            for j, (label, value) in enumerate(pairs[i:i + 2]):
                _set_cell(row.cells[2 * j], label, bold=True)
                _set_cell(row.cells[2 * j + 1], value)
        if rect.target:
            document.add_paragraph(f"整改目标：{rect.target}")
        document.add_paragraph("整改进展：").runs[0].bold = True
        updates = list(rect.updates.all())
        if updates:
            table = document.add_table(rows=1, cols=5)
            table.style = "Table Grid"
            for i, h in enumerate(["日期", "已开展工作", "存在困难", "下一步计划", "需要协调事项"]):
                _set_cell(table.rows[0].cells[i], h, bold=True)
            for u in updates:
                cells = table.add_row().cells
                for i, v in enumerate([f"{u.reported_on:%Y-%m-%d}", u.done, u.difficulties,
                                       u.next_step, u.help_needed]):
                    _set_cell(cells[i], v)
        else:
            document.add_paragraph("（无进展记录）")
        document.add_paragraph(f"完成情况：{rect.completion_note or '—'}")
        document.add_paragraph(f"佐证材料：{rect.evidence or '—'}")
        events = events_by_measure.get(rect.pk, [])
        if events:
            document.add_paragraph("办理过程（核验、退回、销号）：").runs[0].bold = True
            for ev in events:
                who = ev.actor.get_full_name() or ev.actor.username if ev.actor else "系统"
                state = dict(RectificationStatus.choices).get(ev.to_state, ev.to_state)
                line = f"{timezone.localtime(ev.created_at):%Y-%m-%d %H:%M} {who} {EVENT_LABELS.get(ev.verb, ev.verb)}"
                if state:
                    line += f" → {state}"
                if ev.comment:
                    line += f"：{ev.comment}"
                document.add_paragraph(line, style="List Bullet")
    return document


EVENT_LABELS = {
    "start": "开始整改", "complete": "申报完成", "verify": "核验通过", "close": "销号",
    "return_for_revision": "退回", "reopen": "重新打开", "import": "导入",
    "request_extension": "申请延期", "extend": "批准延期", "reject_extension": "不同意延期",
}

"""Task lists written as a table (an .xlsx sheet or a Word table) → a :class:`PlanDraft`.

The usual form (samples/plan-table.xlsx): a title row merged across the table, a header
序号 | 重点任务 | 具体措施 | 牵头单位 | 责任单位 | 完成时限, each task's 序号/重点任务/owner cells
merged down over its measures, and a 注： row at the end. Columns are found by their header
names (synonyms below), not by position, so extra or reordered columns are fine.

Tree built:

- one ``task`` node per 重点任务 (a new task starts where the task cell is neither covered by a
  merge nor equal to the previous row's text), label = its 序号 as written;
- one ``task`` leaf per 具体措施 row under it, labelled ``<task label>.<n>`` (the table
  writes no label for measures; "1.2" is how such lists are cited);
- without a task column every row is a task; without a measure column every task is a leaf;
- a row that starts with 注/备注/说明 is a ``note``; a row merged across the whole table
  (one text in every cell) is a ``section`` when task rows follow it, else a note.

Dates (rule source: samples/README.md, plan-table.xlsx): the year comes from the title
("2024年度…"); the period is the title's period when it states one, else that whole year.
完成时限 goes through ``dates.parse_deadline`` and ``recurrence.parse_recurrence``. A cell
naming several dates ("6月底、12月底") gets ``due`` = the earliest of them and, when they are
evenly spaced by whole months, that spacing as recurrence (6 months → ``FREQ=MONTHLY;
INTERVAL=6``, i.e. half-yearly, 12 → ``FREQ=YEARLY``): the task recurs, and its first
occurrence is due first, so the earliest date is the one to act on. When the cell has no
recurrence the measure's text may give one ("各支部每月开展1次集中学习"). A non-empty
完成时限 that yields no date, no recurrence and no "ongoing" ("每次会议") is reported as a
warning diagnostic with the row number.

Owners: 牵头单位 → ``Node.lead_unit``, 责任单位 (and 配合单位 etc.) → ``Node.responsible_units``,
``responsible`` from the responsible units, else from the lead unit
(``responsible.responsible_from_text``). ``lines`` are (first row, last row): sheet row
numbers for .xlsx, paragraph numbers for .docx tables (see the readers). Cell texts go
through ``clean.clean_line`` and titles through ``pipeline.make_title``, so a task reads the
same whether it came from a table or from numbered text.
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field
from typing import NamedTuple

from .clean import clean_line
from .dates import parse_deadline, parse_period
from .evidence import suggest_evidence
from .model import (
    KIND_NOTE,
    KIND_SECTION,
    KIND_TASK,
    LEVEL_INFO,
    LEVEL_WARNING,
    Diagnostic,
    Node,
    PlanDraft,
    SourceDocument,
    SourceTable,
)
from .pipeline import make_title
from .recurrence import parse_recurrence
from .responsible import responsible_from_text

SEQ, TASK, MEASURE, LEAD, UNITS, DEADLINE, REMARK = (
    "seq", "task", "measure", "lead", "units", "deadline", "remark")

# Header names as offices write them (whitespace and bracketed notes removed first).
HEADER_NAMES = {
    SEQ: ("序号", "编号", "序"),
    TASK: ("重点任务", "工作任务", "主要任务", "任务", "重点工作", "任务名称", "工作项目", "项目",
           "任务事项", "工作事项", "类别", "工作类别", "任务类别", "重点任务名称"),
    MEASURE: ("具体措施", "工作措施", "主要措施", "措施", "工作举措", "具体举措", "举措", "落实措施",
              "具体内容", "工作内容", "主要内容", "内容", "具体任务", "任务内容", "具体工作",
              "工作要求", "任务要求"),
    LEAD: ("牵头单位", "牵头部门", "牵头科室", "牵头领导", "牵头责任单位", "牵头"),
    UNITS: ("责任单位", "责任部门", "责任主体", "责任科室", "责任支部", "责任人", "负责单位",
            "落实单位", "实施单位", "配合单位", "配合部门", "参与单位", "协助单位"),
    DEADLINE: ("完成时限", "时间安排", "完成时间", "时间节点", "时限", "时间要求", "时间",
               "完成期限", "推进时间", "进度安排", "截止时间", "时限要求", "办结时限", "计划完成时间"),
    REMARK: ("备注", "说明"),
}
_NAME_TO_KEY = {name: key for key, names in HEADER_NAMES.items() for name in names}
_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")
_NOTE_RE = re.compile(r"^\s*(注|备注|说明|附注|附)\s*[0-9一二三四五六七八九十]*\s*[：:．.、]")
# The label of a section row: 一、 （一） 第一部分/第一章 Ⅰ、 I. (outline.py has the same styles for
# text; "第一部分" must keep its 分: a character class [部分章] once cut it to "第一部").
_SECTION_LABEL_RE = re.compile(
    r"^\s*([一二三四五六七八九十]+\s*[、.．]|（[一二三四五六七八九十]+）"
    r"|第[一二三四五六七八九十]+(?:部分|章)[、.．:：]?\s*"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,4}(?:\s*[、.．]|\s+)|[IVX]{1,6}(?:、|[.．](?![\dA-Za-z.]))(?!\s*[A-Za-z\d]))"
)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")
# How far down a header may sit (title rows, notes and blank rows above it).
HEADER_SEARCH_ROWS = 15


@dataclass
class _Columns:
    """Column indexes per key; UNITS may have several (责任单位 + 配合单位)."""

    index: dict[str, list[int]] = field(default_factory=dict)

    def get(self, cells: list[str], key: str) -> str:
        """The cleaned text of column ``key`` (several columns joined with "；")."""
        values = []
        for col in self.index.get(key, []):
            value = clean_line(cells[col]) if col < len(cells) else ""
            if value and value not in values:
                values.append(value)
        return "；".join(values)

    def has(self, key: str) -> bool:
        return key in self.index


def header_key(cell: str) -> str | None:
    """The column key a header cell names ("完成\\n时限（截止）" → "deadline"), or None."""
    name = _BRACKETS.sub("", re.sub(r"[\s\u3000*＊]+", "", cell or ""))
    return _NAME_TO_KEY.get(name)


class Header(NamedTuple):
    """Where a task table's header is: indexes into ``table.rows`` (first and last header
    row) and the columns it names."""

    first: int
    last: int
    columns: _Columns


def find_header(table: SourceTable) -> Header | None:
    """Locate the header of a task table, or None when ``table`` is not one.

    A task table's header names a task or measure column and at least one of lead unit,
    responsible units or deadline. Among the first rows the one naming most columns wins;
    header-like rows right above and below it (the other row of a two-row header, or merged
    header cells copied down) are part of the header, the lower row naming the column.
    """
    best: tuple[int, int] | None = None
    for i, (_row_no, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        keys = {header_key(c) for c in cells} - {None}
        if not (keys & {TASK, MEASURE}) or not (keys & {LEAD, UNITS, DEADLINE}):
            continue
        if best is None or len(keys) > best[1]:
            best = (i, len(keys))
    if best is None:
        return None
    start = end = best[0]
    while start > 0 and _is_header_like(table.rows[start - 1][1]):
        start -= 1
    while end + 1 < len(table.rows) and _is_header_like(table.rows[end + 1][1]):
        end += 1
    columns = _Columns()
    for i in range(start, end + 1):
        for col, cell in enumerate(table.rows[i][1]):
            key = header_key(cell)
            if key is None:
                continue
            # A lower header row refines an upper one ("责任主体" over 牵头单位 | 责任单位).
            for other in columns.index.values():
                if col in other:
                    other.remove(col)
            columns.index.setdefault(key, [])
            if col not in columns.index[key]:
                columns.index[key].append(col)
    columns.index = {k: sorted(v) for k, v in columns.index.items() if v}
    for key in (SEQ, TASK, MEASURE, LEAD, DEADLINE, REMARK):
        if key in columns.index:
            columns.index[key] = columns.index[key][:1]  # the first such column is the one
    return Header(start, end, columns)


def _is_header_like(cells: list[str]) -> bool:
    return len({header_key(c) for c in cells} - {None}) >= 2


def build_from_tables(doc: SourceDocument) -> PlanDraft | None:
    """Build a plan from the task tables of ``doc``; None when no table looks like one.

    ``doc``: what a reader returned (``doc.tables`` with merged cells filled in). Every
    table whose header qualifies (:func:`find_header`) contributes its tasks, in order; the
    title, year and period come from the first one. Never raises for odd content: what
    cannot be read becomes a diagnostic with the row number.
    """
    found = [(table, header) for table in doc.tables if (header := find_header(table))]
    if not found:
        return None
    first_table, first_header = found[0]
    title, preamble = _title_and_preamble(doc, first_table, first_header.first)
    draft = PlanDraft(title=title, preamble=preamble)
    year = _year(title, preamble)
    period = parse_period(title) or parse_period(preamble)
    if period is None and year is not None:
        period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if period is not None:
        draft.period_start, draft.period_end = period
    for table, header in found:
        # Name the sheet/table in messages only when there is more than one to tell apart.
        prefix = f"{table.name}：" if len(doc.tables) > 1 else ""
        builder = _TableBuilder(table, header.columns, period, year, draft.diagnostics, prefix)
        draft.items.extend(builder.build(header.last + 1))
    return draft


def _title_and_preamble(doc: SourceDocument, table: SourceTable, header_at: int) -> tuple[str, str]:
    """Title and preamble: the texts above the header inside the table, else the document's
    lines before the table (a Word title paragraph), else the file name; the first is the title."""
    above = []
    for _row_no, cells in table.rows[:header_at]:
        text = _row_text(cells)
        if text and text not in above:
            above.append(text)
    if not above and table.rows:
        first_row = table.rows[0][0]
        above = [clean_line(line.text) for line in doc.lines if line.number < first_row and clean_line(line.text)]
    if not above:
        stem = doc.name.rsplit(".", 1)[0] if "." in doc.name else doc.name
        return stem, ""
    return above[0], "\n".join(above[1:])


def _row_text(cells: list[str]) -> str:
    """A row's distinct cleaned texts in order (a merged title counts once)."""
    seen: list[str] = []
    for cell in cells:
        cell = clean_line(cell)
        if cell and cell not in seen:
            seen.append(cell)
    return " ".join(seen)


def _year(*texts: str) -> int | None:
    for text in texts:
        match = _YEAR_RE.search(text or "")
        if match:
            return int(match.group(1))
    return None


class _TableBuilder:
    def __init__(self, table: SourceTable, columns: _Columns, period, year: int | None,
                 diagnostics: list[Diagnostic], prefix: str = ""):
        self.prefix = prefix
        self.table = table
        self.cols = columns
        self.period = period
        self.year = year
        self.diagnostics = diagnostics

    def build(self, body_from: int) -> list[Node]:
        items: list[Node] = []
        section: Node | None = None
        task: Node | None = None
        prev_task_text = prev_seq = ""
        rows = self.table.rows[body_from:]
        for i, (row_no, cells) in enumerate(rows):
            if not any(c.strip() for c in cells) or _is_header_like(cells):
                continue
            whole = self._whole_row_text(row_no, cells)
            is_note = _NOTE_RE.match(clean_line(cells[0]) if cells else "")
            if is_note or (whole and not self._task_rows_follow(rows[i + 1:])):
                text = whole or _row_text(cells)
                items.append(self._note(row_no, text))
                task, section = None, None
                continue
            if whole:
                section = self._section(row_no, whole)
                items.append(section)
                task, prev_task_text, prev_seq = None, "", ""
                continue
            siblings = section.children if section else items
            task_text = self.cols.get(cells, TASK) if self.cols.has(TASK) else ""
            measure_text = self.cols.get(cells, MEASURE) if self.cols.has(MEASURE) else ""
            if not self.cols.has(TASK) or not self.cols.has(MEASURE):
                label = self.cols.get(cells, SEQ) or str(len(siblings) + 1)
                leaf = self._task_node(row_no, cells, task_text or measure_text, label, section)
                self._fill_leaf(leaf, row_no, cells, task_text or measure_text)
                siblings.append(leaf)
                continue
            seq = self.cols.get(cells, SEQ)
            covered = self._covered(row_no, TASK)
            new_text = task_text and not covered and task_text != prev_task_text
            new_seq = seq and not self._covered(row_no, SEQ) and seq != prev_seq
            if task is None or new_text or new_seq:
                task = self._task_node(row_no, cells, task_text, seq or str(len(siblings) + 1), section)
                siblings.append(task)
                prev_task_text, prev_seq = task_text, seq
            task.lines = (task.lines[0], row_no)
            if measure_text:
                leaf = Node(label=f"{task.label}.{len(task.children) + 1}", kind=KIND_TASK,
                            title=make_title(measure_text), text=measure_text, lines=(row_no, row_no))
                self._owners(leaf, cells)
                self._fill_leaf(leaf, row_no, cells, measure_text)
                leaf.responsible = leaf.responsible or task.responsible
                task.children.append(leaf)
            elif not task.children:
                self._fill_leaf(task, row_no, cells, task.text)
        for node in items:
            if node.kind == KIND_SECTION and node.children:
                node.lines = (node.lines[0], max(c.lines[1] for c in node.children))
        return items

    # -- rows ----------------------------------------------------------------------------
    def _covered(self, row_no: int, key: str) -> bool:
        return any(self.table.merged.get((row_no, c)) for c in self.cols.index.get(key, []))

    def _whole_row_text(self, row_no: int, cells: list[str]) -> str:
        """The text of a row merged across the whole table (or with a single cell), else ""."""
        filled = [clean_line(c) for c in cells if clean_line(c)]
        width = len(cells)
        if width > 1 and len(filled) == width and len(set(filled)) == 1 and \
                all(self.table.merged.get((row_no, c)) for c in range(1, width)):
            return filled[0]
        seq_cols = self.cols.index.get(SEQ, [])
        if len(filled) == 1 and not self._has_task_value(cells) and \
                not any(c < len(cells) and cells[c].strip() for c in seq_cols):
            return filled[0]
        return ""

    def _has_task_value(self, cells: list[str]) -> bool:
        keys = (TASK, MEASURE)
        return any(self.cols.get(cells, k) for k in keys if self.cols.has(k))

    def _task_rows_follow(self, rows) -> bool:
        for row_no, cells in rows:
            if any(c.strip() for c in cells) and not self._whole_row_text(row_no, cells) \
                    and not _NOTE_RE.match(cells[0] if cells else ""):
                return True
        return False

    # -- nodes ---------------------------------------------------------------------------
    def _note(self, row_no: int, text: str) -> Node:
        match = _NOTE_RE.match(text)
        label = match.group(0).strip() if match else ""
        body = text[match.end():].strip() if match else text
        return Node(label=label, kind=KIND_NOTE, title=make_title(body), text=text, lines=(row_no, row_no))

    def _section(self, row_no: int, text: str) -> Node:
        match = _SECTION_LABEL_RE.match(text)
        label = match.group(0).strip() if match else ""
        body = text[match.end():].strip() if match else text
        node = Node(label=label, kind=KIND_SECTION, title=make_title(body), text=text, lines=(row_no, row_no))
        node.responsible = responsible_from_text(body)
        return node

    def _task_node(self, row_no: int, cells: list[str], text: str, label: str,
                   section: Node | None) -> Node:
        node = Node(label=label, kind=KIND_TASK, title=make_title(text), text=text, lines=(row_no, row_no))
        self._owners(node, cells)
        if node.responsible is None and section is not None:
            node.responsible = section.responsible  # children inherit (issue 2 §3)
        node.evidence = suggest_evidence(text) if text else None
        return node

    def _owners(self, node: Node, cells: list[str]) -> None:
        node.lead_unit = self.cols.get(cells, LEAD)
        node.responsible_units = self.cols.get(cells, UNITS)
        node.responsible = (responsible_from_text(node.responsible_units)
                            or responsible_from_text(node.lead_unit))

    def _fill_leaf(self, node: Node, row_no: int, cells: list[str], text: str) -> None:
        """Deadline, recurrence and evidence of a leaf from its 完成时限 cell and its text."""
        node.evidence = suggest_evidence(text) if text else None
        phrase = self.cols.get(cells, DEADLINE)
        recurrence = parse_recurrence(phrase) if phrase else None
        deadline = parse_deadline(phrase, period=self.period, year=self.year) if phrase else None
        if deadline is not None:
            node.ongoing = deadline.ongoing
            dates = sorted(set(deadline.dates))
            if len(dates) > 1:
                node.due = dates[0]
                # due_workday of the chosen date, from the same calendar parse_deadline uses.
                again = parse_deadline(dates[0].isoformat())
                node.due_workday = again.due_workday if again else None
                if recurrence is None:
                    rrule = _spacing_rrule(dates)
                    if rrule:
                        node.recurrence = rrule
                    else:
                        self._diag(row_no, LEVEL_INFO, f"完成时限“{phrase}”包含多个日期，"
                                                       f"已取最早的 {_cn_date(dates[0])}")
            else:
                node.due, node.due_workday = deadline.due, deadline.due_workday
        if recurrence is not None:
            node.recurrence, node.min_count = recurrence.rrule, recurrence.min_count
        elif node.recurrence is None and text:
            from_text = parse_recurrence(text)
            if from_text is not None:
                node.recurrence, node.min_count = from_text.rrule, from_text.min_count
        if phrase and deadline is None and recurrence is None:
            why = "" if (self.year or self.period) else "（标题中也没有年份）"
            self._diag(row_no, LEVEL_WARNING, f"完成时限“{phrase}”没有具体日期或周期{why}")
        if node.responsible is None and (node.lead_unit or node.responsible_units):
            owners = "；".join(x for x in (node.lead_unit, node.responsible_units) if x)
            self._diag(row_no, LEVEL_INFO, f"无法从“{owners}”判断责任层级（党委/党支部/党员）")

    def _diag(self, row_no: int, level: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(line=row_no, level=level, message=self.prefix + message))


def _cn_date(day: dt.date) -> str:
    """2024-03-05 → "2024年3月5日" (how the documents themselves write dates)."""
    return f"{day.year}年{day.month}月{day.day}日"


def _spacing_rrule(dates: list[dt.date]) -> str | None:
    """RRULE for dates evenly spaced by whole months (6 → half-yearly), else None."""
    months = [d.year * 12 + d.month for d in dates]
    gaps = {b - a for a, b in zip(months, months[1:])}
    if len(gaps) != 1:
        return None
    gap = gaps.pop()
    if gap <= 0:
        return None
    if gap == 12:
        return "FREQ=YEARLY"
    if gap == 1:
        return "FREQ=MONTHLY"
    return f"FREQ=MONTHLY;INTERVAL={gap}"

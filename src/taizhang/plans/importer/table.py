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

Tables as offices send them (issue 16 §1): columns are found by what their header says when
the name is on no list (``table_header``); a sub-id in the 序号 column ("6—2", "6-2", "6.2")
or in a second 序号 column makes the row a sub-item of task 6, and a number written at the
start of a cell ("1.校园植树", "（二）…", "①…") is the item's label, a sub-id twice is
reported; deadline words without a date (全年 → ongoing; 寒假前/开学前/待定 → flagged, see
``table_cells.term_deadline``); the year comes from the title, else the sheet or file name,
and in a term or week schedule a January after December is the next year's; when no year is
found anywhere ``PlanDraft.year_needed`` asks the preview for it once. A diagnostic on the
header row says which column was taken for what; another names the sheets read and left out.

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

from .clean import clean_line
from .clean import normalize_width
from .dates import parse_deadline, parse_period, workday_adjusted
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
from .table_cells import parent_label, split_label, term_deadline, year_from_names
from .table_header import (
    DEADLINE, LEAD, MEASURE, SEQ, SUBSEQ, TASK, UNITS, Columns, _is_header_like, find_header, header_key,
)

__all__ = ["build_from_tables", "find_header", "header_key"]

_NOTE_RE = re.compile(r"^\s*(注|备注|说明|附注|附)\s*[0-9一二三四五六七八九十]*\s*[：:．.、]")
# The label of a section row: 一、 （一） 第一部分/第一章 Ⅰ、 I. (outline.py has the same styles for
# text; "第一部分" must keep its 分: a character class [部分章] once cut it to "第一部").
_SECTION_LABEL_RE = re.compile(
    r"^\s*([一二三四五六七八九十]+\s*[、.．]|（[一二三四五六七八九十]+）"
    r"|第[一二三四五六七八九十]+(?:部分|章)[、.．:：]?\s*"
    r"|[ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫ]{1,4}(?:\s*[、.．]|\s+)|[IVX]{1,6}(?:、|[.．](?![\dA-Za-z.]))(?!\s*[A-Za-z\d]))"
)
_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})\s*年")


def build_from_tables(doc: SourceDocument, columns: dict[int, str] | None = None) -> PlanDraft | None:
    """Build a plan from the task tables of ``doc``; None when no table looks like one.

    ``doc``: what a reader returned (``doc.tables`` with merged cells filled in). Every
    table whose header qualifies (:func:`find_header`) contributes its tasks, in order; the
    title, year and period come from the first one. ``columns``: the user's roles of the
    first table's columns ({0-based index: ``overrides.ROLES`` key}, checked by
    ``overrides.check_columns``), put over what its header says; that table is then read
    even when its header names nothing known. Never raises for odd content: what cannot be
    read becomes a diagnostic with the row number; a bad override raises
    :class:`DocumentError` (``overrides.header_with_overrides``).
    """
    from .overrides import header_with_overrides, layout_of

    found = [(table, header) for table in doc.tables if (header := find_header(table))]
    if columns is not None and doc.tables:
        target = found[0][0] if found else doc.tables[0]
        chosen = header_with_overrides(target, columns, doc.name)
        found = [(target, chosen)] + [(t, h) for t, h in found if t is not target]
    if not found:
        return None
    first_table, first_header = found[0]
    title, preamble = _title_and_preamble(doc, first_table, first_header.first)
    draft = PlanDraft(title=title, preamble=preamble)
    draft.layout = layout_of(doc, first_table, first_header)
    stem = doc.name.rsplit(".", 1)[0] if "." in doc.name else doc.name
    year = _year(title, preamble)
    # A calendar year's plan ("2024年度…") lists its months in any order; a term or week
    # schedule (or one whose year only the sheet or file name gives) runs in date order, so
    # a January after December there is the next year's.
    may_roll = year is None or _SCHEDULE_RE.search(title + preamble) is not None
    year = year or year_from_names(first_table.name, stem)
    explicit = parse_period(title) or parse_period(preamble)
    period = explicit
    if period is None and year is not None:
        period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if period is not None:
        draft.period_start, draft.period_end = period
    used = {id(table) for table, _ in found}
    for table, header in found:
        # Name the sheet/table in messages only when there is more than one to tell apart.
        prefix = f"{table.name}：" if len(doc.tables) > 1 else ""
        chosen = "（按所选）" if columns is not None and table is first_table else ""
        draft.diagnostics.append(Diagnostic(
            line=table.rows[header.last][0], level=LEVEL_INFO,
            message=f"{prefix}列的识别{chosen}：{header.columns.describe()}"))
        builder = _TableBuilder(table, header.columns, explicit, year, draft.diagnostics, prefix)
        builder.may_roll = may_roll
        draft.items.extend(builder.build(header.last + 1))
    others = [t.name for t in doc.tables if id(t) not in used] + list(doc.hidden_tables)
    if len(doc.tables) > 1 or doc.hidden_tables:
        names = "、".join(f"“{t.name}”" for t, _ in found)
        rest = f"；未读取的工作表：{'、'.join(others)}" if others else ""
        draft.diagnostics.insert(0, Diagnostic(line=None, level=LEVEL_INFO, message=f"读取了工作表 {names}{rest}"))
    if year is None and explicit is None and _has_yearless_dates(draft):
        draft.year_needed = True
        draft.diagnostics.insert(0, Diagnostic(
            line=None, level=LEVEL_WARNING,
            message="表格中的日期没有写年份，标题、工作表名和文件名中也没有：请在预览中填写年份"))
    return draft


def _has_yearless_dates(draft: PlanDraft) -> bool:
    """Whether a deadline cell names a month and day that only a year would date."""
    return any(node.deadline_text and parse_deadline(node.deadline_text) is None
               and parse_deadline(node.deadline_text, year=2000) is not None for node in draft.walk())


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
    def __init__(self, table: SourceTable, columns: Columns, period, year: int | None,
                 diagnostics: list[Diagnostic], prefix: str = ""):
        self.prefix = prefix
        self.table = table
        self.cols = columns
        self.period = period
        self.year = year
        self.diagnostics = diagnostics
        # A schedule that runs from December into January: once a month 6 or more below the
        # latest seen appears, the early months are of the next year (issue 16 §1).
        self.latest_month: int | None = None
        self.rolled = False
        self.may_roll = True

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
                text = task_text or measure_text
                written, rest = split_label(text)
                seq = "" if self._covered(row_no, SEQ) else self.cols.get(cells, SEQ)
                label = self.cols.get(cells, SUBSEQ) or seq or written or str(len(siblings) + 1)
                leaf = self._task_node(row_no, cells, rest if written else text, label, section)
                leaf.text = text
                self._fill_leaf(leaf, row_no, cells, text)
                siblings.append(leaf)
                continue
            seq = self.cols.get(cells, SEQ)
            sub = self.cols.get(cells, SUBSEQ)
            if parent_label(seq):  # "6—2" in the 序号 column: a sub-item of task 6
                seq, sub = parent_label(seq), seq
            covered = self._covered(row_no, TASK)
            new_text = task_text and not covered and task_text != prev_task_text
            new_seq = seq and not self._covered(row_no, SEQ) and seq != prev_seq
            if task is None or new_text or new_seq:
                written, rest = split_label(task_text)
                task = self._task_node(row_no, cells, rest if written else task_text,
                                       seq or written or str(len(siblings) + 1), section)
                task.text = task_text
                siblings.append(task)
                prev_task_text, prev_seq = task_text, seq
            task.lines = (task.lines[0], row_no)
            if measure_text:
                written, rest = split_label(measure_text)
                label = sub or written or f"{task.label}.{len(task.children) + 1}"
                if any(child.label == label for child in task.children):
                    self._diag(row_no, LEVEL_WARNING, f"子项编号“{label}”在任务“{task.label}”下重复出现")
                leaf = Node(label=label, kind=KIND_TASK, title=make_title(rest if written else measure_text),
                            text=measure_text, lines=(row_no, row_no))
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
        node.deadline_text = phrase
        recurrence = parse_recurrence(phrase) if phrase else None
        term = term_deadline(phrase) if phrase else None
        deadline = parse_deadline(phrase, period=self.period, year=self.year) if phrase else None
        if deadline is not None:
            node.ongoing = deadline.ongoing
            dates = self._rolled(deadline.dates, phrase)
            if len(set(dates)) > 1:
                dates = sorted(set(dates))
                node.due = dates[0]
                node.due_workday = workday_adjusted(dates[0])
                rrule = _spacing_rrule(dates) if recurrence is None else None
                if rrule:
                    node.recurrence = rrule
                elif recurrence is None:
                    self._diag(row_no, LEVEL_INFO, f"完成时限“{phrase}”包含多个日期，"
                                                   f"已取最早的 {_cn_date(dates[0])}")
            elif dates:
                node.due, node.due_workday = dates[0], workday_adjusted(dates[0])
        if term is not None:
            node.ongoing = node.ongoing or term.ongoing
            if term.flag:
                self._diag(row_no, LEVEL_WARNING, f"完成时限“{phrase}”：{term.flag}，没有具体日期，请在预览中填写")
        if recurrence is not None:
            node.recurrence, node.min_count = recurrence.rrule, recurrence.min_count
        elif node.recurrence is None and text:
            from_text = parse_recurrence(text)
            if from_text is not None:
                node.recurrence, node.min_count = from_text.rrule, from_text.min_count
        if phrase and deadline is None and recurrence is None and term is None:
            why = "" if (self.year or self.period) else "（标题、工作表名和文件名中也没有年份）"
            self._diag(row_no, LEVEL_WARNING, f"完成时限“{phrase}”没有具体日期或周期{why}")
        if node.responsible is None and (node.lead_unit or node.responsible_units):
            owners = "；".join(x for x in (node.lead_unit, node.responsible_units) if x)
            self._diag(row_no, LEVEL_INFO, f"无法从“{owners}”判断责任层级（党委/党支部/党员）")

    def _rolled(self, dates: list[dt.date], phrase: str) -> list[dt.date]:
        """``dates`` (as written, in order) with the early months of a schedule that ran from
        the autumn into January moved to the next year. Only dates whose year came from the
        title/sheet/file (not written in the cell, no period stated) are moved."""
        if not self.may_roll or self.period is not None or self.year is None or _YEAR_RE.search(normalize_width(phrase)) \
                or _ISO_DATE_RE.search(phrase):
            return dates
        out = []
        for day in dates:
            if not self.rolled and self.latest_month is not None and self.latest_month - day.month >= 6:
                self.rolled = True
            if self.rolled and day.year == self.year and day.month < 7:
                day = _next_year(day)
            elif not self.rolled:
                self.latest_month = max(self.latest_month or 0, day.month)
            out.append(day)
        return out

    def _diag(self, row_no: int, level: str, message: str) -> None:
        self.diagnostics.append(Diagnostic(line=row_no, level=level, message=self.prefix + message))


_SCHEDULE_RE = re.compile(r"学期|学年|寒假|秋季|冬季|周(?:工作)?安排|第[一二三四五六七八九十\d]+周|行事历|日程")
_ISO_DATE_RE = re.compile(r"(?:19|20)\d{2}[-./]\d{1,2}")


def _next_year(day: dt.date) -> dt.date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


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
    if gap < 3 and len(dates) < 3:
        return None  # two dates a month apart ("12月底，1月初") are two steps, not a rhythm
    if gap == 12:
        return "FREQ=YEARLY"
    if gap == 1:
        return "FREQ=MONTHLY"
    return f"FREQ=MONTHLY;INTERVAL={gap}"

"""Reading an existing rectification ledger (.xlsx, also .xls/.ods via LibreOffice) into
checked rows; nothing is written here (``importer.import_ledger`` writes them).

Issue 4 §3 and DESIGN.md "Imports are atomic": the whole file is read and validated first;
any error → nothing written, and every bad row is reported with its sheet row number and
column. A dry run does everything in a transaction that is rolled back.

What the reader accepts (practitioners' ledgers as offices keep them):
- a title row (or several) above the header; the year in the title ("2023年…台账") is the
  year of deadlines written without one ("12月底前");
- a header of one or two rows, merged cells filled in by
  ``taizhang.plans.importer.readers.xlsx`` (e.g. 整改情况 merged over 整改措施 / 责任领导 /
  整改时限 / 整改进展); header names in :data:`ALIASES`;
- 序号 / 问题来源 / 问题表现 / 是否销号 merged down over a problem's measures — or repeated,
  or left blank on the following rows;
- 整改时限 as a date cell, 2023.12.31, 2023-12-31, 2023年12月31日, 12月底前 (read by
  ``taizhang.plans.importer.dates.parse_deadline``), 立行立改, 长期坚持;
- 是否销号 as 是 / 否 / 已销号 / 未销号 / √ / × (blank = 否).

Re-importing the same file creates nothing: a problem is identified by its organization and
its description (whitespace ignored), a measure by its problem and its text. A re-import may
add a progress update (new 整改进展 text) or fill blank fields; it never moves a deadline
(that is an extension request) nor a status (that is the committee's verification): such
differences are reported as warnings.
"""

from __future__ import annotations

import datetime as dt
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

from django.utils import timezone

from taizhang.core.excel import FORMULA_PREFIXES
from taizhang.core.reading.headers import normalise_header
from taizhang.orgs.models import Organization
from taizhang.plans.importer.dates import parse_deadline, year_in
from taizhang.plans.importer.model import DocumentError
from taizhang.plans.importer.readers import read_document

from .models import (
    RectificationKind,
)

# Canonical field → header texts seen in ledgers (compared without spaces and brackets).
ALIASES: dict[str, tuple[str, ...]] = {
    "number": ("序号", "编号", "问题编号", "问题序号"),
    "source": ("问题来源", "来源", "问题来源渠道"),
    "category": ("问题类别", "类别", "问题类型"),
    "description": ("问题表现", "问题描述", "存在问题", "问题内容", "具体问题", "问题", "主要问题"),
    "target": ("整改目标", "目标"),
    "measure": ("整改措施", "措施", "具体措施", "整改举措"),
    "leader": ("责任领导", "牵头领导", "分管领导", "责任领导姓名"),
    "department": ("责任部门", "责任单位", "责任部门单位", "牵头部门", "责任部门/单位"),
    "person": ("责任人",),
    "deadline": ("整改时限", "完成时限", "时限", "整改期限", "完成时间"),
    "kind": ("整改类型",),
    "progress": ("整改进展", "进展情况", "整改进展情况", "进展"),
    "completion": ("完成情况", "整改完成情况"),
    "closed": ("是否销号", "销号", "销号情况"),
    "remarks": ("备注",),
    # A ledger of several organizations (the export adds it after its fourteen columns).
    "org": ("所属组织", "所属党组织", "所属单位", "党组织名称"),
}
LABELS = {
    "number": "序号", "source": "问题来源", "category": "问题类别", "description": "问题表现",
    "target": "整改目标", "measure": "整改措施", "leader": "责任领导", "department": "责任部门",
    "person": "责任人", "deadline": "整改时限", "kind": "整改类型", "progress": "整改进展",
    "completion": "完成情况", "closed": "是否销号", "remarks": "备注", "org": "所属组织",
}
PROBLEM_FIELDS = ("number", "source", "category", "description", "remarks")
MEASURE_FIELDS = ("target", "measure", "leader", "department", "person", "deadline", "kind",
                  "progress", "completion")
YES = {"是", "已销号", "销号", "√", "✓", "✔", "y", "yes", "已完成销号"}
NO = {"", "否", "未销号", "×", "✗", "n", "no", "未", "不"}
KIND_WORDS = {"立行立改": RectificationKind.IMMEDIATE, "限期整改": RectificationKind.DEADLINE,
              "长期坚持": RectificationKind.LONG_TERM}
_NOTE_START = ("注", "说明", "填表", "备注：", "备注:")


@dataclass
class LedgerIssue:
    """An error (the import stops) or a warning (it goes on) about one row and column."""

    row: int | None
    column: str
    message: str

    def __str__(self):
        where = f"第 {self.row} 行" if self.row else "文件"
        return f"{where}{'［' + self.column + '］' if self.column else ''}：{self.message}"


@dataclass
class MeasureRow:
    row: int
    measure: str
    target: str = ""
    leader: str = ""
    department: str = ""
    person: str = ""
    kind: str = RectificationKind.DEADLINE
    deadline: dt.date | None = None
    deadline_text: str = ""
    progress: str = ""
    completion: str = ""
    closed: bool = False


@dataclass
class ProblemRow:
    row: int
    number: str
    source: str
    category: str
    description: str
    remarks: str = ""
    org_name: str = ""  # 所属组织 when the ledger has that column
    org: Organization | None = None  # resolved by import_ledger: the problem list it goes to
    measures: list[MeasureRow] = field(default_factory=list)


@dataclass
class LedgerResult:
    """Outcome of :func:`import_ledger`. With ``errors`` nothing was written; with
    ``dry_run`` the counts say what a real import would do, but nothing was kept."""

    dry_run: bool = False
    title: str = ""
    rows_read: int = 0
    problems: list[ProblemRow] = field(default_factory=list)
    problems_created: int = 0
    problems_updated: int = 0
    problems_unchanged: int = 0
    measures_created: int = 0
    measures_updated: int = 0
    measures_unchanged: int = 0
    sources_created: list[str] = field(default_factory=list)
    errors: list[LedgerIssue] = field(default_factory=list)
    warnings: list[LedgerIssue] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    def summary(self) -> str:
        prefix = "（试运行，未写入）" if self.dry_run else ""
        return (f"{prefix}读取 {self.rows_read} 行：问题 新增 {self.problems_created}、更新 "
                f"{self.problems_updated}、未变 {self.problems_unchanged}；整改措施 新增 "
                f"{self.measures_created}、更新 {self.measures_updated}、未变 {self.measures_unchanged}")


# Normalised header name → field (the shared header rules of core.reading.headers).
_NAME_TO_FIELD = {alias: name for name, aliases in ALIASES.items() for alias in aliases}
_NAME_TO_FIELD.update({alias.replace("/", ""): name for alias, name in list(_NAME_TO_FIELD.items())})


def _field_of(text: str) -> str | None:
    """The ledger field a header cell names ("整改\n时限（截止）" → "deadline"), or None."""
    name = normalise_header(text)
    return _NAME_TO_FIELD.get(name) or _NAME_TO_FIELD.get(name.replace("/", ""))


def _squash(text: str) -> str:
    """Text compared for identity: whitespace removed."""
    return "".join(text.split())


def parse_closed(text: str) -> bool | None:
    """是否销号 → True / False; None when the text is not a yes/no word."""
    value = _squash(text).lower()
    if value in YES:
        return True
    if value in NO:
        return False
    return None


def parse_deadline_cell(text: str, year: int) -> tuple[str, dt.date | None, str | None]:
    """(kind, date, error) of a 整改时限 cell; ``year`` is used when the text names none.

    "立行立改" → immediate, no date; "长期坚持" → long-term (with a date when one is written,
    its milestone); a date or a phrase such as "12月底前" → 限期整改. An Excel date serial
    typed as a number (45291) is read as a date. Blank → (限期整改, None, None).
    """
    value = _squash(text)
    if not value:
        return RectificationKind.DEADLINE, None, None
    if value.isdigit() and 30000 <= int(value) <= 60000:  # an Excel serial shown as a number
        return RectificationKind.DEADLINE, dt.date(1899, 12, 30) + dt.timedelta(days=int(value)), None
    immediate = "立行立改" in value
    found = parse_deadline(value, year=year)
    if found is None:
        if immediate:
            return RectificationKind.IMMEDIATE, None, None
        if value in KIND_WORDS:
            return KIND_WORDS[value], None, None
        return RectificationKind.DEADLINE, None, f"无法识别的整改时限“{text.strip()}”"
    if found.ongoing:
        return RectificationKind.LONG_TERM, found.due, None
    return (RectificationKind.IMMEDIATE if immediate else RectificationKind.DEADLINE), found.due, None


def _read_table(path: Path, name: str):
    doc = read_document(path)
    if not doc.tables:
        raise DocumentError(f"{name}: 没有找到表格（请上传 .xlsx 台账）")
    return doc.tables[0]


def _find_header(rows) -> tuple[int, dict[str, int], str] | None:
    """(index of the last header row, field → column, title) or None."""
    for i, (_number, cells) in enumerate(rows[:20]):
        fields = {f for f in (_field_of(c) for c in cells) if f}
        if {"description", "measure"} <= fields or ({"measure", "deadline"} <= fields and len(fields) >= 3):
            last = i
            # A second header row right below (two-row merged header)?
            if i + 1 < len(rows):
                below = {f for f in (_field_of(c) for c in rows[i + 1][1]) if f}
                if len(below) >= 2 and not any(_squash(c).isdigit() for c in rows[i + 1][1][:1]):
                    last = i + 1
            columns: dict[str, int] = {}
            for _n, header_cells in rows[i:last + 1]:
                for col, text in enumerate(header_cells):
                    name = _field_of(text)
                    if name and (name not in columns or columns[name] == col):
                        columns[name] = col
                    elif name and name in columns and rows[last][1] is header_cells:
                        columns[name] = col
            title = ""
            for _n, cells in rows[:i]:
                title = next((c for c in cells if c), "")
                if title:
                    break
            return last, columns, title
    return None


def parse_ledger(path, name: str | None = None, today: dt.date | None = None) -> LedgerResult:
    """Read and validate a ledger file (``path``: str or Path) without touching the database.

    Returns a :class:`LedgerResult` with ``problems`` (each with its measures), the number of
    data rows read, errors and warnings. Never raises for bad content.
    """
    path = Path(path)
    name = name or path.name
    today = today or timezone.localdate()
    result = LedgerResult()
    try:
        table = _read_table(path, name)
    except DocumentError as exc:
        result.errors.append(LedgerIssue(None, "", str(exc).replace(str(path), name)))
        return result
    rows = table.rows
    header = _find_header(rows)
    if header is None:
        result.errors.append(LedgerIssue(None, "", "没有找到表头：需要“问题表现”和“整改措施”两列"))
        return result
    last_header, columns, title = header
    result.title = title
    year = year_in(title) or _usual_year(rows[last_header + 1:], columns.get("deadline")) or today.year
    for required in ("description", "measure"):
        if required not in columns:
            result.errors.append(LedgerIssue(None, LABELS[required], "缺少此列"))
    if result.errors:
        return result

    def get(cells, name):
        col = columns.get(name)
        return _unneutralise(cells[col].strip()) if col is not None and col < len(cells) else ""

    # 整改时限 cells repeat ("2023.12.31", "12月底前", "长期坚持" …): each text is read once.
    deadline_cells: dict[str, tuple[str, dt.date | None, str | None]] = {}
    current: ProblemRow | None = None
    for number, cells in rows[last_header + 1:]:
        if not any(cells):
            continue
        values = {f: get(cells, f) for f in columns}
        first = next((c for c in cells if c), "")
        if first.startswith(_NOTE_START) and not values.get("measure"):
            continue  # a note under the table ("注：…")
        texts = {c.strip() for c in cells if c.strip()}
        if len(texts) == 1 and (first.startswith(_NOTE_START) or sum(1 for c in cells if c) > 2):
            continue  # a note merged across the table (every merged cell repeats its text)
        result.rows_read += 1
        desc = values.get("description", "")
        num = values.get("number", "")
        org_name = values.get("org", "")
        new_problem = bool(desc) and (current is None or _squash(desc) != _squash(current.description)
                                      or (num and num != current.number)
                                      or (org_name and org_name != current.org_name))
        if num and not desc:
            result.errors.append(LedgerIssue(number, "问题表现", "不能为空"))
            continue
        if new_problem:
            current = ProblemRow(row=number, number=num, source=values.get("source", ""),
                                 category=values.get("category", ""), description=desc,
                                 remarks=values.get("remarks", ""), org_name=org_name)
            result.problems.append(current)
        elif current is None:
            result.errors.append(LedgerIssue(number, "问题表现", "不能为空"))
            continue
        measure_text = values.get("measure", "")
        if not measure_text:
            if any(values.get(f) for f in ("leader", "deadline", "progress")):
                result.errors.append(LedgerIssue(number, "整改措施", "不能为空"))
            elif new_problem:
                result.warnings.append(LedgerIssue(number, "整改措施", "该问题没有整改措施"))
            continue
        raw_deadline = values.get("deadline", "")
        if raw_deadline not in deadline_cells:
            deadline_cells[raw_deadline] = parse_deadline_cell(raw_deadline, year)
        kind, deadline, error = deadline_cells[raw_deadline]
        if error:
            result.errors.append(LedgerIssue(number, "整改时限", error))
        elif values.get("kind") in KIND_WORDS:
            kind = KIND_WORDS[values["kind"]]
        if kind == RectificationKind.DEADLINE and deadline is None and not error:
            result.warnings.append(LedgerIssue(number, "整改时限", "未填写整改时限"))
        if deadline and raw_deadline and not re.search(r"(?:19|20)\d{2}", raw_deadline) \
                and not raw_deadline.isdigit():
            result.warnings.append(LedgerIssue(
                number, "整改时限", f"“{raw_deadline}”未写年份，按 {deadline:%Y年%m月%d日} 理解"))
        closed = parse_closed(values.get("closed", ""))
        if closed is None:
            result.errors.append(LedgerIssue(number, "是否销号",
                                             f"“{values.get('closed')}”应为 是 / 否 / 已销号"))
            closed = False
        current.measures.append(MeasureRow(
            row=number, measure=measure_text, target=values.get("target", ""),
            leader=values.get("leader", ""), department=values.get("department", ""),
            person=values.get("person", ""), kind=kind, deadline=deadline,
            deadline_text=raw_deadline, progress=values.get("progress", ""),
            completion=values.get("completion", ""), closed=closed))
    if not result.problems and not result.errors:
        result.errors.append(LedgerIssue(None, "", "表格中没有问题数据"))
    return result


def _usual_year(rows, column: int | None) -> int | None:
    """The year most deadlines of the ledger write out (2023.12.31, 2024年1月15日 …): the year of
    a deadline written without one ("12月底前") when the title names none. A backfilled 2023
    ledger imported in 2026 means 2023, not the year of the import."""
    if column is None:
        return None
    years = Counter(int(m.group()) for _n, cells in rows if column < len(cells)
                    for m in [re.search(r"(?:19|20)\d{2}", cells[column])] if m)
    return years.most_common(1)[0][0] if years else None


def _unneutralise(text: str) -> str:
    """Undo ``core.excel.neutralise`` (a leading ' before a formula character), so that an
    exported ledger imports back to the same text."""
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        return text[1:]
    return text

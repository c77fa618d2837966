"""Roster (花名册) parsing and validation: file bytes → clean rows + every error; no Django.

The columns are found by their Chinese header names (:data:`HEADER_NAMES`, common variants
included), wherever the header row is: a title row above it, a two-row header whose upper
cells are merged over the lower ones, and extra columns (序号, 民族, 学历 …) are all normal.
Every row is checked and every problem reported (DESIGN.md "Imports are atomic"); the caller
writes nothing when :attr:`ParsedRoster.errors` is not empty.

Row checks and their sources:
- 姓名 and 党员类型 are required; dates, gender, phone and posts must be recognisable
  (:mod:`.roster_values`).
- 入党时间 not before the 18th birthday month (党章 Art. 1: 年满十八岁).
- a probationary member holds no elected branch post (党章 Art. 7: no right to be elected).
- one 书记 per branch and one 党小组长 per group in the file (支部工作条例 ch.6 / Art. 13);
  a 党小组长 must name a 党小组.
- the same name twice in one branch needs distinct phone numbers (that is how re-imports
  tell namesakes apart).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from taizhang.core.reading.headers import normalise_header

from .roster_files import RosterFileError, Table, read_tables
from .roster_values import (
    BRANCH,
    GROUP,
    clean_name,
    nfkc,
    parse_date,
    parse_gender,
    parse_phone,
    parse_positions,
    parse_status,
)

NAME, GENDER, BIRTH, JOINED, STATUS, BRANCH_COL, GROUP_COL, POSITIONS, PHONE = (
    "name", "gender", "birth_date", "joined_on", "status", "branch", "group", "positions", "phone")

# Canonical header (used by the export and in messages) and accepted variants.
HEADERS = {
    NAME: "姓名", GENDER: "性别", BIRTH: "出生年月", JOINED: "入党时间", STATUS: "党员类型",
    BRANCH_COL: "所在支部", GROUP_COL: "党小组", POSITIONS: "职务", PHONE: "联系电话",
}
HEADER_NAMES = {
    NAME: ("姓名", "党员姓名", "名字"),
    GENDER: ("性别",),
    BIRTH: ("出生年月", "出生日期", "出生年月日", "出生时间", "生日", "出生年份"),
    JOINED: ("入党时间", "入党日期", "入党年月", "入党年月日", "加入党组织时间", "入党时间(预备)"),
    STATUS: ("党员类型", "人员类别", "党员类别", "党员状态", "党籍状态", "类别", "人员类型"),
    BRANCH_COL: ("所在支部", "支部", "所在党支部", "党支部", "所属支部", "所属党支部", "支部名称",
                 "所在党组织", "党组织", "所在组织"),
    GROUP_COL: ("党小组", "所在党小组", "所属党小组", "小组"),
    POSITIONS: ("职务", "党内职务", "党内职务名称"),
    PHONE: ("联系电话", "手机", "手机号", "手机号码", "电话", "电话号码", "联系方式", "移动电话"),
}
_NAME_TO_KEY = {name: key for key, names in HEADER_NAMES.items() for name in names}
_FOOTER = re.compile(r"^(注|备注|说明|填表|制表|合计|审核|负责人|联系人)")
_HEADER_SCAN_ROWS = 15


@dataclass
class RosterError:
    """One problem: ``row`` (the row number a user sees; None for the whole file), the
    ``column`` header ("" when the row as a whole is wrong) and the ``message``."""

    row: int | None
    column: str
    message: str

    def __str__(self) -> str:
        if self.row is None:
            return self.message
        if self.column:
            return f"第 {self.row} 行 {self.column}：{self.message}"
        return f"第 {self.row} 行：{self.message}"


@dataclass
class RosterRow:
    """One member as the file states it. ``positions`` are (scope, role) pairs with scope
    "branch", "group" or "committee"; ``phone`` is normalised (or masked as exported, then
    ``phone_masked``); blank cells give "" / None."""

    row: int
    name: str
    status: str
    gender: str = ""
    birth_date: dt.date | None = None
    joined_on: dt.date | None = None
    branch: str = ""
    group: str = ""
    positions: list[tuple[str, str]] = field(default_factory=list)
    phone: str = ""
    phone_masked: bool = False


@dataclass
class ParsedRoster:
    """What :func:`parse_roster` found: rows, errors, the columns present (key → header
    text as written), the header's row number and the format read."""

    rows: list[RosterRow] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)
    columns: dict[str, str] = field(default_factory=dict)
    header_row: int | None = None
    source_format: str = ""


def header_key(text: str) -> str | None:
    """The column key of a header cell ("出生日期" → "birth_date"), or None when unknown.

    Whitespace, bracketed notes ("联系电话（手机）") and marks such as ``*`` or ``：`` are ignored.
    """
    return _NAME_TO_KEY.get(normalise_header(text)) or _NAME_TO_KEY.get(re.sub(r"[\s*:：]", "", nfkc(text)))


def find_header(rows: list) -> tuple[int, int, dict[str, int], dict[str, str]] | None:
    """Locate the header in the first rows of a table.

    Returns (index of the first header row, index of the first data row, key → column index,
    key → header text) or None. A header row holds 姓名 and at least one other known
    column; the row below belongs to the header too when it holds known names and nothing
    but 姓名 (or a blank) under 姓名 — the lower half of a merged two-row header, where the
    lower name wins over the upper one of the same column.
    """
    for index, (_number, cells) in enumerate(rows[:_HEADER_SCAN_ROWS]):
        keys = [header_key(cell) for cell in cells]
        if NAME not in keys or len({k for k in keys if k}) < 2:
            continue
        name_col = keys.index(NAME)
        layers = [cells]
        if index + 1 < len(rows):
            lower = rows[index + 1][1]
            lower_keys = [header_key(cell) for cell in lower]
            under_name = lower[name_col] if name_col < len(lower) else ""
            if any(lower_keys) and (not under_name or header_key(under_name) == NAME):
                layers.insert(0, lower)
        mapping: dict[str, int] = {}
        texts: dict[str, str] = {}
        width = max(len(layer) for layer in layers)
        for col in range(width):
            for layer in layers:
                cell = layer[col] if col < len(layer) else ""
                key = header_key(cell)
                if key:
                    if key not in mapping:
                        mapping[key] = col
                        texts[key] = re.sub(r"\s+", "", nfkc(cell))
                    break
        return index, index + len(layers), mapping, texts
    return None


def parse_roster(data: bytes, filename: str = "", today: dt.date | None = None) -> ParsedRoster:
    """Parse and validate a whole roster file (bytes of .xlsx, .xls or .csv).

    Never raises for bad content: unreadable files, a missing header or missing required
    columns come back as row-less errors, bad cells as row errors; ``today`` bounds dates.
    """
    result = ParsedRoster()
    try:
        tables, result.source_format = read_tables(data, filename)
    except RosterFileError as exc:
        result.errors.append(RosterError(None, "", str(exc)))
        return result
    found = _first_table_with_header(tables)
    if found is None:
        result.errors.append(RosterError(
            None, "", "未找到表头：表格前几行中应有“姓名”“党员类型”“所在支部”等列名"))
        return result
    rows, (_start, data_start, mapping, texts) = found
    result.header_row = rows[data_start - 1][0]
    result.columns = texts
    if STATUS not in mapping:
        result.errors.append(RosterError(None, "", "缺少“党员类型”列（正式党员/预备党员）"))
        return result
    for number, cells in rows[data_start:]:
        parsed = _parse_row(number, cells, mapping, result.errors, today)
        if parsed is not None:
            result.rows.append(parsed)
    _check_across_rows(result.rows, result.errors)
    result.errors.sort(key=lambda e: (e.row or 0))
    return result


def _first_table_with_header(tables: list[Table]):
    for _name, rows in tables:
        header = find_header(rows)
        if header is not None:
            return rows, header
    return None


def _parse_row(number, cells, mapping, errors, today) -> RosterRow | None:
    def cell(key: str) -> str:
        col = mapping.get(key)
        return cells[col].strip() if col is not None and col < len(cells) else ""

    values = {key: cell(key) for key in mapping}
    if not any(values.values()):
        return None
    name = clean_name(values.get(NAME, ""))
    if name == "姓名" or (_FOOTER.match(name) and not values.get(BRANCH_COL) and not values.get(STATUS)):
        return None  # a repeated header (printed page) or a footer note
    row_errors: list[RosterError] = []

    def check(key, parser, *args):
        try:
            return parser(values.get(key, ""), *args)
        except ValueError as exc:
            row_errors.append(RosterError(number, HEADERS[key], str(exc)))
            return None

    if not name:
        row_errors.append(RosterError(number, HEADERS[NAME], "不能为空"))
    elif len(name) > 50 or re.search(r"\d", name):
        row_errors.append(RosterError(number, HEADERS[NAME], f"不是有效的姓名“{values[NAME]}”"))
    status = check(STATUS, parse_status)
    gender = check(GENDER, parse_gender) if values.get(GENDER) else ""
    birth = check(BIRTH, parse_date, today) if values.get(BIRTH) else None
    joined = check(JOINED, parse_date, today) if values.get(JOINED) else None
    phone = check(PHONE, parse_phone) if values.get(PHONE) else ("", False)
    positions = check(POSITIONS, parse_positions) if values.get(POSITIONS) else []
    branch = clean_name(values.get(BRANCH_COL, ""))
    group = clean_name(values.get(GROUP_COL, ""))
    if birth and joined:
        if joined < birth:
            row_errors.append(RosterError(number, HEADERS[JOINED], "入党时间早于出生年月"))
        elif (joined.year - birth.year) * 12 + joined.month - birth.month < 18 * 12:
            row_errors.append(RosterError(number, HEADERS[JOINED], "入党时未满十八周岁（党章第一条）"))
    if positions:
        if status == "probationary" and any(scope != GROUP for scope, _role in positions):
            row_errors.append(RosterError(
                number, HEADERS[POSITIONS], "预备党员没有被选举权，不能担任委员职务（党章第七条）"))
        if any(scope == GROUP for scope, _role in positions) and not group:
            row_errors.append(RosterError(number, HEADERS[POSITIONS], "担任党小组长须填写所在党小组"))
    errors.extend(row_errors)
    if row_errors:
        return None
    return RosterRow(
        row=number, name=name, status=status, gender=gender, birth_date=birth, joined_on=joined,
        branch=branch, group=group, positions=positions or [], phone=phone[0], phone_masked=phone[1],
    )


def _check_across_rows(rows: list[RosterRow], errors: list[RosterError]) -> None:
    """Namesakes, duplicates and single-holder posts across the whole file."""
    seen: dict[tuple[str, str], list[RosterRow]] = {}
    for row in rows:
        earlier = seen.setdefault((row.branch, row.name), [])
        for other in earlier:
            if not row.phone or not other.phone:
                errors.append(RosterError(
                    row.row, "", f"与第 {other.row} 行同名同支部，请填写联系电话以区分"))
                break
            if row.phone == other.phone:
                errors.append(RosterError(row.row, "", f"与第 {other.row} 行重复"))
                break
        earlier.append(row)
    holders: dict[tuple, RosterRow] = {}
    for row in rows:
        for scope, role in row.positions:
            if role not in ("secretary", "group_leader"):
                continue
            key = (scope, role, row.branch, row.group if scope == GROUP else "")
            if scope == BRANCH or scope == GROUP:
                if key in holders:
                    label = "书记" if role == "secretary" else "党小组长"
                    errors.append(RosterError(
                        row.row, HEADERS[POSITIONS], f"与第 {holders[key].row} 行同为{label}"))
                else:
                    holders[key] = row

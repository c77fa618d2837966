"""The user's corrections of how a table was read (issue 16 §1, §3): which sheet, and which
column holds what. Pure Python, no Django.

The preview shows the layout the importer took (:func:`layout_of`: the sheet read, the other
sheets, each header column and its role) and lets the user change it; the kept upload is then
parsed again with ``parse_file(path, columns={index: role}, sheet=name)``. Roles are the keys
of :data:`ROLES`; ``"ignore"`` leaves a column out. A bad override (a role not in
:data:`ROLES`, a column the table does not have, a sheet the workbook does not have, no task
or measure column left) raises :class:`DocumentError` naming the file and what is wrong.
"""

from __future__ import annotations

import dataclasses
import re

from taizhang.core.reading.headers import HEADER_MAX_CHARS, normalise_header

from .clean import clean_line
from .model import DocumentError, SourceDocument, SourceTable
from .table_header import (
    DEADLINE, HEADER_SEARCH_ROWS, LEAD, MEASURE, PEOPLE, REMARK, SEQ, SUBSEQ, TASK, UNITS,
    Columns, Header, find_header, header_key,
)

IGNORE = "ignore"
# Role key → its name in the preview (msgids are Chinese; the view translates them).
ROLES = {
    SEQ: "序号", SUBSEQ: "子项编号", TASK: "任务", MEASURE: "措施", DEADLINE: "完成时限",
    LEAD: "牵头单位", UNITS: "责任单位", PEOPLE: "负责人", REMARK: "备注", IGNORE: "不导入",
}
_SINGLE = (SEQ, SUBSEQ, TASK, MEASURE, LEAD, DEADLINE, REMARK)  # one column each


def check_columns(columns: dict, name: str) -> dict[int, str]:
    """``columns`` ({column index (int or digit string, 0-based): role}) checked and with
    int keys. Raises :class:`DocumentError` naming ``name`` (the file) for an index that is
    not a number or a role not in :data:`ROLES`."""
    checked: dict[int, str] = {}
    for index, role in columns.items():
        try:
            col = int(index)
        except (TypeError, ValueError):
            raise DocumentError(f"{name}：列号“{index}”不是数字") from None
        if col < 0:
            raise DocumentError(f"{name}：列号“{index}”不存在")
        if role not in ROLES:
            choices = "、".join(ROLES)
            raise DocumentError(f"{name}：第{col + 1}列的用途“{role}”无效（可选：{choices}）")
        checked[col] = role
    return checked


def select_sheet(doc: SourceDocument, sheet: str) -> SourceDocument:
    """``doc`` reduced to the workbook sheet named ``sheet`` (hidden sheets may be picked).
    Raises :class:`DocumentError` when ``doc`` is not a workbook or has no such sheet."""
    if not doc.all_tables:
        raise DocumentError(f"{doc.name}：不是 Excel 工作簿，没有可选的工作表")
    table = next((t for t in doc.all_tables if t.name == sheet), None)
    if table is None:
        names = "、".join(f"“{t.name}”" for t in doc.all_tables)
        raise DocumentError(f"{doc.name}：没有名为“{sheet}”的工作表（工作簿中有：{names}）")
    if not table.rows:
        raise DocumentError(f"{doc.name}：工作表“{sheet}”是空的")
    return dataclasses.replace(doc, lines=list(doc.table_lines.get(sheet, [])), tables=[table],
                               hidden_tables=[])


def header_with_overrides(table: SourceTable, columns: dict[int, str], name: str) -> Header:
    """The header of ``table`` with the roles of ``columns`` (checked by :func:`check_columns`)
    put over what the header cells say. Where no header is recognised, the header row is the
    first of the first rows with at least two distinct short cells. Raises
    :class:`DocumentError` for a column beyond the table's width or when no column is left as
    task or measure."""
    width = max((len(cells) for _n, cells in table.rows), default=0)
    for col in columns:
        if col >= width:
            raise DocumentError(f"{name}：第{col + 1}列不存在（“{table.name}”共 {width} 列）")
    auto = find_header(table)
    if auto is not None:
        first, last = auto.first, auto.last
        index = {key: list(cols) for key, cols in auto.columns.index.items()}
        texts = dict(auto.columns.texts)
    else:
        first = last = guess_header_row(table)
        index, texts = {}, {}
    for col, cell in enumerate(table.rows[last][1] if table.rows else []):
        texts.setdefault(col, re.sub(r"\s+", "", cell))
    for col, role in columns.items():
        for cols in index.values():
            if col in cols:
                cols.remove(col)
        if role != IGNORE:
            index.setdefault(role, []).append(col)
    index = {key: sorted(cols) for key, cols in index.items() if cols}
    for key in _SINGLE:
        if key in index:
            index[key] = index[key][:1]
    if TASK not in index and MEASURE not in index:
        raise DocumentError(f"{name}：请至少选择一列作为“任务”或“措施”")
    return Header(first, last, Columns(index=index, texts=texts))


def guess_header_row(table: SourceTable) -> int:
    """Index into ``table.rows`` of the first row (among the first rows) with at least two
    distinct non-empty cells, each short enough to be a header name; 0 when there is none
    (a title merged across the table has one distinct text and is passed over)."""
    for i, (_number, cells) in enumerate(table.rows[:HEADER_SEARCH_ROWS]):
        texts = {normalise_header(c) for c in cells} - {""}
        if len(texts) >= 2 and all(len(t) <= HEADER_MAX_CHARS for t in texts):
            return i
    return 0


def layout_of(doc: SourceDocument, table: SourceTable | None, header: Header | None) -> dict:
    """The layout the preview shows (see ``PlanDraft.layout``): the sheet read, every sheet
    of the workbook, the header row's sheet row number and each column with its role
    ("ignore" for a column taken for nothing). Without a recognised ``header`` the columns
    are those of :func:`guess_header_row`, with the roles their header cells suggest."""
    sheets = [t.name for t in doc.all_tables] or [t.name for t in doc.tables]
    if table is None or not table.rows:
        return {"sheet": table.name if table else "", "sheets": sheets, "header_row": None, "columns": []}
    if header is not None:
        at = header.last
        roles = {col: key for key, cols in header.columns.index.items() for col in cols}
    else:
        at = guess_header_row(table)
        roles = {col: key for col, cell in enumerate(table.rows[at][1]) if (key := header_key(cell))}
    columns = []
    for col, cell in enumerate(table.rows[at][1]):
        text = (header.columns.texts.get(col) if header else None) or clean_line(cell)
        columns.append({"index": col, "header": text, "role": roles.get(col, IGNORE)})
    return {"sheet": table.name, "sheets": sheets, "header_row": table.rows[at][0], "columns": columns}

"""The header of a task table: which column holds what (issue 2 §3, issue 16 §1).

A header cell is read by its exact name first (:data:`HEADER_NAMES`, the synonyms offices
use), then by what it says (:data:`KEYWORDS`): 任务/项目/事项 → task; 措施/内容/细化/举措 →
measure; 时间/时限/节点/日期 → deadline; 牵头 → lead unit; 单位/部门/处室/科室/年段/支部 →
responsible units; 负责人/领导 → people. A header naming 问题 or 整改 is a rectification
ledger's, never a task list's. The header row is found among the first rows whatever stands
above it (``core.reading.headers``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import NamedTuple

from taizhang.core.reading.headers import classify_header, find_header_row

from .clean import clean_line
from .model import SourceTable

SEQ, TASK, MEASURE, LEAD, UNITS, PEOPLE, DEADLINE, REMARK = (
    "seq", "task", "measure", "lead", "units", "people", "deadline", "remark")
SUBSEQ = "subseq"  # a second 序号 column: the sub-item ids ("6—2") of a two-level table
_LEDGER = "ledger"  # 问题/整改 columns: a rectification ledger, not a task list

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
# What a header says when its name is on no list; the first matching key wins.
KEYWORDS: tuple[tuple[str, tuple[str, ...]], ...] = (
    (_LEDGER, ("问题", "整改")),
    (SEQ, ("序号", "编号")),
    (LEAD, ("牵头",)),
    (DEADLINE, ("时间", "时限", "节点", "日期", "期限", "进度")),
    (PEOPLE, ("负责人", "领导", "责任人", "联系人", "经办人")),
    (UNITS, ("单位", "部门", "处室", "科室", "年段", "年级", "支部", "主体", "责任")),
    (MEASURE, ("措施", "内容", "细化", "举措", "要求", "子项", "安排")),
    (TASK, ("任务", "项目", "事项", "工作", "类别")),
    (REMARK, ("备注", "说明")),
)
_NAME_TO_KEY = {name: key for key, names in HEADER_NAMES.items() for name in names}
# How far down a header may sit (title rows, notes and blank rows above it).
HEADER_SEARCH_ROWS = 15
COLUMN_NAMES = {SEQ: "序号", SUBSEQ: "子项编号", TASK: "任务", MEASURE: "措施", LEAD: "牵头单位",
                UNITS: "责任单位", PEOPLE: "负责人", DEADLINE: "完成时限", REMARK: "备注"}


@dataclass
class Columns:
    """Column indexes per key; UNITS and PEOPLE may have several (责任单位 + 配合单位)."""

    index: dict[str, list[int]] = field(default_factory=dict)
    texts: dict[int, str] = field(default_factory=dict)  # column → its header as written

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

    def describe(self) -> str:
        """Which column was taken for what: "第1列“序号”→序号；第2列“工作项目”→任务…"."""
        parts = [(col, key) for key, cols in self.index.items() for col in cols]
        return "；".join(f"第{col + 1}列“{self.texts.get(col, '')}”→{COLUMN_NAMES.get(key, key)}"
                        for col, key in sorted(parts))


def _classify(cell: str) -> str | None:
    return classify_header(cell, _NAME_TO_KEY, KEYWORDS)


def header_key(cell: str) -> str | None:
    """The column key a header cell names ("完成\\n时限（截止）" → "deadline", "细化任务" →
    "measure"), or None (also for a ledger's 问题/整改 columns)."""
    key = _classify(cell)
    return None if key == _LEDGER else key


class Header(NamedTuple):
    """Where a task table's header is: indexes into ``table.rows`` (first and last header
    row) and the columns it names."""

    first: int
    last: int
    columns: Columns


def _is_task_header(keys: set[str]) -> bool:
    return _LEDGER not in keys and bool(keys & {TASK, MEASURE}) and bool(keys & {LEAD, UNITS, DEADLINE, PEOPLE})


def find_header(table: SourceTable) -> Header | None:
    """Locate the header of a task table, or None when ``table`` is not one.

    A task table's header names a task or measure column and at least one of lead unit,
    responsible units, people or deadline, and no 问题/整改 column. Among the first rows the
    one naming most columns wins; header-like rows right above and below it (the other row
    of a two-row header, or merged header cells copied down) are part of the header, the
    lower row naming the column. A second 序号 column holds sub-item ids (``SUBSEQ``); with
    two content columns and no task column, the first is the task and the second the measure.
    """
    best = find_header_row(table.rows, _classify, _is_task_header, HEADER_SEARCH_ROWS)
    if best is None:
        return None
    start = end = best[0]
    while start > 0 and _is_header_like(table.rows[start - 1][1]):
        start -= 1
    while end + 1 < len(table.rows) and _is_header_like(table.rows[end + 1][1]):
        end += 1
    columns = Columns()
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
            columns.texts[col] = re.sub(r"\s+", "", cell)
    columns.index = {k: sorted(v) for k, v in columns.index.items() if v}
    seqs = columns.index.get(SEQ, [])
    if len(seqs) > 1:
        columns.index[SUBSEQ] = [seqs[1]]
    measures = columns.index.get(MEASURE, [])
    if TASK not in columns.index and len(measures) > 1:
        columns.index[TASK], columns.index[MEASURE] = [measures[0]], [measures[1]]
    for key in (SEQ, TASK, MEASURE, LEAD, DEADLINE, REMARK):
        if key in columns.index:
            columns.index[key] = columns.index[key][:1]  # the first such column is the one
    return Header(start, end, columns)


def _is_header_like(cells: list[str]) -> bool:
    return len({header_key(c) for c in cells} - {None}) >= 2

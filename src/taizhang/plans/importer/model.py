"""Data shapes shared by every stage of the task-list importer.

Pure Python (no Django import): a reader turns a file into a :class:`SourceDocument`
(numbered lines, and tables when the source has them); the pipeline turns that into a
:class:`PlanDraft`, whose :meth:`PlanDraft.to_dict` is the JSON contract printed by
``taizhang import_plan FILE --json``.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from taizhang.core.reading.ooxml import ReadError

KIND_SECTION = "section"
KIND_TASK = "task"
KIND_NOTE = "note"
KINDS = (KIND_SECTION, KIND_TASK, KIND_NOTE)

RESPONSIBLE_COMMITTEE = "committee"
RESPONSIBLE_BRANCH = "branch"
RESPONSIBLE_MEMBER = "member"
RESPONSIBLE_LEVELS = (RESPONSIBLE_COMMITTEE, RESPONSIBLE_BRANCH, RESPONSIBLE_MEMBER)

LEVEL_ERROR = "error"
LEVEL_WARNING = "warning"
LEVEL_INFO = "info"


class DocumentError(ReadError):
    """A document that cannot be imported at all (missing, unreadable, empty, no numbered items).

    The message is one line meant for the user and names the file.
    """


@dataclass
class SourceLine:
    """One line (or paragraph) of the source as a reader sees it.

    ``number`` is 1-based: the line number of a text file, the paragraph number of a .docx
    (table cells follow in document order), the row number of a sheet.
    ``text`` already carries labels that the source renders but does not store as text
    (Word automatic numbering), so later stages never need to know the format.
    """

    number: int
    text: str


@dataclass
class SourceTable:
    """A table of a .docx or a sheet of an .xlsx, merged cells already filled in.

    ``rows`` is a list of (row number, cells) with cells as stripped strings; a cell covered
    by a merge carries the merge's value and ``merged[(row, col)]`` is True for it.
    """

    name: str
    rows: list[tuple[int, list[str]]]
    merged: dict[tuple[int, int], bool] = field(default_factory=dict)


@dataclass
class SourceDocument:
    """What a reader returns: the file name, its lines, and its tables."""

    name: str
    lines: list[SourceLine] = field(default_factory=list)
    tables: list[SourceTable] = field(default_factory=list)
    # Names of the workbook's hidden sheets that were left out (issue 16 §3).
    hidden_tables: list[str] = field(default_factory=list)
    # Every sheet of a workbook, hidden ones too, and each sheet's lines: what the user may
    # pick in the preview instead of the sheets read by default (``overrides.select_sheet``).
    all_tables: list[SourceTable] = field(default_factory=list)
    table_lines: dict[str, list[SourceLine]] = field(default_factory=dict)


@dataclass
class Diagnostic:
    """Something the importer could not understand or place; ``line`` is 1-based or None."""

    line: int | None
    level: str
    message: str

    def to_dict(self) -> dict:
        return {"line": self.line, "level": self.level, "message": self.message}


@dataclass
class Node:
    """One item of the plan tree (a section, a task or a note).

    ``lines`` is (first, last) source line numbers. ``due`` is a calendar date in
    Asia/Shanghai; ``due_workday`` is set only when ``due`` falls on a non-working day and is
    then the last working day before it. ``recurrence`` is an RFC 5545 RRULE string such as
    ``FREQ=MONTHLY``. ``evidence`` is a record-kind code from ``evidence.CODES``.
    Fields after ``children`` are kept for storage but are not part of the JSON contract.
    """

    label: str
    kind: str
    title: str
    text: str
    responsible: str | None = None
    due: dt.date | None = None
    due_workday: dt.date | None = None
    recurrence: str | None = None
    evidence: str | None = None
    lines: tuple[int, int] = (0, 0)
    children: list[Node] = field(default_factory=list)
    # Not in the JSON contract:
    min_count: int = 1
    lead_unit: str = ""
    responsible_units: str = ""
    ongoing: bool = False
    deadline_text: str = ""  # a table's 完成时限 cell as written (re-read when the year is given)

    @property
    def units(self) -> list[str]:
        """The departments named as lead and responsible units, each as written, in order
        ("党办、教务处；德育处" → ["党办", "教务处", "德育处"]; issue 16 §1)."""
        from .table_cells import split_units

        units: list[str] = []
        for text in (self.lead_unit, self.responsible_units):
            units.extend(u for u in split_units(text) if u not in units)
        return units

    def to_dict(self) -> dict:
        return {
            "label": self.label,
            "kind": self.kind,
            "title": self.title,
            "text": self.text,
            "responsible": self.responsible,
            "due": _iso(self.due),
            "due_workday": _iso(self.due_workday),
            "recurrence": self.recurrence,
            "evidence": self.evidence,
            "lines": [self.lines[0], self.lines[1]],
            "children": [child.to_dict() for child in self.children],
        }

    def walk(self):
        """Yield this node and all its descendants, depth first."""
        yield self
        for child in self.children:
            yield from child.walk()


@dataclass
class PlanDraft:
    """The importer's result: what ``import_plan --json`` prints and the preview shows."""

    title: str
    preamble: str = ""
    period_start: dt.date | None = None
    period_end: dt.date | None = None
    items: list[Node] = field(default_factory=list)
    diagnostics: list[Diagnostic] = field(default_factory=list)
    # A table's dates name no year and nothing else does: the preview asks for it (issue 16 §1).
    year_needed: bool = False
    # A table's layout as read, for the preview to show and change (``overrides.layout_of``):
    # {"sheet": name read, "sheets": [every sheet], "header_row": sheet row number,
    #  "columns": [{"index": 0-based, "header": text as written, "role": ROLES key}]}.
    # Not in the JSON contract of ``import_plan --json``.
    layout: dict | None = None

    def to_dict(self) -> dict:
        return {
            "title": self.title,
            "preamble": self.preamble,
            "period": {"start": _iso(self.period_start), "end": _iso(self.period_end)},
            "items": [node.to_dict() for node in self.items],
            "diagnostics": [d.to_dict() for d in self.diagnostics],
        }

    def walk(self):
        """Yield every node of the tree, depth first."""
        for node in self.items:
            yield from node.walk()


def _iso(value: dt.date | None) -> str | None:
    return value.isoformat() if value else None

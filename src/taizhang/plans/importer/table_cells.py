"""What the cells of a task table say beyond plain text (issue 16 §1). Pure Python.

- :func:`split_label`: a number written at the start of a content cell is the item's label
  ("1.校园植树" → ("1", "校园植树")), in any common form, sub-ids included: 6—2, 6-2, 6.2,
  （二）, (2), ①.
- :func:`parent_label`: the parent of a sub-id ("6—2" → "6").
- :func:`split_units`: several departments in one cell, as written ("党办、教务处，德育处").
- :func:`term_deadline`: the deadline words of school and office calendars that name no date:
  全年 (ongoing over the year), 寒假前 / 开学前 / 待定 (flagged: the preview asks for a date),
  and two phases "全年，其中目标、制度等寒假前" (ongoing, the phase flagged).
- :func:`year_from_names`: a year from a sheet or file name ("2024秋", "2024学年", "2024-2025").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import normalize_width

_CN = "一二三四五六七八九十"
_ENCLOSED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_DASHES = "—–－\\-‐―"
SUB_ID_RE = re.compile(rf"^(\d{{1,3}})\s*(?:[{_DASHES}]+|[.．])\s*(\d{{1,3}})(?![\d月日年号%])")
_LABEL_RE = re.compile(
    rf"^(?:(?P<sub>\d{{1,3}}\s*(?:[{_DASHES}]+|[.．])\s*\d{{1,3}})(?![\d.．月日年号%倍万亿元个人次项条天周])\s*[、.．:：]?"
    rf"|(?P<num>\d{{1,3}})\s*(?:[.．](?!\d)|、|[）)])"
    rf"|(?P<paren>[（(]\s*(?:[{_CN}]{{1,3}}|\d{{1,3}})\s*[）)])\s*[、.．]?"
    rf"|(?P<cn>[{_CN}]{{1,3}})\s*、"
    rf"|(?P<enc>[{_ENCLOSED}])\s*[、.．]?)\s*"
)


def split_label(text: str) -> tuple[str, str]:
    """(label, the rest) of a cell that starts with a number, else ("", text).

    "1.校园植树" → ("1", "校园植树"); "6—2 开展谈心谈话" → ("6—2", "开展谈心谈话");
    "（二）主题党日" → ("（二）", "主题党日"); "①学习" → ("①", "学习"). "1.5倍", "12月2日" and
    "2024年" are not labels. Labels are kept as written ("6—2", not "6-2").
    """
    match = _LABEL_RE.match(text or "")
    if match is None or match.end() >= len(text):
        return "", text
    label = next(group for group in match.groups() if group)
    return label.strip(), text[match.end():].strip()


def parent_label(label: str) -> str | None:
    """The parent number of a two-level id ("6—2", "6-2", "6.2" → "6"), else None."""
    match = SUB_ID_RE.match(normalize_width(label or "").strip())
    return match.group(1) if match else None


_UNIT_SPLIT_RE = re.compile(r"[、，,；;／/\n]+|\s{1,}")


def split_units(text: str) -> list[str]:
    """The departments named in a cell, each as written, in order, without repeats:
    "党办、教务处，德育处" → ["党办", "教务处", "德育处"]. Names run together without a
    separator stay one ("张三李四"): nothing tells where one ends."""
    units: list[str] = []
    for part in _UNIT_SPLIT_RE.split(text or ""):
        part = part.strip("：: ")
        if part and part not in units:
            units.append(part)
    return units


@dataclass
class TermDeadline:
    """A deadline word without a date: ``ongoing`` (全年), and ``flag`` — what the preview
    should ask about, or "" when nothing is left to ask."""

    ongoing: bool
    flag: str


_TERM_WORDS = {
    "寒假前": "寒假前（学校寒假开始的日期）",
    "寒假": "寒假期间",
    "暑假前": "暑假前（学校暑假开始的日期）",
    "暑假": "暑假期间",
    "开学前": "开学前（开学的日期）",
    "开学初": "开学初（开学的日期）",
    "期末": "期末（学期结束的日期）",
    "待定": "待定",
}
_TERM_RE = re.compile("|".join(sorted(map(re.escape, _TERM_WORDS), key=len, reverse=True)))
_WHOLE_YEAR_RE = re.compile(r"^(?:全年|全年度|整年|贯穿全年|全学年|全学期|本学期|常态化|长期|持续)")


def term_deadline(phrase: str) -> TermDeadline | None:
    """Read a deadline cell that names no date; None when it is not one of those words.

    "全年" → ongoing; "寒假前" → flagged "寒假前（学校寒假开始的日期）"; "待定" → flagged;
    "全年，其中目标、制度等寒假前" → ongoing with the phase "其中目标、制度等寒假前" flagged.
    """
    text = normalize_width(phrase or "").strip()
    if not text:
        return None
    whole = _WHOLE_YEAR_RE.match(text)
    term = _TERM_RE.search(text)
    if whole is None and term is None:
        return None
    if whole is not None and term is not None:
        rest = text[whole.end():].strip("，,；; ")
        return TermDeadline(ongoing=True, flag=f"分阶段：{rest}")
    if whole is not None:
        return TermDeadline(ongoing=True, flag="")
    return TermDeadline(ongoing=False, flag=_TERM_WORDS[term.group()])


_NAME_YEAR_RE = re.compile(r"(?<!\d)((?:19|20)\d{2})(?:\s*(?:年|学年|年度|秋|春|[-—~至]\s*(?:19|20)?\d{2})|(?!\d))")


def year_from_names(*names: str) -> int | None:
    """The first year in ``names`` (a sheet name, a file name): "2024秋" → 2024,
    "2024-2025学年第一学期.xlsx" → 2024 (the school year starts in its first year)."""
    for name in names:
        match = _NAME_YEAR_RE.search(normalize_width(name or ""))
        if match:
            return int(match.group(1))
    return None

"""Enumerations inside a task's text: "一是……；二是……；三是……" (also 一要/二要, 第一，/第二，).

Pure Python. Office documents list the parts of one task inline with ordinal markers instead of
outline labels. Rule source: the forms real offices write, as a new user reported them (issue:
"一是……；二是……" not recognised); the outline levels proper are those of GB/T 9704-2012
《党政机关公文格式》 §7.3.3 (一、 （一） 1. （1）), which an inline 一是 is not.

Decision (what a party-affairs office expects):

- **Sub-items** when the parts are separate pieces of work, i.e. when they are scheduled or
  owned separately: at least two parts, and at least half of them, each state their own
  deadline ("10月底前"), recurrence ("每月"), "长期坚持", or owner ("（组织部负责）",
  "由党委办公室牵头", "牵头单位：…"); or the parts' subjects name at least two different
  responsible levels ("一是党委班子成员带头讲党课；二是各党支部书记…；三是普通党员…"). Then every
  part becomes a child task of the item, labelled as written ("一是", "二是", …), with its own
  title, text, deadline, recurrence, owner and evidence; a part without a date of its own gets
  none (it does not borrow a sibling's). Publishing assigns the children, not the parent
  (``services.assignable_items``), so each part is tracked and answered on its own.
- **Text** otherwise: a list of aspects of one piece of work ("重点抓好三个方面：一是思想建设，
  二是组织建设，三是作风建设", or one date for the whole list) stays in the task's text, because
  splitting it would hand branches several items to answer for one job (不增加基层负担).

Either way no sentence is lost: the parent keeps its text exactly as written (sub-items are
views of parts of it), so ``PlanDraft`` still holds every source sentence. Only the first run of
markers counting 一, 二, 三 … with one kind of marker is read; a marker counts only at the
start of a line or after punctuation (。；，：), so "统一是" or "一是一、二是二" inside a
clause are not markers. Enclosed numbers inside a sentence ("内容包括①党章②报告") are not
markers either: they stay text. Items that already have numbered children, sections and notes
are left alone, and so are table rows (their 完成时限 cell governs the row, table.py).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .numerals import cn_to_int
from .responsible import Owners, owners_from_text, responsible_from_text

_MARKER_RE = re.compile(
    r"(?:^|(?<=[。；;，,：:！？!?])|(?<=[。；;，,：:！？!?] ))"
    r"(?:(?P<num>[一二三四五六七八九十]{1,3})(?P<word>是|要)(?!否)"
    r"|第(?P<ord>[一二三四五六七八九十]{1,3})(?=[，,、：:]))",
    re.M,
)
_LEAD_SEP = "，,、：: "
_TRAIL_SEP = "；;，,、：: \n"
_SENTENCE_END_RE = re.compile(r"[。！？!?]")

# An owner written in a part: "（组织部负责）", "（党委办公室牵头）" anywhere, or "由组织部牵头"
# / "各党支部负责" at its start. A unit must look like one (an office, a department, a level).
_PAREN_OWNER_RE = re.compile(r"[（(](?P<unit>[^（()）]{2,20}?)(?:牵头|负责|落实)[）)]")
_LEAD_OWNER_RE = re.compile(r"^由?(?P<unit>[^，,。；;：:、\s]{2,12}?)(?:牵头|负责)")
_UNIT_RE = re.compile(r"(?:部|办|室|处|科|委|局|中心|单位|部门|组|支部|班子|成员|书记)$")


@dataclass
class Part:
    """One part of an enumeration in a text: ``label`` as written ("二是", "第二"), ``value``
    (2), and offsets into the text: ``start`` (the marker), ``body_start`` (after the marker
    and its comma) and ``end`` (after the part, trailing separators excluded)."""

    label: str
    value: int
    start: int
    body_start: int
    end: int


def find_parts(text: str) -> list[Part]:
    """The parts of the first enumeration in ``text`` (a task's text, lines joined by "\\n").

    Returns [] when there is no run of at least two markers counting 一, 二 … of one kind
    (是, 要 or 第…，). Part *i* runs from its marker to the next one; the last part ends at
    its first 。！？ or at the end of its line, or at the end of its line when an earlier part
    holds more than one sentence. Never raises.
    """
    if "一是" not in text and "一要" not in text and "第一" not in text:
        return []  # fast path: every enumeration starts with one of these
    run: list[tuple[re.Match, int]] = []
    kind = ""
    for match in _MARKER_RE.finditer(text):
        this_kind = match.group("word") or "第"
        value = cn_to_int(match.group("num") or match.group("ord")) or 0
        if run and this_kind == kind and value == run[-1][1] + 1:
            run.append((match, value))
        elif value == 1:
            if len(run) >= 2:
                break
            run, kind = [(match, value)], this_kind
    if len(run) < 2:
        return []

    parts: list[Part] = []
    for i, (match, value) in enumerate(run):
        body_start = match.end()
        while body_start < len(text) and text[body_start] in _LEAD_SEP:
            body_start += 1
        end = run[i + 1][0].start() if i + 1 < len(run) else len(text)
        parts.append(Part(label=match.group(), value=value, start=match.start(),
                          body_start=body_start, end=end))
    last = parts[-1]
    line_end = text.find("\n", last.body_start)
    line_end = len(text) if line_end < 0 else line_end
    multi = any(_SENTENCE_END_RE.search(text, p.body_start, _trimmed_end(text, p) - 1)
                for p in parts[:-1])
    stop = None if multi else _SENTENCE_END_RE.search(text, last.body_start, line_end)
    last.end = stop.end() if stop else line_end
    for part in parts:
        part.end = max(_trimmed_end(text, part), part.body_start)
    return parts


def _trimmed_end(text: str, part: Part) -> int:
    end = part.end
    while end > part.body_start and text[end - 1] in _TRAIL_SEP:
        end -= 1
    return end


def part_owners(body: str) -> Owners | None:
    """The owner a part names for itself, or None: "牵头单位：…；责任单位：…"
    (``responsible.owners_from_text``), "（组织部负责）", or "由党委办公室牵头…" at its start.
    ``body`` is the part without its marker. Never raises.
    """
    owners = owners_from_text(body)
    if owners is not None:
        return owners
    match = _PAREN_OWNER_RE.search(body) or _LEAD_OWNER_RE.match(body)
    if match is None:
        return None
    unit = match.group("unit").strip()
    level = responsible_from_text(unit)
    if level is None and not _UNIT_RE.search(unit):
        return None
    return Owners(lead_unit=unit, responsible_units="", responsible=level)


def separate_work(own: list[bool], subjects: list[str | None]) -> bool:
    """The decision of the module docstring: ``own[i]`` says part *i* states its own deadline,
    recurrence or owner; ``subjects[i]`` is the level its subject names (or None)."""
    count = sum(own)
    if count >= 2 and 2 * count >= len(own):
        return True
    return len({level for level in subjects if level}) >= 2


_OWNER_CLAUSE_RE = re.compile(r"^由?[^，,。；;：:、\s]{2,12}?(?:牵头|负责)[，,]\s*(?=\S)")
_OWNER_PARENS_RE = re.compile(r"[（(][^（()）]*(?:牵头|负责|落实|责任单位|责任部门|牵头单位|牵头部门)[^（()）]*[）)]")


def part_title_text(body: str, label: str) -> str:
    """The text a part's title is made from: the body without the 要 of "一是要…", without
    an owner in parentheses ("（组织部负责）") and without a leading owner clause ("由纪委办公室
    牵头，制定整改方案" → "制定整改方案"); the owner is kept by :func:`part_owners`."""
    text = _OWNER_PARENS_RE.sub("", body).strip() or body
    match = _OWNER_CLAUSE_RE.match(text)
    if match:
        text = text[match.end():]
    if label.endswith("是") and text.startswith("要") and len(text) > 2:
        text = text[1:]
    return text

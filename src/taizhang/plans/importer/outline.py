"""Chinese outline numbering: recognise labels and build the item tree from cleaned lines.

Pure Python. Label styles: 一、 一. （一） 1. 1、 1） （1） 1.1 ① ⑴ ⒈ ㈠ 第一条/章/节/部分/项.
The nesting is learned from the document itself: a style seen again closes the levels
opened after it (a sibling); a style never seen before opens a new level under the current
item; a style seen before but not open goes back to the depth its first appearance gave it
(issue 2 §3). Unnumbered lines belong to the item above them (seed 三.1: "1.进行传达部署。"
followed by its body lines).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

from .model import LEVEL_INFO, LEVEL_WARNING, Diagnostic
from .numerals import CN_NUMERAL_CHARS, cn_to_int

_CN = f"[{CN_NUMERAL_CHARS}]{{1,4}}"
_CIRCLED = "①②③④⑤⑥⑦⑧⑨⑩⑪⑫⑬⑭⑮⑯⑰⑱⑲⑳"
_PAREN_DIGITS = "".join(chr(c) for c in range(0x2474, 0x2488))  # ⑴ … ⒇
_STOP_DIGITS = "".join(chr(c) for c in range(0x2488, 0x249C))  # ⒈ … ⒛
_PAREN_IDEO = "".join(chr(c) for c in range(0x3220, 0x322A))  # ㈠ … ㈩

# (style key, pattern). Each pattern matches at the start of a cleaned line and has a group
# "num" (the number as written); the label is the whole match minus trailing spaces. Half-
# and full-width parentheses are one style, because documents mix them.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    ("第{unit}", re.compile(rf"^第(?P<num>{_CN}|\d{{1,3}})(?P<unit>条|章|节|部分|项)(?:[、.:：]|\s+|(?=\S))")),
    ("一{sep}", re.compile(rf"^(?P<num>{_CN})(?P<sep>、|[.．](?!\d))")),
    ("（一）", re.compile(rf"^[（(](?P<num>{_CN})[）)][、.]?")),
    ("（1）", re.compile(r"^[（(](?P<num>\d{1,3})[）)][、.]?")),
    # "1.1 细则": a decimal label needs a space or 、 after it, else "1.5倍" would be one.
    ("1.1{depth}", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)(?:、|\s+|(?=[（(]))")),
    # "1.5倍" is not a label but "1、9月：" is (samples/study-plan-gbk 三.1).
    ("1{sep}", re.compile(r"^(?P<num>\d{1,3})(?P<sep>\.(?![\d.])|、)")),
    ("1）", re.compile(r"^(?P<num>\d{1,3})[）)](?!\d)")),
    ("①", re.compile(f"^(?P<num>[{_CIRCLED}])")),
    ("⑴", re.compile(f"^(?P<num>[{_PAREN_DIGITS}])")),
    ("⒈", re.compile(f"^(?P<num>[{_STOP_DIGITS}])")),
    ("㈠", re.compile(f"^(?P<num>[{_PAREN_IDEO}])")),
]
_NOTE_RE = re.compile(r"^(?:备注|附注|注|说明)\s*[：:]")
_DATE_LINE_RE = re.compile(
    r"^(?:(?:19|20)\d{2}\s*年\s*\d{1,2}\s*月(?:\s*\d{1,2}\s*日)?|(?:19|20)\d{2}[./-]\d{1,2}[./-]\d{1,2})$"
)
_SENTENCE_PUNCT_RE = re.compile(r"[。，；;：:！？!?,]")

Line = tuple[int, str]  # (1-based source line number, cleaned text)


@dataclass
class Label:
    """A label at the start of a line: ``text`` as written ("1.", "（1）", "第一条"),
    ``style`` (the key that groups labels of one level), ``value`` (its number), ``rest``
    (the line after the label)."""

    text: str
    style: str
    value: int
    rest: str


@dataclass
class OutlineItem:
    """A numbered item (or a note) with its own lines and its children."""

    label: Label | None
    lines: list[Line]
    depth: int
    note: bool = False
    children: list[OutlineItem] = field(default_factory=list)

    @property
    def first_line(self) -> int:
        return self.lines[0][0]

    @property
    def last_line(self) -> int:
        last = self.lines[-1][0]
        if self.children:
            last = max(last, self.children[-1].last_line)
        return last


@dataclass
class Outline:
    """The document split into title, preamble, items, signature and diagnostics."""

    title: Line | None
    preamble: list[Line]
    items: list[OutlineItem]
    signature: list[Line]
    diagnostics: list[Diagnostic]
    styles: list[str]  # label styles in order of first appearance


def _value(num: str) -> int | None:
    if num in _CIRCLED:
        return _CIRCLED.index(num) + 1
    for chars in (_PAREN_DIGITS, _STOP_DIGITS, _PAREN_IDEO):
        if num in chars:
            return chars.index(num) + 1
    if "." in num:
        return int(num.rsplit(".", 1)[1])
    return cn_to_int(num)


def match_label(line: str) -> Label | None:
    """Recognise an outline label at the start of a cleaned line; None when there is none.

    "1.召开党委会。" → Label("1.", "1.", 1, "召开党委会。"); "（一）制定学习计划" → style "（一）";
    "第三条 …" → style "第条". Numbers above 999 (a year such as "2023.") are not labels,
    nor is "1.5倍" or "9.30前". Never raises.
    """
    first = line[:1]
    if not first or not (first.isdigit() or first in "第（(" or first in CN_NUMERAL_CHARS
                         or first in _CIRCLED or first in _PAREN_DIGITS
                         or first in _STOP_DIGITS or first in _PAREN_IDEO):
        return None  # fast path: most lines cannot start with a label
    for style, pattern in _PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        num = match.group("num")
        value = _value(num)
        if value is None or value > 999 or value < 1 and style != "1.1{depth}":
            continue
        key = style.format(
            unit=match.groupdict().get("unit") or "",
            sep=(match.groupdict().get("sep") or "").replace("．", "."),
            depth=".1" * (num.count(".") - 1),
        )
        return Label(text=match.group().rstrip(), style=key, value=value, rest=line[match.end():].strip())
    return None


def _split_signature(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """Split off a closing signature: a date line at the very end, with up to two short
    unlabelled lines without sentence punctuation before it (office name). Rule source:
    samples/plan-autonumber ("机关党委办公室" / "2024年4月8日")."""
    if len(lines) < 2 or not _DATE_LINE_RE.match(lines[-1][1]):
        return lines, []
    cut = len(lines) - 1
    for _ in range(2):
        if cut <= 1:
            break
        text = lines[cut - 1][1]
        if len(text) > 30 or _SENTENCE_PUNCT_RE.search(text) or match_label(text):
            break
        cut -= 1
    if cut == len(lines) - 1:
        return lines, []  # a date alone at the end is kept as text
    return lines[:cut], lines[cut:]


class _Numbering:
    """Checks that the labels of one style under one parent run 1, 2, 3 … (issue 2 §3)."""

    def __init__(self, diagnostics: list[Diagnostic]):
        self.last: dict[tuple[int, str], int] = {}
        self.last_text: dict[tuple[int, str], str] = {}  # the label as written, for messages
        self.diagnostics = diagnostics

    # Articles (第一条) are usually numbered through the whole document, across chapters;
    # restarting at 1 under each chapter is accepted too.
    DOCUMENT_WIDE = {"第条"}

    def check(self, parent_id: int, label: Label, line: int) -> None:
        key = (parent_id, label.style)
        prev = self.last.get(key)
        prev_text = self.last_text.get(key)
        self.last[key] = label.value
        self.last_text[key] = label.text
        if label.style in self.DOCUMENT_WIDE:
            whole = self.last.get((-1, label.style))
            self.last[(-1, label.style)] = label.value
            if prev is None and whole is not None and label.value == whole + 1:
                return
        if prev is None:
            if label.value != 1:
                self._warn(line, f"本级编号从“{label.text}”开始，不是从第 1 个开始，可能漏了前面的条目")
        elif label.value == prev:
            self._warn(line, f"编号“{label.text}”重复（与上一条相同）")
        elif label.value < prev:
            self._warn(line, f"编号“{label.text}”排在“{prev_text}”之后，顺序倒退")
        elif label.value != prev + 1:
            self._warn(line, f"编号不连续：“{prev_text}”之后应是第 {prev + 1} 个，实际是“{label.text}”")

    def _warn(self, line: int, message: str) -> None:
        self.diagnostics.append(Diagnostic(line=line, level=LEVEL_WARNING, message=message))


def _line_range(first: int, last: int) -> str:
    """"35–36" for a range of lines, "35" for one line (en dash, as the preview shows ranges)."""
    return str(first) if first == last else f"{first}–{last}"


def build_outline(lines: list[Line]) -> Outline:
    """Build the item tree from cleaned, numbered lines (empty lines are skipped).

    ``lines``: (line number, cleaned text). The title is the first non-empty line (unless it
    is numbered); the preamble is every unnumbered line before the first item; a closing
    signature is split off; "备注：/注：/说明：" starts a top-level note. Numbering gaps,
    duplicates and restarts are diagnostics. Never raises; an outline without items is
    returned as such (the caller decides it is an error).
    """
    lines = [line for line in lines if line[1]]
    diagnostics: list[Diagnostic] = []
    lines, signature = _split_signature(lines)
    title: Line | None = None
    if lines and match_label(lines[0][1]) is None:
        title, lines = lines[0], lines[1:]

    preamble: list[Line] = []
    roots: list[OutlineItem] = []
    stack: list[OutlineItem] = []  # open numbered items, outermost first
    rank: dict[str, int] = {}  # style → order of first appearance
    current: OutlineItem | None = None  # receives unnumbered lines
    numbering = _Numbering(diagnostics)

    for number, text in lines:
        label = match_label(text)
        if label is None:
            if _NOTE_RE.match(text):
                current = OutlineItem(label=None, lines=[(number, text)], depth=0, note=True)
                roots.append(current)
            elif current is not None:
                current.lines.append((number, text))
            else:
                preamble.append((number, text))
            continue

        style = label.style
        open_styles = [item.label.style for item in stack]
        if style in open_styles:
            del stack[open_styles.index(style):]
        elif style in rank:
            while stack and rank[stack[-1].label.style] >= rank[style]:
                stack.pop()
        else:
            rank[style] = len(rank)
        parent = stack[-1] if stack else None
        item = OutlineItem(label=label, lines=[(number, text)], depth=len(stack),
                           note=bool(_NOTE_RE.match(label.rest)))
        numbering.check(id(parent) if parent else 0, label, number)
        (parent.children if parent else roots).append(item)
        stack.append(item)
        current = item

    if signature:
        shown = " ".join(text for _, text in signature)
        diagnostics.append(Diagnostic(
            line=signature[0][0], level=LEVEL_INFO,
            message=f"第 {_line_range(signature[0][0], signature[-1][0])} 行是落款，不属于任何条目：{shown}",
        ))
    diagnostics.sort(key=lambda d: d.line or 0)
    return Outline(title=title, preamble=preamble, items=roots, signature=signature,
                   diagnostics=diagnostics, styles=list(rank))

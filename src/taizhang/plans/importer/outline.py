"""Chinese outline numbering: recognise labels and build the item tree from cleaned lines.

Pure Python. Label styles: 一、 一. （一） 1. 1、 1） （1） 1.1 ① ⑴ ⒈ ㈠ 第一条/章/节/部分/项,
Roman numerals Ⅰ、 Ⅱ. I. II、 (one style, upper case) and ⅰ. i. (lower case), and the enclosed
numbers offices and Word's numbering formats use (``readers/numbering.py``): ① ➀ ㉑ (circled),
❶ ➊ ⓫ (negative circled), ⓵ (double circled), ㊀ (circled ideograph). Rule sources: GB/T
9704-2012 《党政机关公文格式》 §7.3.3 gives the standard levels 一、 （一） 1. （1）; the Roman,
enclosed and 第一部分 forms are those a new user's task lists (and Word's upperRoman/lowerRoman/
decimalEnclosedCircle formats) use above and below them. A label is read only at the start of a
line, so "①" or "I." inside a sentence stays text.
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
from .numerals import CN_NUMERAL_CHARS, ROMAN_FORM_CHARS, cn_to_int, roman_to_int

_CN = f"[{CN_NUMERAL_CHARS}]{{1,4}}"


def _run(first: int, count: int) -> str:
    return "".join(chr(c) for c in range(first, first + count))


# Enclosed numbers: character → (style, value). Forms that look alike are one style (① and
# the dingbat ➀; ❶ and ➊), as half- and full-width parentheses are. Numbers past 20 are the
# Unicode forms Word's decimalEnclosedCircle format renders (readers/numbering.py).
_ENCLOSED: dict[str, tuple[str, int]] = {}
for _style, _runs in (
    ("①", ((0x2460, 20, 1), (0x3251, 15, 21), (0x32B1, 15, 36), (0x2780, 10, 1))),  # ① ㉑ ㊱ ➀
    ("❶", ((0x2776, 10, 1), (0x278A, 10, 1), (0x24EB, 10, 11))),  # ❶ ➊ ⓫
    ("⓵", ((0x24F5, 10, 1),)),  # ⓵ … ⓾
    ("⑴", ((0x2474, 20, 1),)),  # ⑴ … ⒇
    ("⒈", ((0x2488, 20, 1),)),  # ⒈ … ⒛
    ("㈠", ((0x3220, 10, 1),)),  # ㈠ … ㈩
    ("㊀", ((0x3280, 10, 1),)),  # ㊀ … ㊉
):
    for _first, _count, _start in _runs:
        for _i, _ch in enumerate(_run(_first, _count)):
            _ENCLOSED[_ch] = (_style, _start + _i)
_ENCLOSED_CHARS = "".join(_ENCLOSED)

# (style key, pattern). Each pattern matches at the start of a cleaned line and has a group
# "num" (the number as written); the label is the whole match minus trailing spaces. Half-
# and full-width parentheses are one style, because documents mix them.
_PATTERNS: list[tuple[str, re.Pattern]] = [
    # "第一部分" alone on its line is a label too (its title is on the next line).
    ("第{unit}", re.compile(rf"^第(?P<num>{_CN}|\d{{1,3}})(?P<unit>条|章|节|部分|项)(?:[、.:：]|\s+|(?=\S)|$)")),
    ("一{sep}", re.compile(rf"^(?P<num>{_CN})(?P<sep>、|[.．](?!\d))")),
    ("（一）", re.compile(rf"^[（(](?P<num>{_CN})[）)][、.]?")),
    ("（1）", re.compile(r"^[（(](?P<num>\d{1,3})[）)][、.]?")),
    # "1.1 细则": a decimal label needs a space or 、 after it, else "1.5倍" would be one.
    ("1.1{depth}", re.compile(r"^(?P<num>\d{1,2}(?:\.\d{1,2})+)(?:、|\s+|(?=[（(]))")),
    # "1.5倍" is not a label but "1、9月：" is (samples/study-plan-gbk 三.1).
    ("1{sep}", re.compile(r"^(?P<num>\d{1,3})(?P<sep>\.(?![\d.])|、)")),
    ("1）", re.compile(r"^(?P<num>\d{1,3})[）)](?!\d)")),
    # An enclosed number, with or without 、/. after it, that does not start a reference to
    # other items ("①②两项", "①至③项由党委负责" are text, not labels).
    ("{enclosed}", re.compile(
        rf"^(?P<num>[{_ENCLOSED_CHARS}])(?:[、.]|\s+)?"
        rf"(?!\s*(?:[至到~～\-—－、，,和及与或]\s*)?[{_ENCLOSED_CHARS}])")),
    # Ⅰ、 Ⅱ. Ⅲ (number forms): a separator or a space is needed ("Ⅱ类", "Ⅲ级" are words).
    ("Ⅰ", re.compile(rf"^(?P<num>[{ROMAN_FORM_CHARS[:16]}]{{1,4}})(?:[、.．]|\s+|$)")),
    ("ⅰ", re.compile(rf"^(?P<num>[{ROMAN_FORM_CHARS[16:]}]{{1,4}})(?:[、.．]|\s+|$)")),
    # I. II、 in ASCII letters: only I, V and X (C. D. are lettered options), a separator is
    # needed, and no letter or digit may follow, so English ("I. M. Pei", "I.e."), versions
    # ("V.2") and Roman-month dates ("IX.2023", "XII. 2023") stay text.
    ("Ⅰ", re.compile(r"^(?P<num>[IVX]{1,6})(?:、|[.．](?![\dA-Za-z.]))(?!\s*[A-Za-z\d])")),
    ("ⅰ", re.compile(r"^(?P<num>[ivx]{1,6})(?:、|[.．](?![\dA-Za-z.]))(?!\s*[A-Za-z\d])")),
]
# Characters a label can start with: most lines start with none of them (fast path).
_LABEL_START = frozenset("第（(0123456789IVXivx" + CN_NUMERAL_CHARS + _ENCLOSED_CHARS + ROMAN_FORM_CHARS)
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
    if num.isdigit():
        return int(num) if num.isascii() else _ENCLOSED[num][1] if num in _ENCLOSED else None
    if "." in num:
        return int(num.rsplit(".", 1)[1])
    if num in _ENCLOSED:
        return _ENCLOSED[num][1]
    if num[0] in ROMAN_FORM_CHARS or num[0] in "IVXivx":
        return roman_to_int(num)
    return cn_to_int(num)


def match_label(line: str) -> Label | None:
    """Recognise an outline label at the start of a cleaned line; None when there is none.

    "1.召开党委会。" → Label("1.", "1.", 1, "召开党委会。"); "（一）制定学习计划" → style "（一）";
    "第三条 …" → style "第条"; "第一部分" alone → style "第部分"; "Ⅱ、学习" and "II. 学习" → style
    "Ⅰ", value 2; "❸召开" → style "❶", value 3. Numbers above 999 (a year such as "2023.") are
    not labels, nor is "1.5倍", "9.30前", "I. M. Pei", "V.2", "Ⅲ级" or "①②两项". Never raises.
    """
    if not line or line[0] not in _LABEL_START:
        return None  # fast path: most lines cannot start with a label
    for style, pattern in _PATTERNS:
        match = pattern.match(line)
        if match is None:
            continue
        num = match.group("num")
        value = _value(num)
        if value is None or value > 999 or value < 1 and style != "1.1{depth}":
            continue
        if style == "{enclosed}":
            key = _ENCLOSED[num][0]
            return Label(text=match.group().rstrip(), style=key, value=value, rest=line[match.end():].strip())
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

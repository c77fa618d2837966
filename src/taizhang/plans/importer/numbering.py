"""Writing outline labels: the label of a new item numbered like the items around it (the
reverse of :func:`.outline.match_label`). Pure Python.

A task a unit adds by hand to its plan (``plans.levels.add_item``) takes the next number in
its siblings' style; with no numbered sibling, the style the plan already uses one level
below a parent of its parent's style; else the standard next level, GB/T 9704-2012
《党政机关公文格式》 §7.3.3: 一、 （一） 1. （1）, then ①. The seed numbers 一、 1. （1）.
"""

from __future__ import annotations

import cn2an

from .outline import match_label

#: The standard levels (GB/T 9704-2012 §7.3.3), then circled numbers, by style key.
STANDARD_LEVELS = ("一、", "（一）", "1.", "（1）", "①")

# Enclosed-number styles: the first character and how many there are.
_ENCLOSED = {"①": (0x2460, 20), "⑴": (0x2474, 20), "⒈": (0x2488, 20), "❶": (0x2776, 10),
             "㈠": (0x3220, 10), "㊀": (0x3280, 10), "⓵": (0x24F5, 10)}


def _cn(value: int) -> str:
    return cn2an.an2cn(value)


def format_label(style: str, value: int) -> str | None:
    """The label numbered ``value`` (≥ 1) in ``style`` (a style key of ``match_label``:
    "一、", "一.", "（一）", "（1）", "1.", "1、", "1）", "①" and the other enclosed forms,
    "第条" / "第章" / …), e.g. ("（一）", 12) → "（十二）"; None for a style it does not write
    (decimal 1.1, Roman numerals) or a number its form does not have (㈠ stops at 10)."""
    if value < 1:
        return None
    if style in ("一、", "一."):
        return _cn(value) + style[1:]
    if style == "（一）":
        return f"（{_cn(value)}）"
    if style == "（1）":
        return f"（{value}）"
    if style in ("1.", "1、", "1）"):
        return f"{value}{style[1:]}"
    if style in _ENCLOSED:
        first, count = _ENCLOSED[style]
        return chr(first + value - 1) if value <= count else None
    if style.startswith("第") and len(style) >= 2:
        return f"第{_cn(value)}{style[1:]}"
    return None


def style_below(parent_style: str | None) -> str:
    """The standard style one level below ``parent_style`` (None or "": the top level 一、;
    the last standard level and any other style: ①, 1. respectively)."""
    if not parent_style:
        return STANDARD_LEVELS[0]
    if parent_style in STANDARD_LEVELS:
        index = STANDARD_LEVELS.index(parent_style)
        return STANDARD_LEVELS[min(index + 1, len(STANDARD_LEVELS) - 1)]
    return "1."


def label_style(label: str) -> str | None:
    """The style key of ``label`` ("三、" → "一、"), None when it is not a label."""
    found = match_label(label.strip()) if label else None
    return found.style if found else None


def next_label(siblings: list[str], parent: str, below: dict[str, str] | None = None) -> str:
    """The label of a new last child of an item labelled ``parent`` ("" at the top) whose
    children are labelled ``siblings`` (in order; "" for unnumbered ones): the last numbered
    sibling's style, numbered after the largest number of that style; with none,
    ``below[parent's style]`` (the style the plan uses below such a parent, see
    :func:`styles_below`) or :func:`style_below`, numbered 1. Never raises."""
    parsed = [match_label(s.strip()) for s in siblings if s and s.strip()]
    parsed = [p for p in parsed if p is not None]
    if parsed:
        style = parsed[-1].style
        label = format_label(style, max(p.value for p in parsed if p.style == style) + 1)
        if label:
            return label
    parent_style = label_style(parent)
    style = (below or {}).get(parent_style or "") or style_below(parent_style)
    return format_label(style, 1) or format_label(style_below(parent_style), 1) or "1."


def styles_below(pairs: list[tuple[str, str]]) -> dict[str, str]:
    """From (parent label, child label) pairs of a plan ("" for a top-level item's parent),
    the style most often used below each parent style: {"一、": "1.", "1.": "（1）", "": "一、"}."""
    counts: dict[str, dict[str, int]] = {}
    for parent, child in pairs:
        child_style = label_style(child)
        if child_style is None:
            continue
        by_child = counts.setdefault(label_style(parent) or "", {})
        by_child[child_style] = by_child.get(child_style, 0) + 1
    return {parent: max(found, key=found.get) for parent, found in counts.items()}

"""Who is responsible for an item: the committee, every branch, or members individually.

Pure Python. Rule sources: seed 二 "抓好领导班子主题教育" → committee, 三 "抓实基层党组织主题教育"
→ branch; samples/plan-autonumber "（牵头单位：党委办公室；责任单位：党委班子成员）" → committee with
lead unit 党委办公室, "（…责任单位：各党支部、各部门）" → branch.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .model import RESPONSIBLE_BRANCH, RESPONSIBLE_COMMITTEE, RESPONSIBLE_MEMBER

# Keyword → level. The earliest keyword in the text decides; at one position the longest
# keyword wins ("党员领导干部" is a leader, not a member; "党委办公室" is the committee's office).
_KEYWORDS = {
    RESPONSIBLE_COMMITTEE: (
        "党委班子", "领导班子", "班子成员", "党委委员", "党委办公室", "党委", "党组", "中心组",
        "党员领导干部", "领导干部", "局领导", "班子",
    ),
    RESPONSIBLE_BRANCH: (
        "基层党组织", "党总支", "党支部", "各支部", "支部", "党小组", "支委",
    ),
    RESPONSIBLE_MEMBER: (
        "每名党员", "每一名党员", "全体党员", "党员个人", "普通党员", "广大党员", "党员",
    ),
}
_LEVEL_OF = {word: level for level, words in _KEYWORDS.items() for word in words}
_KEYWORD_RE = re.compile("|".join(sorted(map(re.escape, _LEVEL_OF), key=len, reverse=True)))

# "（牵头单位：党委办公室；责任单位：各党支部）", also 牵头部门/责任部门/责任主体, half-width
# punctuation, or without the parentheses.
_LEAD_RE = re.compile(r"牵头(?:单位|部门|领导)\s*[：:]\s*([^；;，,）)\n]*)")
_UNITS_RE = re.compile(r"(?:责任单位|责任部门|责任主体|配合单位|负责单位)\s*[：:]\s*([^；;）)\n]*)")


@dataclass
class Owners:
    """Explicit owners written in the text: ``lead_unit`` (牵头单位), ``responsible_units``
    (责任单位 text as written) and the ``responsible`` level they imply (or None)."""

    lead_unit: str
    responsible_units: str
    responsible: str | None


def responsible_from_text(text: str) -> str | None:
    """Return "committee", "branch", "member" or None for a heading or a units text.

    领导班子, 党委, 班子成员, 领导干部 → committee; 基层党组织, 党支部, 各支部, 党小组 → branch;
    党员 individually (每名党员, 全体党员, 党员) → member. The earliest keyword in ``text``
    decides. Meant for headings and owner cells, not for body text (a committee task's body
    often names branches it guides, seed 二.2). Never raises.
    """
    match = _KEYWORD_RE.search(text or "")
    return _LEVEL_OF[match.group()] if match else None


def owners_from_text(text: str) -> Owners | None:
    """Read explicit owners such as "（牵头单位：党委办公室；责任单位：各党支部）" from ``text``.

    Returns None when ``text`` names neither a lead unit nor responsible units. The level
    comes from the responsible units, else from the lead unit. Never raises.
    """
    lead = _LEAD_RE.search(text or "")
    units = _UNITS_RE.search(text or "")
    if lead is None and units is None:
        return None
    lead_unit = lead.group(1).strip() if lead else ""
    units_text = units.group(1).strip() if units else ""
    level = responsible_from_text(units_text) or responsible_from_text(lead_unit)
    return Owners(lead_unit=lead_unit, responsible_units=units_text, responsible=level)


# A clause's subject: a level keyword at its very start, after at most 由/请/要求 and 各(级).
_SUBJECT_RE = re.compile(rf"^(?:由|请|要求)?(?:各级|各)?(?=({_KEYWORD_RE.pattern}))")


def subject_level(text: str) -> str | None:
    """The level named as the subject at the start of ``text``, or None.

    "各党支部9月底前制定学习计划" → "branch"; "由党委办公室牵头…" → "committee"; "全体党员…" →
    "member"; "组织党员学习" → None (党员 is the object there, not the subject). Used for the
    parts of an enumeration ("一是党委班子成员…；二是各党支部…", enumeration.py). Never raises.
    """
    match = _SUBJECT_RE.match(text or "")
    return _LEVEL_OF[match.group(1)] if match else None

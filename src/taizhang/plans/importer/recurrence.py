"""Recurrence phrases ("每月", "每季度", …) as RFC 5545 RRULE strings with a minimum count.

Pure Python. Rule sources: seed 二.3 ("每月安排1天集中学习") and 三.2（3） ("每月至少安排1天"),
samples/plan-autonumber 四.（二） ("每季度通报一次"), samples/study-plan-gbk 四.1 ("每周不少于2小时").
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from .clean import normalize_width
from .numerals import cn_to_int

# Frequency word → RRULE. Longer words first so "每半年" is not read as "每年".
_FREQUENCIES = {
    "每半年": "FREQ=MONTHLY;INTERVAL=6",
    "每半月": "FREQ=WEEKLY;INTERVAL=2",
    "每两个月": "FREQ=MONTHLY;INTERVAL=2",
    "每两月": "FREQ=MONTHLY;INTERVAL=2",
    "每两周": "FREQ=WEEKLY;INTERVAL=2",
    "每双周": "FREQ=WEEKLY;INTERVAL=2",
    "每个季度": "FREQ=MONTHLY;INTERVAL=3",
    "每一季度": "FREQ=MONTHLY;INTERVAL=3",
    "每季度": "FREQ=MONTHLY;INTERVAL=3",
    "每个月": "FREQ=MONTHLY",
    "每年度": "FREQ=YEARLY",
    "每星期": "FREQ=WEEKLY",
    "按季度": "FREQ=MONTHLY;INTERVAL=3",
    "每季": "FREQ=MONTHLY;INTERVAL=3",
    "按季": "FREQ=MONTHLY;INTERVAL=3",
    "每月": "FREQ=MONTHLY",
    "按月": "FREQ=MONTHLY",
    "逐月": "FREQ=MONTHLY",
    "每周": "FREQ=WEEKLY",
    "按周": "FREQ=WEEKLY",
    "每年": "FREQ=YEARLY",
    "每天": "FREQ=DAILY",
    "每日": "FREQ=DAILY",
}
# "每名班子成员" / "每一名党员" / "每个支部" never reach this table: 每 must be followed by a
# time unit listed above ("每个" only as "每个月"/"每个季度").
_FREQ_RE = re.compile("|".join(sorted(map(re.escape, _FREQUENCIES), key=len, reverse=True)))

# A count after the frequency word, in the same clause: "至少安排1天", "组织1次", "不少于2次".
# Only countable units: hours and minutes are a duration, not a count ("每周…不少于2小时").
_COUNT_RE = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?(次|天|期|场|篇|回|轮|批|堂|课|日)")
_DURATION_RE = re.compile(r"(\d{1,3}|[一二两三四五六七八九十]{1,3})\s*(?:个)?(?:小时|分钟|学时)")
_CLAUSE_END_RE = re.compile(r"[，,。；;！？!?\n]")


# "每月31日前", "每月30日前", "每月底前", "每月月底", "每月末": the last day of every month
# (issue 16 §2). A day of 29–31 cannot be every month's, so it means the month's end; days 1–28
# keep a plain monthly recurrence (the due day is left to the plan's office).
MONTH_END_RE = re.compile(
    r"每(?:个)?月(?:的)?\s*(?:(?:29|30|31|二十九|三十一?)\s*[日号]|月?底|月?末)(?:之?前|以前)?")


@dataclass
class Recurrence:
    """``rrule``: an RFC 5545 RRULE without DTSTART (e.g. ``FREQ=MONTHLY;INTERVAL=3``);
    ``min_count``: how many records each occurrence needs at least (default 1)."""

    rrule: str
    min_count: int = 1


def find_recurrence(text: str) -> tuple[Recurrence, tuple[int, int]] | None:
    """Like :func:`parse_recurrence`, also returning the span of the frequency word in
    ``normalize_width(text)`` so callers can find the clause it governs."""
    text = normalize_width(text)
    match = _FREQ_RE.search(text)
    if match is None:
        return None
    rrule = _FREQUENCIES[match.group()]
    if rrule == "FREQ=MONTHLY" and MONTH_END_RE.match(text, match.start()):
        rrule = "FREQ=MONTHLY;BYMONTHDAY=-1"
    end_match = _CLAUSE_END_RE.search(text, match.end())
    clause = text[match.end(): end_match.start() if end_match else len(text)]
    min_count = 1
    count = _COUNT_RE.search(clause)
    if count is not None:
        duration = _DURATION_RE.search(clause)
        if duration is None or duration.start() > count.start():
            min_count = max(1, cn_to_int(count.group(1)) or 1)
    return Recurrence(rrule=rrule, min_count=min_count), match.span()


def parse_recurrence(text: str) -> Recurrence | None:
    """Read the first recurrence phrase of ``text``; None when there is none.

    每月 → ``FREQ=MONTHLY``; 每季度 → ``FREQ=MONTHLY;INTERVAL=3``; 每周 → ``FREQ=WEEKLY``;
    每半年 → ``FREQ=MONTHLY;INTERVAL=6``; 每年 → ``FREQ=YEARLY``; 每月31日前/每月底前 →
    ``FREQ=MONTHLY;BYMONTHDAY=-1`` (the last day of each month, issue 16 §2). ``min_count`` is the count in
    the same clause ("每月至少安排1天" → 1, "每季度组织2次" → 2); hours are not counts
    ("每周不少于2小时" → 1). "每名…", "每一名…", "每个…" (people, units) are not recurrence; nor
    is "年度" ("年度民主生活会", seed 二.9). Never raises.
    """
    found = find_recurrence(text)
    return found[0] if found else None

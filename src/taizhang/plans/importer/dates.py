"""Campaign periods and deadlines written in Chinese, and the working-day calendar.

Pure Python. Phrases come from the seed and the samples: "从2023年9月开始，2024年1月基本结束"
(seed line 8), "9月底之前" (seed 三.1), "11月中旬前", "年底前", "第一季度", "10月15日前",
"2023.12.31", "6月底、12月底" (samples/plan-table.xlsx), "长期坚持" (ongoing). Dates are calendar
dates in Asia/Shanghai; holidays and make-up working days come from ``chinese_calendar``.
"""

from __future__ import annotations

import calendar
import re
from bisect import bisect_right
from dataclasses import dataclass, field
from datetime import date, timedelta
from functools import lru_cache

from .clean import normalize_width
from .numerals import cn_to_int

from taizhang.core.workdays import is_workday as _core_is_workday

Period = tuple[date, date]

# End day of a month part: 上旬 = days 1–10, 中旬 = 11–20, 下旬 = 21–end (GB/T usage).
_PART_DAY = {"上旬": 10, "初": 10, "中旬": 20, "中": 20}

_Y = r"(?:19|20)\d{2}"
_M = r"(?:1[0-2]|0?[1-9])"
_D = r"(?:[12]\d|3[01]|0?[1-9])"

_PERIOD_RE = re.compile(
    rf"(?P<y1>{_Y})\s*年\s*(?P<m1>{_M})\s*月(?:\s*(?P<d1>{_D})\s*[日号])?(?:份)?"
    r"\s*(?:起|开始|启动|正式启动)?"
    r"[\s，,]*(?P<conn>到|至|—+|－|-|~|～|―)?[\s，,]*"
    rf"(?:(?P<y2>{_Y})\s*年\s*|(?P<next>次年|翌年|来年|明年))?(?P<m2>{_M})\s*月(?:份)?"
    rf"(?:\s*(?P<d2>{_D})\s*[日号]|(?P<part>上旬|中旬|下旬|底|末|中))?"
    r"\s*(?:之?前)?\s*(?:基本|全面|圆满)?\s*(?P<endw>结束|完成|截止|收尾)?"
)

# One alternative per deadline form; finditer takes the leftmost, so a full date wins over
# the month inside it.
_DEADLINE_RE = re.compile(
    # Every form starts with a digit or one of these characters; the lookahead lets the
    # engine skip other positions without trying each alternative (benchmarks/).
    r"(?=[\d一二三四五六七八九十上下年全第])(?:"
    # 2023年12月31日 / 2023.12.31 / 2023-12-31 / 2023/12/31
    rf"(?<!\d)(?P<fy>{_Y})\s*(?:年\s*(?P<fm1>{_M})\s*月\s*(?P<fd1>{_D})\s*[日号]?"
    rf"|[./\-](?P<fm2>{_M})[./\-](?P<fd2>{_D})(?!\d))"
    # 2023年底 / 2023年末
    rf"|(?<!\d)(?P<ey>{_Y})\s*年\s*(?:年底|年末|年终|底|末)"
    # 2024年第一季度 / 第一季度 / 三季度 (not 每一季度)
    rf"|(?:(?<!\d)(?P<qy>{_Y})\s*年\s*)?(?<!每)第?(?P<q>[一二三四1-4])\s*季度末?"
    # 上半年 / 下半年
    # — as a deadline only at a clause end or before a cue: "下半年学习计划" names a plan.
    rf"|(?:(?<!\d)(?P<hy>{_Y})\s*年\s*)?(?P<half>上半年|下半年)"
    r"(?=\s*(?:之?前|以前|内|底|末|基本|全面|完成|结束|[，,。；;、）)]|$))"
    # 2023年9月底 / 9月底之前 / 11月中旬 / 10月15日 / 10月份
    rf"|(?:(?<!\d)(?P<y>{_Y})\s*年\s*)?(?<![\d.])(?P<m>{_M})\s*月(?:份)?"
    rf"(?:\s*(?P<d>{_D})\s*[日号]|(?P<part>上旬|中旬|下旬|底|末|初|中))?"
    # 九月底 / 十二月中旬 (Chinese month numbers only with a part, to avoid 统一月度 etc.)
    r"|(?<![一二三四五六七八九十〇零两])(?P<cm>十[一二]?|[一二三四五六七八九])月"
    r"(?P<cpart>份|上旬|中旬|下旬|底|末|初)"
    # 年底前 / 年末 / 全年
    r"|(?P<yearend>年底|年末|年终|全年))"
)

# A month followed by these words starts something; it is not a deadline ("9月起", "以来").
_NOT_DEADLINE_AFTER = re.compile(r"\s*(?:以来|开始|起|至今|以后|之后)")
_ONGOING_RE = re.compile(r"长期坚持|长期执行|长期开展|长期有效|常抓不懈|常态化开展|持续推进")
# Words that announce a deadline; used to report phrases that could not be read.
_CUE_RE = re.compile(r"(?:月|日|号|旬|底|末|季度|年|周|天)\s*(?:之前|以前|前)|截止|完成时限|时限[：:]")


@dataclass
class Deadline:
    """A deadline read from a phrase.

    ``due``: the (latest) deadline or None; ``due_workday``: set only when ``due`` is a
    weekend or public holiday, then the last working day before it; ``ongoing``: a
    long-term task ("长期坚持") without a deadline; ``phrase``: the matched text (several
    joined with "、"); ``dates``: every date found, in text order (e.g. "6月底、12月底" →
    two dates, a half-yearly task in samples/plan-table.xlsx).
    """

    due: date | None
    due_workday: date | None
    ongoing: bool
    phrase: str
    dates: list[date] = field(default_factory=list)


@dataclass
class _Hit:
    span: tuple[int, int]
    phrase: str
    due: date | None  # None: the year could not be determined


@lru_cache(maxsize=1024)
def _last_day(year: int, month: int) -> int:
    return calendar.monthrange(year, month)[1]


def is_workday(d: date) -> bool:
    """True when ``d`` is a working day in mainland China: the one calendar of the project,
    :func:`taizhang.core.workdays.is_workday` (``chinese_calendar``; Monday–Friday for a year
    it does not cover)."""
    return _core_is_workday(d)


def last_workday_before(d: date) -> date:
    """Return the last working day strictly before ``d``.

    2023-09-30 (National Day/Mid-Autumn holiday) → 2023-09-28; 2024-06-10 (Dragon Boat
    Festival) → 2024-06-07. Rule source: issue 2 §3 ("due_workday").
    """
    day = d - timedelta(days=1)
    for _ in range(60):  # The longest Chinese holiday block is 8–9 days; 60 is a safe bound.
        if is_workday(day):
            return day
        day -= timedelta(days=1)
    return day


def workday_adjusted(d: date | None) -> date | None:
    """``last_workday_before(d)`` when ``d`` is not a working day, else None."""
    if d is None or is_workday(d):
        return None
    return last_workday_before(d)


def find_period(text: str) -> tuple[date, date, tuple[int, int]] | None:
    """Like :func:`parse_period`, also returning the (start, end) span of the phrase in
    ``normalize_width(text)`` (same length as ``text``), so callers can skip it."""
    text = normalize_width(text)
    for match in _PERIOD_RE.finditer(text):
        if not (match.group("conn") or match.group("endw")):
            continue
        y1, m1 = int(match.group("y1")), int(match.group("m1"))
        d1 = int(match.group("d1") or 1)
        m2 = int(match.group("m2"))
        if match.group("y2"):
            y2 = int(match.group("y2"))
        elif match.group("next"):
            y2 = y1 + 1
        else:
            y2 = y1 if m2 >= m1 else y1 + 1
        if match.group("d2"):
            d2 = int(match.group("d2"))
        else:
            d2 = _PART_DAY.get(match.group("part") or "", _last_day(y2, m2))
        try:
            start, end = date(y1, m1, d1), date(y2, m2, min(d2, _last_day(y2, m2)))
        except ValueError:
            continue
        if end < start:
            continue
        return start, end, match.span()
    return None


def parse_period(text: str) -> Period | None:
    """Find a campaign period in ``text`` and return (first day, last day), or None.

    "从2023年9月开始，2024年1月基本结束" → (2023-09-01, 2024-01-31) (seed line 8);
    "自2024年4月开始，7月底前基本完成" → (2024-04-01, 2024-07-31) (samples/plan-autonumber);
    "2023年9月至2024年1月" → the same as the seed. The start must carry a year; an end without
    a year is in the start's year, or the next one when its month is earlier. A phrase needs
    a range word (至/到/—) or an end word (结束/完成/截止). Never raises.
    """
    found = find_period(text)
    return (found[0], found[1]) if found else None


def _year_for(month: int, day: int | None, period: Period | None, year: int | None) -> int | None:
    """The year of a month named without one: the first year, from the period's start, in
    which that date is not before the period's start (seed: "1月底" in a 2023-09..2024-01
    period is 2024-01-31); else ``year``; else None."""
    if period is not None:
        start = period[0]
        for y in (start.year, start.year + 1):
            d = min(day or _last_day(y, month), _last_day(y, month))
            if date(y, month, d) >= start:
                return y
        return start.year + 1
    return year


def _hit_date(match: re.Match, period: Period | None, year: int | None) -> date | None:
    g = match.group
    if g("fy"):
        y = int(g("fy"))
        m = int(g("fm1") or g("fm2"))
        d = int(g("fd1") or g("fd2"))
        return date(y, m, min(d, _last_day(y, m)))
    if g("ey"):
        return date(int(g("ey")), 12, 31)
    if g("q"):
        q = cn_to_int(g("q"))
        month = 3 * q
        y = int(g("qy")) if g("qy") else _year_for(month, None, period, year)
        return date(y, month, _last_day(y, month)) if y else None
    if g("half"):
        month = 6 if g("half") == "上半年" else 12
        y = int(g("hy")) if g("hy") else _year_for(month, None, period, year)
        return date(y, month, _last_day(y, month)) if y else None
    if g("m") or g("cm"):
        month = int(g("m")) if g("m") else cn_to_int(g("cm"))
        part = g("part") or g("cpart") or ""
        day = int(g("d")) if g("d") else _PART_DAY.get(part)
        y = int(g("y")) if g("y") else _year_for(month, day, period, year)
        if not y:
            return None
        last = _last_day(y, month)
        return date(y, month, min(day or last, last))
    if g("yearend"):
        y = _year_for(12, 31, period, year)
        return date(y, 12, 31) if y else None
    return None


# Every form of _DEADLINE_RE holds 年, 月 or 季, or a digit followed by . / - (2023.12.31):
# a text without any of them is passed over without running the expression (big documents).
_MAY_HOLD_DATE_RE = re.compile(r"[年月季]|\d[./\-]\d")


def may_hold_date(text: str) -> bool:
    """False when ``text`` cannot hold any deadline phrase (nor 长期坚持 and the like): a cheap
    test that lets big documents skip the full reading of most clauses."""
    return bool(_MAY_HOLD_DATE_RE.search(text) or _ONGOING_RE.search(text))


@lru_cache(maxsize=2048)
def _matches(text: str) -> tuple[re.Match, ...]:
    """The deadline phrases of ``text`` (cached: one line is read by the deadline, the
    unread-phrase report and the evidence stage in turn; big documents, issue 16 §3)."""
    if not _MAY_HOLD_DATE_RE.search(text):
        return ()
    return tuple(match for match in _DEADLINE_RE.finditer(text)
                 if not ((match.group("m") or match.group("cm")) and _NOT_DEADLINE_AFTER.match(text, match.end())))


def _scan(text: str, period: Period | None, year: int | None) -> list[_Hit]:
    hits = []
    for match in _matches(text):
        try:
            due = _hit_date(match, period, year)
        except ValueError:  # e.g. 2023.2.30
            due = None
        hits.append(_Hit(match.span(), match.group(), due))
    return hits


def parse_deadline(text: str, period: Period | None = None, year: int | None = None) -> Deadline | None:
    """Read the deadline(s) written in ``text``; None when there is none.

    ``text``: a line, an item's text or a table cell (full-width digits allowed).
    ``period``: the campaign period, used for the year of a month named without one (the
    month's position inside the period); ``year``: the fallback year (e.g. from the title).
    Forms: "9月底之前" (month end), "11月中旬前" (the 20th), "11月上旬" (the 10th), "10月15日前",
    "年底前"/"全年" (12-31), "第一季度" (03-31), "上半年" (06-30), "2023年12月31日", "2023.12.31",
    "2023-12-31", "10月份"/"10月" (month end, samples/study-plan-gbk 三.2), "长期坚持" (ongoing).
    ``due`` is the latest date found; ``due_workday`` is set when ``due`` is not a working day.
    A phrase whose year cannot be determined yields no date. Never raises.
    """
    text = normalize_width(text)
    hits = [hit for hit in _scan(text, period, year) if hit.due is not None]
    ongoing = _ONGOING_RE.search(text)
    if not hits and not ongoing:
        return None
    dates = [hit.due for hit in hits]
    phrases = [hit.phrase for hit in hits]
    if ongoing:
        phrases.append(ongoing.group())
    due = max(dates) if dates else None
    return Deadline(
        due=due,
        due_workday=workday_adjusted(due),
        ongoing=bool(ongoing),
        phrase="、".join(phrases),
        dates=dates,
    )


def unparsed_deadline_phrases(text: str, period: Period | None = None, year: int | None = None) -> list[str]:
    """Deadline-like phrases in ``text`` that :func:`parse_deadline` could not turn into a date.

    A phrase is a cue such as "…前", "截止", "时限：" outside every parsed date (e.g. "下月底前";
    "会后一周内" is not a cue), or a date whose year is unknown (no year, period or fallback).
    Returns the clauses holding them (each once, at most 60 characters), for diagnostics
    (issue 2 §3: "every phrase it could not place"). Linear in ``len(text)``.
    """
    text = normalize_width(text)
    if "每" in text:  # "每月31日前" is a recurrence's due day, not a deadline left unread
        from .recurrence import MONTH_END_RE

        text = MONTH_END_RE.sub(lambda m: " " * len(m.group()), text)
    hits = _scan(text, period, year)
    starts = [hit.span[0] for hit in hits]  # finditer: sorted, non-overlapping
    spans = [hit.span for hit in hits if hit.due is None]
    for cue in _CUE_RE.finditer(text):
        start, end = cue.span()
        i = bisect_right(starts, start) - 1
        # A cue right after a parsed date ("9月底" + "之前") belongs to that date.
        if i >= 0 and end <= hits[i].span[1] + 4:
            continue
        spans.append((start, end))
    if not spans:
        return []
    bounds = [i for i, ch in enumerate(text) if ch in _CLAUSE_END]
    out: list[str] = []
    seen: set[tuple[int, int]] = set()
    for start, end in sorted(spans):
        i = bisect_right(bounds, start - 1)
        left = bounds[i - 1] + 1 if i > 0 else 0
        right = bounds[i] if i < len(bounds) else len(text)
        if (left, right) in seen:
            continue
        seen.add((left, right))
        clause = text[left:right].strip()
        out.append(clause if len(clause) <= 60 else clause[:59] + "…")
    return out


_CLAUSE_END = frozenset("，,。；;！？!?\n")


def deadline_spans(text: str) -> list[tuple[int, int]]:
    """(start, end) spans of the deadline-like phrases in ``normalize_width(text)``, dated or
    not; used to find the clause a deadline governs (evidence.suggest_evidence)."""
    return [hit.span for hit in _scan(normalize_width(text), None, None)]


def year_in(text: str) -> int | None:
    """The first four-digit year (1900–2099) followed by 年 in ``text``, e.g. the title
    "第三党支部2023年主题教育学习计划" → 2023 (samples/study-plan-gbk.txt); else None."""
    match = re.search(rf"(?<!\d)({_Y})\s*年", normalize_width(text))
    return int(match.group(1)) if match else None

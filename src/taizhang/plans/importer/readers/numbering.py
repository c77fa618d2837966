"""Word automatic numbering (numbering.xml) rendered to the label a reader sees.

In a .docx the labels 一、 / （一） / 1. of a multi-level list are not text: the paragraph names
a list (``w:numPr``: ``w:numId`` + ``w:ilvl``, directly or through its paragraph style) and
Word computes the label from the list definition. Source: ECMA-376 Part 1, §17.9
(Numbering): ``w:abstractNum`` holds the levels (``w:start``, ``w:numFmt``, ``w:lvlText``
with ``%1``…``%9`` placeholders, ``w:lvlRestart``, ``w:isLgl``, ``w:suff``, ``w:pStyle``);
``w:num`` points to one and may override levels (``w:lvlOverride`` with ``w:startOverride``
or a whole ``w:lvl``); ``w:numStyleLink`` points to a numbering style whose ``w:numPr``
names the real list.

Counting follows Word: every ``w:num`` that refers to the same abstract list continues the
same counters, a ``w:num`` with a ``w:startOverride`` restarts the overridden level where it
is first used, and using a level resets the deeper levels (unless their ``w:lvlRestart``
says otherwise). A level that was never used shows its start value.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from lxml import etree

from ..numerals import to_roman

W_NS = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
W = "{%s}" % W_NS


def w_val(element, child: str) -> str | None:
    """``w:val`` of the first ``w:<child>`` under ``element`` (None if absent)."""
    if element is None:
        return None
    found = element.find(W + child)
    return None if found is None else found.get(W + "val")


def _int(value: str | None, default: int | None = None) -> int | None:
    try:
        return int(value) if value is not None else default
    except ValueError:
        return default


@dataclass(frozen=True)
class Level:
    """One level of a list definition (ECMA-376 §17.9.6 ``w:lvl``)."""

    start: int = 1
    fmt: str = "decimal"
    text: str | None = None
    restart: int | None = None  # w:lvlRestart (1-based level; 0 = never); None = default
    legal: bool = False  # w:isLgl: show all levels' numbers in decimal
    suffix: str = "tab"
    style: str | None = None  # w:pStyle: the paragraph style bound to this level


def _parse_level(lvl) -> Level:
    text_el = lvl.find(W + "lvlText")
    legal_el = lvl.find(W + "isLgl")
    return Level(
        start=_int(w_val(lvl, "start"), 1),
        fmt=w_val(lvl, "numFmt") or "decimal",
        text=None if text_el is None else (text_el.get(W + "val") or ""),
        restart=_int(w_val(lvl, "lvlRestart")),
        legal=legal_el is not None and legal_el.get(W + "val", "true") not in ("0", "false", "off"),
        suffix=w_val(lvl, "suff") or "tab",
        style=w_val(lvl, "pStyle"),
    )


@dataclass
class _Num:
    abstract_id: str
    start_overrides: dict[int, int]
    level_overrides: dict[int, Level]


class Numbering:
    """Renders list labels paragraph by paragraph, in document order.

    ``numbering`` and ``styles`` are the root elements of ``word/numbering.xml`` and
    ``word/styles.xml`` (either may be None). Call :meth:`label` once for every paragraph,
    in the order a reader sees them: it advances the counters.
    """

    def __init__(self, numbering=None, styles=None):
        self._abstracts: dict[str, dict[int, Level]] = {}
        self._style_links: dict[str, str] = {}  # abstractNumId -> numbering style id
        self._nums: dict[str, _Num] = {}
        self._styles: dict[str, tuple[str | None, str | None, str | None]] = {}
        self._numbering_style_num: dict[str, str] = {}
        self._default_style: str | None = None
        self._counters: dict[str, dict[int, int]] = {}
        self._used_nums: set[str] = set()
        if styles is not None:
            self._read_styles(styles)
        if numbering is not None:
            self._read_numbering(numbering)

    # -- definitions -------------------------------------------------------------------
    def _read_numbering(self, root) -> None:
        for abstract in root.iter(W + "abstractNum"):
            abstract_id = abstract.get(W + "abstractNumId")
            levels = {}
            for lvl in abstract.findall(W + "lvl"):
                levels[_int(lvl.get(W + "ilvl"), 0)] = _parse_level(lvl)
            self._abstracts[abstract_id] = levels
            link = w_val(abstract, "numStyleLink")
            if link:
                self._style_links[abstract_id] = link
        for num in root.iter(W + "num"):
            starts: dict[int, int] = {}
            levels: dict[int, Level] = {}
            for override in num.findall(W + "lvlOverride"):
                ilvl = _int(override.get(W + "ilvl"), 0)
                start = _int(w_val(override, "startOverride"))
                if start is not None:
                    starts[ilvl] = start
                lvl = override.find(W + "lvl")
                if lvl is not None:
                    levels[ilvl] = _parse_level(lvl)
            self._nums[num.get(W + "numId")] = _Num(w_val(num, "abstractNumId") or "", starts, levels)

    def _read_styles(self, root) -> None:
        for style in root.iter(W + "style"):
            style_id = style.get(W + "styleId")
            ppr = style.find(W + "pPr")
            numpr = ppr.find(W + "numPr") if ppr is not None else None
            num_id = w_val(numpr, "numId")
            ilvl = w_val(numpr, "ilvl")
            if style.get(W + "type") == "numbering":
                if num_id:
                    self._numbering_style_num[style_id] = num_id
                continue
            if style.get(W + "type") not in (None, "paragraph"):
                continue
            based_on = w_val(style, "basedOn")
            self._styles[style_id] = (num_id, ilvl, based_on)
            if style.get(W + "default") in ("1", "true", "on"):
                self._default_style = style_id

    def _style_numpr(self, style_id: str | None) -> tuple[str | None, str | None]:
        """numId and ilvl a paragraph style gives, following ``w:basedOn`` (cycle-safe)."""
        num_id = ilvl = None
        seen = set()
        while style_id and style_id not in seen and style_id in self._styles:
            seen.add(style_id)
            s_num, s_ilvl, based_on = self._styles[style_id]
            num_id = num_id or s_num
            ilvl = ilvl or s_ilvl
            if num_id and ilvl:
                break
            style_id = based_on
        return num_id, ilvl

    def _resolve_abstract(self, abstract_id: str) -> str:
        """Follow ``w:numStyleLink`` to the abstract list that really holds the levels."""
        seen = set()
        while abstract_id in self._style_links and abstract_id not in seen:
            seen.add(abstract_id)
            num_id = self._numbering_style_num.get(self._style_links[abstract_id])
            target = self._nums.get(num_id or "")
            if target is None or target.abstract_id == abstract_id:
                break
            abstract_id = target.abstract_id
        return abstract_id

    # -- rendering ---------------------------------------------------------------------
    def label(self, paragraph) -> str | None:
        """The rendered label of a ``w:p`` element, or None if it is not numbered.

        Bullets give None: the outline stage works from numbers, and a bullet glyph (often a
        private-use Symbol-font character) is noise in the text.
        """
        ppr = paragraph.find(W + "pPr")
        numpr = ppr.find(W + "numPr") if ppr is not None else None
        style_id = w_val(ppr, "pStyle") or self._default_style
        num_id = w_val(numpr, "numId")
        ilvl_text = w_val(numpr, "ilvl")
        style_num, style_ilvl = self._style_numpr(style_id)
        num_id = num_id or style_num
        if not num_id or num_id == "0" or num_id not in self._nums:
            return None  # numId 0 switches off numbering a style would give
        num = self._nums[num_id]
        abstract_id = self._resolve_abstract(num.abstract_id)
        levels = dict(self._abstracts.get(abstract_id, {}))
        for ilvl, start in num.start_overrides.items():
            levels[ilvl] = replace(levels.get(ilvl, Level()), start=start)
        levels.update(num.level_overrides)
        ilvl_text = ilvl_text or style_ilvl
        if ilvl_text is None and style_id:
            # A style bound to a level (w:lvl/w:pStyle) without its own ilvl uses that level.
            ilvl_text = next((str(i) for i, lv in levels.items() if lv.style == style_id), None)
        ilvl = _int(ilvl_text, 0)
        if ilvl not in levels:
            return None
        counters = self._counters.setdefault(abstract_id, {})
        if num_id not in self._used_nums:
            self._used_nums.add(num_id)
            for overridden in list(num.start_overrides) + list(num.level_overrides):
                counters.pop(overridden, None)
        self._advance(counters, levels, ilvl)
        level = levels[ilvl]
        if level.fmt == "bullet":
            return None
        return self._render(level, levels, counters)

    @staticmethod
    def _advance(counters: dict[int, int], levels: dict[int, Level], ilvl: int) -> None:
        counters[ilvl] = counters[ilvl] + 1 if ilvl in counters else levels[ilvl].start
        for deeper in [k for k in counters if k > ilvl]:
            restart = levels.get(deeper, Level()).restart
            # lvlRestart is 1-based: level `deeper` restarts when a level above index
            # `restart` is used; 0 means never; absent means any higher level.
            if restart is None or (restart != 0 and ilvl < restart):
                del counters[deeper]

    @staticmethod
    def _render(level: Level, levels: dict[int, Level], counters: dict[int, int]) -> str:
        template = level.text if level.text is not None else ""
        out = []
        i = 0
        while i < len(template):
            ch = template[i]
            if ch == "%" and i + 1 < len(template) and template[i + 1].isdigit():
                k = int(template[i + 1]) - 1
                lv = levels.get(k, Level())
                value = counters.get(k, lv.start)
                fmt = "decimal" if level.legal and lv.fmt != "none" else lv.fmt
                out.append(format_number(value, fmt))
                i += 2
                continue
            out.append(ch)
            i += 1
        return "".join(out)


# -- number formats (ECMA-376 §17.18.59 ST_NumberFormat) ---------------------------------
_ZH_DIGITS = "〇一二三四五六七八九"
_ZH_UNITS = ("", "十", "百", "千")
_ZH_LEGAL_DIGITS = "零壹贰叁肆伍陆柒捌玖"
_ZH_LEGAL_UNITS = ("", "拾", "佰", "仟")
_TW_LEGAL_DIGITS = "零壹貳參肆伍陸柒捌玖"
_STEMS = "甲乙丙丁戊己庚辛壬癸"
_BRANCHES = "子丑寅卯辰巳午未申酉戌亥"


def _chinese(n: int, digits: str, units: tuple[str, ...], zero: str, short_ten: bool) -> str:
    """Chinese numerals for 0 <= n < 10**8 (万 groups): 10 十, 11 十一, 105 一百零五."""
    if n == 0:
        return digits[0]

    def below_10000(m: int) -> str:
        out, pending_zero = [], False
        for power in (3, 2, 1, 0):
            d = (m // 10**power) % 10
            if d == 0:
                pending_zero = bool(out)
                continue
            if pending_zero:
                out.append(zero)
                pending_zero = False
            out.append(digits[d] + units[power])
        return "".join(out)

    high, low = divmod(n, 10000)
    text = ""
    if high:
        text = below_10000(high) + "万"
        if low and low < 1000:
            text += zero
    text += below_10000(low) if low else ""
    if short_ten and 10 <= n < 20:
        text = text[1:]  # 一十一 -> 十一
    return text


def _letters(n: int, upper: bool) -> str:
    """Word repeats the letter: 1 a, 26 z, 27 aa, 28 bb."""
    if n <= 0:
        return str(n)
    letter = chr(ord("A" if upper else "a") + (n - 1) % 26)
    return letter * ((n - 1) // 26 + 1)


def _enclosed(n: int, ranges: tuple[tuple[int, int, int], ...]) -> str:
    for low, high, base in ranges:
        if low <= n <= high:
            return chr(base + n - low)
    return str(n)


_CIRCLED = ((1, 20, 0x2460), (21, 35, 0x3251), (36, 50, 0x32B1))


def format_number(n: int, fmt: str) -> str:
    """Render counter ``n`` in Word number format ``fmt``; unknown formats fall back to decimal."""
    if fmt == "ideographDigital":  # digit by digit: 10 -> 一〇
        return "".join(_ZH_DIGITS[int(d)] for d in str(n))
    if fmt in ("chineseCounting", "chineseCountingThousand", "taiwaneseCounting",
               "taiwaneseCountingThousand", "japaneseCounting", "koreanCounting"):
        return _chinese(n, _ZH_DIGITS, _ZH_UNITS, "零", short_ten=True)
    if fmt == "chineseLegalSimplified":
        return _chinese(n, _ZH_LEGAL_DIGITS, _ZH_LEGAL_UNITS, "零", short_ten=False)
    if fmt in ("ideographLegalTraditional", "japaneseLegal"):
        return _chinese(n, _TW_LEGAL_DIGITS, _ZH_LEGAL_UNITS, "零", short_ten=False)
    if fmt == "ideographTraditional":
        return _STEMS[(n - 1) % 10] if n > 0 else str(n)
    if fmt == "ideographZodiac":
        return _BRANCHES[(n - 1) % 12] if n > 0 else str(n)
    if fmt in ("decimalEnclosedCircle", "decimalEnclosedCircleChinese"):
        return _enclosed(n, _CIRCLED)
    if fmt == "decimalEnclosedParen":
        return _enclosed(n, ((1, 20, 0x2474),))
    if fmt == "decimalEnclosedFullstop":
        return _enclosed(n, ((1, 20, 0x2488),))
    if fmt == "ideographEnclosedCircle":
        return _enclosed(n, ((1, 10, 0x3280),))  # ㊀ … ㊉
    if fmt in ("decimalFullWidth", "decimalFullWidth2"):
        return "".join(chr(0xFF10 + int(d)) if d.isdigit() else d for d in str(n))
    if fmt == "decimalZero":
        return f"{n:02d}"
    if fmt == "lowerLetter":
        return _letters(n, upper=False)
    if fmt == "upperLetter":
        return _letters(n, upper=True)
    if fmt == "lowerRoman":
        return to_roman(n).lower()
    if fmt == "upperRoman":
        return to_roman(n)
    if fmt == "none":
        return ""
    return str(n)


def parse_xml(blob: bytes | None):
    """Parse a part's XML bytes (None stays None); XML errors propagate to the caller."""
    if not blob:
        return None
    return etree.fromstring(blob, parser=etree.XMLParser(resolve_entities=False, huge_tree=True))

"""Chinese numerals as used in outline labels and dates (一 … 九十九, 百, 〇/零, 两), and Roman
numerals (Ⅰ Ⅱ Ⅲ, I II III) as used in outline labels."""

from __future__ import annotations

from functools import lru_cache

import cn2an

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)


@lru_cache(maxsize=2048)  # labels repeat; cn2an parses each string with regular expressions
def cn_to_int(text: str) -> int | None:
    """Convert a Chinese or arabic numeral string to an int, through the maintained
    ``cn2an`` library ("normal" mode).

    ``"十二"`` → 12, ``"二十"`` → 20, ``"一百零五"`` → 105, ``"二〇二三"`` → 2023 (digit by digit),
    ``"两"`` → 2, ``"12"`` → 12. Returns None for an empty or malformed string; never raises.
    """
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    try:
        value = cn2an.cn2an(text, "normal")
    except (ValueError, KeyError, IndexError, TypeError):
        return None
    return int(value) if float(value).is_integer() else None


# Roman numerals: the Unicode number forms (Ⅰ … Ⅻ, ⅰ … ⅻ, Ⅼ Ⅽ Ⅾ Ⅿ) spelled in ASCII letters.
_ROMAN_FORMS = dict(zip(
    "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩⅪⅫⅬⅭⅮⅯ",
    ("I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII", "L", "C", "D", "M"),
))
_ROMAN_FORMS.update({chr(ord(k) + 0x10): v.lower() for k, v in list(_ROMAN_FORMS.items())})
ROMAN_FORM_CHARS = "".join(_ROMAN_FORMS)
_ROMAN_VALUES = {"I": 1, "V": 5, "X": 10, "L": 50, "C": 100, "D": 500, "M": 1000}


def roman_to_int(text: str) -> int | None:
    """Convert a Roman numeral to an int: ASCII ("XIV", "iv") or Unicode number forms ("Ⅻ",
    "ⅩⅢ", "ⅳ"), either case. Only the canonical spelling is accepted ("IIII", "VV", "IC" and
    mixed case give None), so a word that happens to use the letters is not a number.
    Returns None for an empty or malformed string; never raises.
    """
    if not text:
        return None
    ascii_text = "".join(_ROMAN_FORMS.get(ch, ch) for ch in text)
    if not (ascii_text.isupper() or ascii_text.islower()):
        return None
    upper = ascii_text.upper()
    if any(ch not in _ROMAN_VALUES for ch in upper):
        return None
    total = 0
    for i, ch in enumerate(upper):
        value = _ROMAN_VALUES[ch]
        if i + 1 < len(upper) and _ROMAN_VALUES[upper[i + 1]] > value:
            total -= value
        else:
            total += value
    if not 0 < total < 4000 or to_roman(total) != upper:
        return None
    return total


def to_roman(n: int) -> str:
    """``n`` (1–3999) in upper-case Roman numerals (4 → "IV"); other numbers as digits."""
    if not 0 < n < 4000:
        return str(n)
    out = []
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"),
                       (50, "L"), (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out.append(sym)
            n -= value
    return "".join(out)

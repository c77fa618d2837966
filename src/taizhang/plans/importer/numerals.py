"""Chinese numerals as used in outline labels and dates (一 … 九十九, 百, 〇/零, 两)."""

from __future__ import annotations

CN_DIGITS = {"〇": 0, "零": 0, "一": 1, "二": 2, "两": 2, "三": 3, "四": 4, "五": 5,
             "六": 6, "七": 7, "八": 8, "九": 9}
CN_UNITS = {"十": 10, "百": 100, "千": 1000}
CN_NUMERAL_CHARS = "".join(CN_DIGITS) + "".join(CN_UNITS)


def cn_to_int(text: str) -> int | None:
    """Convert a Chinese or arabic numeral string to an int.

    ``"十二"`` → 12, ``"二十"`` → 20, ``"一百零五"`` → 105, ``"二〇二三"`` → 2023 (digit by digit),
    ``"12"`` → 12. Returns None for an empty or malformed string; never raises.
    """
    if not text:
        return None
    if text.isascii() and text.isdigit():
        return int(text)
    if any(ch not in CN_DIGITS and ch not in CN_UNITS for ch in text):
        return None
    if not any(ch in CN_UNITS for ch in text):
        # Digit-by-digit form, e.g. 二〇二三.
        value = 0
        for ch in text:
            value = value * 10 + CN_DIGITS[ch]
        return value
    total = 0
    digit = None
    for ch in text:
        if ch in CN_DIGITS:
            digit = CN_DIGITS[ch]
        else:
            unit = CN_UNITS[ch]
            total += (1 if digit is None else digit) * unit
            digit = None
    if digit is not None:
        total += digit
    return total

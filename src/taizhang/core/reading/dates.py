"""Dates as offices type them in a cell (pure Python, no Django): one reader for every
importer (the roster's birth and joining dates; any import that reads a typed date).

:func:`parse_typed_date` accepts 2023-09-30, 2023/9/30, 2023.9.30, 2023年9月30日, 20230930,
month precision 1985年3月, 1985.03, 1985-3, 198503 (→ the 1st), year only 1985 / 1985年
(→ 1 Jan), Excel serial numbers (45199 → 2023-09-30) and full-width digits; a trailing time
("2023-09-30 00:00") is ignored. Deadlines written in words ("9月底前") are the plan
importer's ``dates.parse_deadline``.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

# Excel's 1900 date system: serial 1 = 1900-01-01, with the fictitious 1900-02-29, so
# serials from 61 on count from 1899-12-30.
_EXCEL_EPOCH = dt.date(1899, 12, 30)

_TIME_SUFFIX = re.compile(r"\s+\d{1,2}:\d{2}(:\d{2})?$")
_YMD = re.compile(r"^(\d{4})[-/.年](\d{1,2})[-/.月](\d{1,2})[日号]?$")
_YM = re.compile(r"^(\d{4})[-/.年](\d{1,2})月?(份)?$")
_Y = re.compile(r"^(\d{4})年?$")
_DIGITS8 = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_DIGITS6 = re.compile(r"^(\d{4})(\d{2})$")
_SERIAL = re.compile(r"^(\d{4,5})(\.0+)?$")




def parse_typed_date(text: str) -> dt.date | None:
    """The date typed in ``text`` (see the module docstring), or None when it is none or
    impossible (2023.13.40). No bounds: the caller says which dates make sense."""
    value = _TIME_SUFFIX.sub("", unicodedata.normalize("NFKC", text or "").strip())
    return _match_date(re.sub(r"\s+", "", value))


def _match_date(value: str) -> dt.date | None:
    parts = None
    for pattern in (_YMD, _DIGITS8):
        m = pattern.match(value)
        if m:
            parts = (int(m.group(1)), int(m.group(2)), int(m.group(3)))
            break
    else:
        for pattern in (_YM, _DIGITS6):
            m = pattern.match(value)
            if m:
                parts = (int(m.group(1)), int(m.group(2)), 1)
                break
    if parts is None:
        m = _Y.match(value)
        if m and 1900 <= int(m.group(1)) <= 2100:
            parts = (int(m.group(1)), 1, 1)
    if parts is None:
        m = _SERIAL.match(value)
        if m and 20000 <= int(m.group(1)) <= 80000:  # 1954-10-03 .. 2119-01-10
            return _EXCEL_EPOCH + dt.timedelta(days=int(m.group(1)))
        return None
    try:
        return dt.date(*parts)
    except ValueError:
        return None

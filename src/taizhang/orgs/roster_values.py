"""Cell values of a roster as offices type them → clean values; no Django.

Every parser takes the cell text and returns the clean value or raises ``ValueError`` whose
message is the reason shown to the user (Chinese, quoting the cell: “2023.13.40”).
Full-width digits and punctuation are normal input (NFKC-normalised first).
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from taizhang.core.reading.dates import parse_typed_date

_EARLIEST = dt.date(1900, 1, 1)


def nfkc(text: str) -> str:
    """NFKC-normalise and strip (full-width digits/letters/punctuation → ASCII)."""
    return unicodedata.normalize("NFKC", text or "").strip()


def parse_date(text: str, today: dt.date | None = None) -> dt.date:
    """A date typed in any of the common roster forms.

    The forms are those of :func:`taizhang.core.reading.dates.parse_typed_date` (2023-09-30,
    2023年9月30日, 1985.03, 198503, 1985年, Excel serials 45199 …). Raises ``ValueError`` for anything else, an impossible
    date (2023.13.40), a date before 1900 or after ``today`` (default: the current date).
    """
    raw = (text or "").strip()
    day = parse_typed_date(raw)
    if day is None:
        raise ValueError(f"无法识别的日期“{raw}”")
    if day < _EARLIEST:
        raise ValueError(f"日期早于1900年“{raw}”")
    if day > (today or dt.date.today()):
        raise ValueError(f"日期晚于今天“{raw}”")
    return day


GENDERS = {"男": "male", "男性": "male", "m": "male", "male": "male",
           "女": "female", "女性": "female", "f": "female", "female": "female"}


def parse_gender(text: str) -> str:
    """"male", "female" or "" (blank cell). Raises ``ValueError`` for other text."""
    value = nfkc(text).lower()
    if not value:
        return ""
    if value in GENDERS:
        return GENDERS[value]
    raise ValueError(f"无法识别的性别“{text.strip()}”（应为男或女）")


STATUSES = {"正式党员": "full", "正式": "full", "预备党员": "probationary", "预备": "probationary"}


def parse_status(text: str) -> str:
    """"full" (正式党员/正式) or "probationary" (预备党员/预备).

    Raises ``ValueError`` for a blank cell or other text: whether a member may vote depends
    on it (党章 Art. 7: probationary members have no vote), so it is never guessed.
    """
    value = re.sub(r"\s+", "", nfkc(text))
    if not value:
        raise ValueError("不能为空（应为正式党员或预备党员）")
    if value in STATUSES:
        return STATUSES[value]
    raise ValueError(f"无法识别的党员类型“{text.strip()}”（应为正式党员或预备党员）")


_MOBILE = re.compile(r"^1[3-9]\d{9}$")
_LANDLINE = re.compile(r"^(0\d{9,11}|\d{7,8})$")
_MASKED = re.compile(r"^[\d*]{7,16}$")


def parse_phone(text: str) -> tuple[str, bool]:
    """Return (phone, masked).

    A mobile number (11 digits starting with 1, an optional +86 removed) or a landline (area
    code + number, or 7–8 digits); spaces, dashes and brackets are dropped. A masked number as
    this system exports it (138****5678) is returned as written with ``masked=True``: it
    identifies the member but never overwrites the stored number. Blank → ("", False).
    Raises ``ValueError`` otherwise.
    """
    raw = (text or "").strip()
    value = re.sub(r"[\s\-()（）]", "", nfkc(raw))
    if not value:
        return "", False
    if "*" in value:
        if _MASKED.match(value) and value.strip("*"):
            return value, True
        raise ValueError(f"无法识别的电话号码“{raw}”")
    if value.startswith("+86"):
        value = value[3:]
    elif value.startswith("0086"):
        value = value[4:]
    elif value.startswith("86") and len(value) == 13:
        value = value[2:]
    if _MOBILE.match(value) or _LANDLINE.match(value):
        return value, False
    raise ValueError(f"无法识别的电话号码“{raw}”")


# Scope of a post: the member's branch, Party group, or the committee above (党委).
BRANCH, GROUP, COMMITTEE = "branch", "group", "committee"

POSITION_NAMES: dict[str, tuple[str, str]] = {
    "书记": (BRANCH, "secretary"),
    "支部书记": (BRANCH, "secretary"),
    "党支部书记": (BRANCH, "secretary"),
    "副书记": (BRANCH, "deputy_secretary"),
    "支部副书记": (BRANCH, "deputy_secretary"),
    "党支部副书记": (BRANCH, "deputy_secretary"),
    "组织委员": (BRANCH, "organization_member"),
    "宣传委员": (BRANCH, "propaganda_member"),
    "纪检委员": (BRANCH, "discipline_member"),
    "纪律检查委员": (BRANCH, "discipline_member"),
    "委员": (BRANCH, "committee_member"),
    "支委": (BRANCH, "committee_member"),
    "支部委员": (BRANCH, "committee_member"),
    "支委委员": (BRANCH, "committee_member"),
    "党小组长": (GROUP, "group_leader"),
    "党小组组长": (GROUP, "group_leader"),
    "小组长": (GROUP, "group_leader"),
    "组长": (GROUP, "group_leader"),
    "党委书记": (COMMITTEE, "secretary"),
    "党委副书记": (COMMITTEE, "deputy_secretary"),
    "党委委员": (COMMITTEE, "committee_member"),
}
# Written in the 职务 column of members without a post.
NO_POSITION = {"", "无", "党员", "普通党员", "-", "—", "/", "暂无"}
_POSITION_SPLIT = re.compile(r"[、,，;；/／\s]+|兼")

# Export labels: the inverse of POSITION_NAMES, one canonical name per (scope, role).
POSITION_LABELS: dict[tuple[str, str], str] = {
    (BRANCH, "secretary"): "书记",
    (BRANCH, "deputy_secretary"): "副书记",
    (BRANCH, "organization_member"): "组织委员",
    (BRANCH, "propaganda_member"): "宣传委员",
    (BRANCH, "discipline_member"): "纪检委员",
    (BRANCH, "committee_member"): "委员",
    (GROUP, "group_leader"): "党小组长",
    (COMMITTEE, "secretary"): "党委书记",
    (COMMITTEE, "deputy_secretary"): "党委副书记",
    (COMMITTEE, "committee_member"): "党委委员",
}


def parse_positions(text: str) -> list[tuple[str, str]]:
    """"支部书记、宣传委员" → [("branch", "secretary"), ("branch", "propaganda_member")].

    Posts are separated by 、 , ; / spaces or 兼; 无/党员/— mean none; duplicates are dropped.
    Raises ``ValueError`` naming the first post it does not know.
    """
    value = nfkc(text)
    found: list[tuple[str, str]] = []
    for token in _POSITION_SPLIT.split(value):
        token = token.strip()
        if token in NO_POSITION:
            continue
        if token not in POSITION_NAMES:
            raise ValueError(f"无法识别的职务“{token}”")
        if POSITION_NAMES[token] not in found:
            found.append(POSITION_NAMES[token])
    return found


def clean_name(text: str) -> str:
    """A person's or organization's name: NFKC, inner whitespace removed (rosters pad
    two-character names for alignment: "王  芳" → "王芳")."""
    return re.sub(r"\s+", "", nfkc(text))

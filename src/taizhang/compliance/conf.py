"""Thresholds of the compliance rules: defaults here, overridable in Django settings.

Every threshold that domain-rules.md tags [S] (practitioner practice) or [U] (unconfirmed)
is a setting, and so are the [C] numbers that a unit may legitimately read differently (the
rules page shows the current value of each). Override any of them with::

    TAIZHANG_COMPLIANCE = {"LECTURES_PER_QUARTER": 2, "BRANCH_SECRETARY_LECTURE": True}

in the settings module (or the environment-driven settings of a deployment).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings


@dataclass(frozen=True)
class Setting:
    """One named threshold: default value, Chinese label and its domain-rules tag."""

    name: str
    default: object
    label: str
    tag: str  # "C" confirmed, "S" practitioner practice, "U" unconfirmed


SETTINGS: dict[str, Setting] = {s.name: s for s in [
    Setting("FULL_MEMBERS_FOR_BRANCH", 3, "成立党支部所需正式党员数", "C"),
    Setting("BRANCH_MAX_MEMBERS", 50, "党支部党员人数上限（超过则提示拆分或成立总支）", "C"),
    Setting("FULL_MEMBERS_FOR_COMMITTEE", 7, "设立支部委员会所需正式党员数", "C"),
    Setting("COMMITTEE_MIN", 3, "支委会委员人数下限", "C"),
    Setting("COMMITTEE_USUAL_MAX", 5, "支委会委员通常人数上限", "C"),
    Setting("COMMITTEE_MAX", 7, "支委会委员人数上限（最多）", "C"),
    Setting("BRANCH_TERM_YEARS", 3, "支部委员会任期（年）", "C"),
    Setting("VILLAGE_TERM_YEARS", 5, "村、社区党支部委员会任期（年）", "C"),
    Setting("COMMITTEE_TERM_YEARS", 5, "基层党委任期（年）", "U"),
    Setting("TERM_WARN_DAYS", 90, "任期届满前提前提醒天数", "S"),
    Setting("LECTURES_PER_QUARTER", 1, "每季度党课次数", "S"),
    Setting("COMMITTEE_SECRETARY_LECTURES_PER_YEAR", 1, "党委书记每年讲党课次数", "C"),
    Setting("BRANCH_SECRETARY_LECTURE", False, "检查支部书记每年讲党课（地方做法）", "U"),
    Setting("BRANCH_SECRETARY_LECTURES_PER_YEAR", 1, "支部书记每年讲党课次数", "U"),
    Setting("ORG_LIFE_WARN_FROM", (12, 1), "组织生活会未召开的提醒起始日（月, 日）", "S"),
    Setting("QUORUM_FRACTION", 0.5, "支委会、党员大会应到会比例（须超过）", "C"),
    Setting("ELECTION_FRACTION", 0.8, "选举时有选举权的党员到会比例（须超过）", "C"),
    Setting("REQUIRED_MEETING_FIELDS", ("start_time", "place", "host", "recorder"),
            "会议记录必填项（时间、地点、主持人、记录人）", "S"),
    Setting("EXCELLENT_MAX_FRACTION", "1/3", "民主评议优秀等次占参评党员的比例上限", "C"),
    Setting("INACTIVE_MONTHS", 6, "连续未参加组织生活的月数", "U"),
    Setting("RECTIFICATION_AMBER_DAYS", 10, "整改时限临近（黄）天数", "S"),
    Setting("RECTIFICATION_NOTICE_DAYS", 20, "整改时限提示天数", "S"),
    Setting("REMINDER_WORKDAYS", 3, "期末前几个工作日提醒缺少的记录", "S"),
    Setting("VILLAGE_NAME_MARKERS", ("村", "社区"), "名称含这些字样的支部按村、社区任期计", "S"),
]}


def get(name: str):
    """The current value of setting ``name`` (``TAIZHANG_COMPLIANCE`` override, else default).

    Raises ``KeyError`` for an unknown name (a typo must not silently use no threshold)."""
    default = SETTINGS[name].default
    return getattr(settings, "TAIZHANG_COMPLIANCE", {}).get(name, default)


def current() -> list[tuple[Setting, object, bool]]:
    """Every setting with its current value and whether it differs from the default."""
    return [(s, get(s.name), get(s.name) != s.default) for s in SETTINGS.values()]

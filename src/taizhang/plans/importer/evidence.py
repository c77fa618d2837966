"""Which kind of record would satisfy a task, suggested from keywords.

Pure Python. The codes are the DESIGN.md glossary names (Meeting kinds and record kinds);
the keywords come from issue 2 §3 and the seed (二.1 党委会, 二.2 党委扩大会议, 二.6 调研,
二.7 问题清单, 二.12 民主生活会, 三.2（3） 集中学习, 二.14 建章立制).

A keyword names the work only when the task produces that record. Nouns that name a standing
thing a task may merely follow or use are therefore read with the words around them:

- 建章立制 (``institution``) is suggested only for phrases that make or revise rules:
  建立/健全/完善/制定/修订/出台/形成/构建…制度/机制/规则/细则/办法 (no other verb such as
  执行/遵守/按照 in between), 建章立制, 制度建设/机制建设, 以制度形式固定, 固化为制度
  (DESIGN.md glossary: 建章立制 = a rule or mechanism adopted; seed 二.14). "落实三会一课制度",
  "严格执行请销假制度", "遵守规章制度" follow rules: no institution.
- 群众满意度测评 (``survey``) only as 满意度测评/调查/问卷 or 测评满意度: "提升群众满意度" is an
  aim, not a survey.
- 问题清单 (``problem``) and 意见建议 (``suggestion``) are skipped where the text only works
  from them ("根据问题清单逐项整改", "对问题清单的整改情况…", "针对群众反映的意见建议抓好整改",
  seed 二.8/二.10): the last verb before the noun in its clause is 根据/按照/对照/针对/依据/
  围绕/聚焦/落实/执行 (or 对 right before it), not one that makes the list (形成/梳理/征求…).
"""

from __future__ import annotations

import re
from bisect import bisect_right

from .clean import normalize_width
from .dates import deadline_spans
from .recurrence import find_recurrence

# keyword → code. At one position the longest keyword wins (党委扩大会议 before 党委会).
# 微党课 → lecture as issue 2 §3 says ("党课/微党课 → lecture"): a micro-lecture is a Lecture
# record (kind micro_lecture), so the Lecture evidence rule covers both.
_KEYWORDS: dict[str, str] = {
    "党委扩大会议": "enlarged_committee_meeting",
    "党委扩大会": "enlarged_committee_meeting",
    "扩大会议": "enlarged_committee_meeting",
    "党委会议": "committee_meeting",
    "党委会": "committee_meeting",
    "理论学习中心组": "central_group_study",
    "中心组学习": "central_group_study",
    "中心组": "central_group_study",
    "支部党员大会": "branch_general_meeting",
    "党员大会": "branch_general_meeting",
    "支部委员会会议": "branch_committee_meeting",
    "支委会": "branch_committee_meeting",
    "党小组会": "group_meeting",
    "主题党日": "theme_party_day",
    # 民主生活会 preparation (seed 二.9 "做好年度民主生活会会前准备") before the meeting itself.
    "民主生活会会前准备": "democratic_preparation",
    "民主生活会前准备": "democratic_preparation",
    "民主生活会准备": "democratic_preparation",
    "民主生活会": "democratic_life_meeting",
    "组织生活会": "organizational_life_meeting",
    "集中学习": "study_session",
    "集体学习": "study_session",
    "专题研讨": "study_session",
    "学习研讨": "study_session",
    "读书班": "study_session",
    "个人自学": "self_study",
    "自学": "self_study",
    "微党课": "lecture",
    "党课": "lecture",
    "调查研究": "research_visit",
    "调研": "research_visit",
    "建言献策": "suggestion",
    "意见建议": "suggestion",
    "提建议": "suggestion",
    "谈心谈话": "talk",
    "谈心": "talk",
    "问题清单": "problem",
    "查摆问题": "problem",
    "查找问题": "problem",
    "整改": "rectification",
    "对照检查材料": "self_examination",
    "对照检查": "self_examination",
    "民主评议": "appraisal",
    "先进典型": "role_model",
    "榜样": "role_model",
    "示范岗": "model_post",
    "志愿服务": "volunteer_activity",
    "销号": "rectification",
    "满意度测评": "survey",
    "满意度调查": "survey",
    "满意度问卷": "survey",
    "测评满意度": "survey",
}
#: Every code :func:`suggest_evidence` may return, in a stable order. The codes are the
#: registry's evidence codes (``core.sources``) where a kind is registered; Django code maps
#: them (this module is pure Python and lists no labels).
CODES: tuple[str, ...] = tuple(dict.fromkeys([*_KEYWORDS.values(), "institution"]))


def keyword_for(code: str) -> str | None:
    """The first keyword that suggests ``code`` ("role_model" → "先进典型"), a readable name
    for a code no registered kind declares yet; None for an unknown code."""
    if code == "institution":
        return "建章立制"
    return next((word for word, value in _KEYWORDS.items() if value == code), None)


_CLAUSE_CHARS = "，,。；;！？!?\n"
# Rule-making phrases (module docstring). The verb and the rule noun must be in one clause,
# at most 20 characters apart, with no verb that follows a rule (执行, 遵守, 按照, …) between.
_MAKE_RULE = "建立健全|建立完善|健全完善|修订完善|建立|健全|完善|制定|修订|修改|出台|形成|构建|固化"
_FOLLOW_RULE = (r"(?:并|和|及|同时|严格|认真|切实|坚决)(?:执行|落实|遵守|遵照|贯彻)"
                r"|执行|遵守|遵照|按照|依照|依据|根据|对照")
_INSTITUTION = (
    rf"(?:{_MAKE_RULE})(?:(?!{_FOLLOW_RULE})[^{_CLAUSE_CHARS}]){{0,20}}?(?:制度|机制|规章|规则|细则|办法)"
    r"|建章立制|制度建设|机制建设|以制度(?:形式)?固定|(?:固化|上升|转化)为[^，,。；;\n]{0,6}?制度"
)
_KEYWORD_RE = re.compile(
    f"(?P<institution>{_INSTITUTION})|"
    + "|".join(sorted(map(re.escape, _KEYWORDS), key=len, reverse=True))
)
_CLAUSE_RE = re.compile(rf"[^{_CLAUSE_CHARS}]+")

# Lists a task may make or only work from: the last of these verbs before the noun decides.
_GOVERNED = {"问题清单", "意见建议"}
_USE_OR_MAKE_RE = re.compile(
    r"(?P<use>根据|按照|依照|依据|对照|针对|围绕|聚焦|落实|执行)"
    r"|形成|梳理|建立|列出|制定|汇总|查摆|查找|完善|细化|更新|征求|收集|听取|征集|提出|广泛"
)
_LOOK_BACK = 16


def _only_used(text: str, start: int) -> bool:
    """True when the list named at ``start`` is only worked from (module docstring)."""
    before = text[max(0, start - _LOOK_BACK):start]
    for ch in _CLAUSE_CHARS:
        before = before.rsplit(ch, 1)[-1]
    if before.endswith("对"):
        return True
    last = None
    for last in _USE_OR_MAKE_RE.finditer(before):
        pass
    return last is not None and last.group("use") is not None


def _first_kind(text: str) -> str | None:
    """The kind of the first keyword of ``text`` that names work the task produces."""
    for match in _KEYWORD_RE.finditer(text):
        if match.group("institution"):
            return "institution"
        word = match.group()
        if word in _GOVERNED and _only_used(text, match.start()):
            continue
        return _KEYWORDS[word]
    return None


class _Clauses:
    """The clauses of a text, found once, looked up by position in O(log n)."""

    def __init__(self, text: str):
        self.matches = list(_CLAUSE_RE.finditer(text))
        self.starts = [m.start() for m in self.matches]

    def at(self, pos: int) -> str:
        i = bisect_right(self.starts, pos) - 1
        if i >= 0 and pos < self.matches[i].end():
            return self.matches[i].group()
        return ""


def suggest_evidence(text: str, title: str | None = None) -> str | None:
    """Suggest the record kind (one of :data:`CODES`) that satisfies a task.

    ``text``: the item's text (label line and body); ``title``: its title, if known, else
    the first clause of ``text`` is used. Order of preference: a keyword in the title
    ("召开党委扩大会议" → enlarged_committee_meeting, seed 二.2); then in the clause that holds
    the recurrence ("每月至少安排1天时间进行集中学习" → study_session, seed 三.2（3）); then in the
    clause that holds a deadline ("9月底之前开展一次集中学习", seed 三.1); then the first keyword
    of the text. None when no keyword is present. Never raises.
    """
    text = normalize_width(text or "")
    if title is None:
        first = _CLAUSE_RE.search(text)
        title = first.group() if first else ""
    kind = _first_kind(normalize_width(title))
    if kind:
        return kind
    clauses = _Clauses(text)
    found = find_recurrence(text)
    if found is not None:
        kind = _first_kind(clauses.at(found[1][0]))
        if kind:
            return kind
    for start, _end in deadline_spans(text):
        kind = _first_kind(clauses.at(start))
        if kind:
            return kind
    return _first_kind(text)


def clause_kinds(text: str) -> list[tuple[int, str]]:
    """The record kind each clause of ``text`` names, as (clause start, code) in text order.

    A clause names the kind of its first keyword that names work the task produces (the
    rules of :func:`_first_kind`). Seed 三.6 "开展检视整改。召开专题组织生活会，…，开展民主评议党员，
    抓好建章立制" → rectification, organizational_life_meeting (twice), appraisal, institution:
    the parts of a task whose single suggestion (:func:`suggest_evidence`) is replaced by the
    parts its wording names (``plans.evidence.suggest_rules``). Never raises.
    """
    text = normalize_width(text or "")
    found = []
    for clause in _CLAUSE_RE.finditer(text):
        kind = _first_kind(clause.group())
        if kind:
            found.append((clause.start(), kind))
    return found

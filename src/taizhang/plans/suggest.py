"""Evidence rules suggested from a task's wording (DESIGN.md "Evidence rules").

The importer (pure Python, ``plans.importer.evidence``) suggests one record kind per task;
:func:`suggest_rules` turns it into ``EvidenceRule`` fields, adding the per-person rules a
clause names and the codes the registry's ``Evidence.keywords`` name (``core.sources``).
"""

from __future__ import annotations

import re

from taizhang.core import sources

from .importer.evidence import clause_kinds
from .importer.numerals import cn_to_int
from .models import EvidencePer

_EACH_MEMBER = re.compile(r"全员|每名党员|每一名党员|人人|每位党员")
_EACH_MEMBER_ACT = re.compile(r"讲|发言|撰写|交流|自学|心得|微党课")
# Seed 二.4 "领导干部要在深入学习思考的基础上，结合工作实际，为所在或所联系支部讲一堂专题党课":
# within one sentence, leaders lecturing in the branch they belong to or contact.
_EACH_LEADER = re.compile(r"(领导干部|班子成员)[^。；;！!？?\n]*?(所在|所联系|联系)[^。；;！!？?\n]*?支部"
                          r"[^。；;！!？?\n]*?[讲上][^。；;！!？?\n]*?党课")
_TIMES = re.compile(r"([0-9一二两三四五六七八九十]+)\s*[次堂场篇]")


def _times(clause: str, default: int) -> int:
    found = _TIMES.search(clause)
    if not found:
        return default
    value = found.group(1)
    return int(value) if value.isdigit() else (cn_to_int(value) or default)


def _clause_rules(text: str) -> list[dict]:
    """Per-person rules named clause by clause (seed 三.2（2）), and seed 二.4's
    "领导干部…为所在或所联系支部讲一堂专题党课" (one sentence) → a lecture by each
    leadership-team member (班子成员每人, ``plans.counting``)."""
    rules: list[dict] = []
    leaders = _EACH_LEADER.search(text)
    if leaders:
        rules.append({"record_kind": "lecture", "per": EvidencePer.EACH_LEADER, "min_count": 1})
    for clause in re.split(r"[，,。；;！!？?\n]", text):
        every_member = _EACH_MEMBER.search(clause) and _EACH_MEMBER_ACT.search(clause)
        # "普通党员讲好微党课": a micro-lecture is by definition each ordinary member's own.
        every_member = every_member or ("微党课" in clause and "党员" in clause and "书记" not in clause)
        if every_member:
            kind = "micro_lecture" if "微党课" in clause else "self_study" if "自学" in clause else None
            if kind:
                rules.append({"record_kind": kind, "per": EvidencePer.EACH_MEMBER, "min_count": 1})
        elif "书记" in clause and "党课" in clause and re.search(r"讲|上", clause) and not leaders:
            rules.append({"record_kind": "lecture", "per": EvidencePer.SECRETARY,
                          "min_count": _times(clause, 1)})
    return rules


def _keyword_at(text: str, ev: sources.Evidence) -> int | None:
    """Where the first of ``ev.keywords`` (regular expressions) occurs in ``text``, or None."""
    hits = [m.start() for m in (re.search(word, text) for word in ev.keywords) if m]
    return min(hits) if hits else None


def _suggested_per(code: str) -> str:
    found = sources.resolve(code)
    return found[1].suggest_per if found else EvidencePer.RECORD


def suggest_rules(text: str, evidence: str | None, min_count: int = 1) -> list[dict]:
    """Evidence rules for a task from its wording and the importer's suggested record kind.

    Returns dicts of EvidenceRule fields, in this order:

    1. The importer's kind as a record-count rule (``min_count``), unless a clause rule below
       covers it, or unless the wording replaces it: a registered code whose ``keywords``
       occur in the text and whose ``replaces`` (``core.sources.Evidence``) names the
       importer's kind. The importer's kind is then replaced by the parts the wording names,
       in text order: those registered codes, and the kinds the importer finds clause by
       clause (``importer.evidence.clause_kinds``) other than the replaced one, so a part no
       app registers yet (建章立制 → ``institution``) stays as a rule answered by a
       submission. Seed 二.10 "跟踪检视整改落实情况…跟踪反馈" → the tracking code instead of
       ``rectification``; seed 三.6 "开展检视整改。召开专题组织生活会…开展民主评议党员，抓好建章立制"
       → organizational_life_meeting, appraisal of each member, institution.
    2. Per-person clause rules (seed 三.2（2））: "党支部书记为支部党员讲1次党课" → a lecture by the
       secretary ≥ 1; "普通党员全员讲好微党课" → a micro-lecture by every member (also
       "普通党员讲好微党课"); seed 二.4 "领导干部…为所在或所联系支部讲一堂专题党课" → a lecture by
       each leadership-team member. "传达到每一名党员" (seed 三.1) names an audience, not a
       per-member obligation.
    3. A rule of every registered code without ``replaces`` whose ``keywords`` occur in the
       text (seed 三.2（2）"观看党员教育电视片" → film_viewing).

    A rule counts what its code's ``suggest_per`` says (民主评议: each member); no code is
    suggested twice. The declarations come from the registry, not from seed sections.
    """
    rules = _clause_rules(text)
    covered = {r["record_kind"] for r in rules}
    if "micro_lecture" in covered:
        covered.add("lecture")
    parts: list[tuple[int, str]] = []
    added: list[str] = []
    for code, (_source, ev) in sources.evidence_codes().items():
        if not ev.keywords:
            continue
        at = _keyword_at(text, ev)
        if at is None:
            continue
        if not ev.replaces:
            added.append(code)
        elif evidence and evidence in ev.replaces:
            parts.append((at, code))
    head: list[dict] = []
    if parts:
        parts += [(at, code) for at, code in clause_kinds(text) if code != evidence]
        for _at, code in sorted(parts, key=lambda p: p[0]):
            if code not in covered:
                covered.add(code)
                head.append({"record_kind": code, "per": _suggested_per(code), "min_count": 1})
    elif evidence and evidence not in covered:
        covered.add(evidence)
        head.append({"record_kind": evidence, "per": _suggested_per(evidence),
                     "min_count": max(min_count, 1)})
    tail = []
    for code in added:
        if code not in covered:
            covered.add(code)
            tail.append({"record_kind": code, "per": _suggested_per(code), "min_count": 1})
    return head + rules + tail

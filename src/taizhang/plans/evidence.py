"""Evidence rules: records that branches enter once complete the plan's tasks.

A plan task names what satisfies it (DESIGN.md "Evidence rules") with one or more
``EvidenceRule`` rows: a record kind, optional filters, a minimum count, what is counted
(records, the secretary's own records, or every member) and a window (each occurrence's
period, or the whole campaign). This module suggests the rules from the task's wording, turns
them into counts on assignments and occurrences, and moves their status through the declared
transitions ``complete_by_evidence`` / ``lose_evidence``.

Examples from the seed:
- 三.2（3）"每月至少安排1天时间进行集中学习": StudySession ≥ 1 per month per branch;
- 三.2（2）"党支部书记为支部党员讲1次党课": Lecture by the branch secretary ≥ 1;
- 三.2（2）"普通党员全员讲好微党课": a micro-lecture by each member — shown as n of N.
"""

from __future__ import annotations

import bisect
import datetime as dt
import re
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import Q

from taizhang.core.scoping import path_q
from taizhang.core.status import bulk_transition
from taizhang.orgs.models import Member, Organization, OrgKind, Position, PositionRole

from .importer.numerals import cn_to_int
from .models import (
    Assignment,
    AssignmentStatus,
    EvidencePer,
    EvidenceRule,
    EvidenceWindow,
    Occurrence,
    PlanItem,
)

MEETING_KINDS = (
    "committee_meeting", "enlarged_committee_meeting", "central_group_study",
    "branch_general_meeting", "branch_committee_meeting", "group_meeting", "party_lecture",
    "theme_party_day", "democratic_life_meeting", "organizational_life_meeting",
)


@dataclass(frozen=True)
class RecordRule:
    """How to find the records of one evidence code.

    ``model`` is an app label path ("records.Meeting"); ``filters`` are ORM lookups; ``person``
    names the field holding the member who did it (for per-person counting); ``date_field``
    the day it happened.
    """

    model: str
    filters: tuple[tuple[str, str], ...] = ()
    person: str | None = None
    date_field: str = "date"


RECORD_RULES: dict[str, RecordRule] = {
    **{kind: RecordRule("records.Meeting", (("kind", kind),)) for kind in MEETING_KINDS},
    "study_session": RecordRule("records.StudySession"),
    "self_study": RecordRule("records.SelfStudy", person="member"),
    "lecture": RecordRule("records.Lecture", person="speaker"),
    "micro_lecture": RecordRule("records.Lecture", (("kind", "micro_lecture"),), person="speaker"),
    "research_visit": RecordRule("records.ResearchVisit", person="leader"),
    "suggestion": RecordRule("records.Suggestion"),
    "talk": RecordRule("records.Talk", person="party_a"),
    "problem": RecordRule("rectification.Problem", date_field="found_on"),
}


def rule_model(rule: RecordRule):
    """The model class of ``rule``, or None when that app or model is not installed."""
    try:
        return apps.get_model(rule.model)
    except (LookupError, ValueError):
        return None


def record_rule(rule: EvidenceRule) -> RecordRule | None:
    """The record query of an evidence rule, or None when its record kind is unknown or its
    app is not installed (the task is then answered by a submission)."""
    base = RECORD_RULES.get(rule.record_kind)
    if base is None or rule_model(base) is None:
        return None
    extra = tuple(sorted((str(k), str(v)) for k, v in (rule.filters or {}).items()))
    return RecordRule(base.model, base.filters + extra, base.person, base.date_field)


def has_record_rules(item: PlanItem) -> bool:
    """True when the item is completed by records (it has a rule of a known record kind)."""
    return any(record_rule(rule) is not None for rule in item.rules.all())


_EACH_MEMBER = re.compile(r"全员|每名党员|每一名党员|人人|每位党员")
_EACH_MEMBER_ACT = re.compile(r"讲|发言|撰写|交流|自学|心得|微党课")
_TIMES = re.compile(r"([0-9一二两三四五六七八九十]+)\s*[次堂场篇]")


def _times(clause: str, default: int) -> int:
    found = _TIMES.search(clause)
    if not found:
        return default
    value = found.group(1)
    return int(value) if value.isdigit() else (cn_to_int(value) or default)


def suggest_rules(text: str, evidence: str | None, min_count: int = 1) -> list[dict]:
    """Evidence rules for a task from its wording and the importer's suggested record kind.

    Clauses naming a per-person obligation become their own rules (seed 三.2（2））:
    "党支部书记为支部党员讲1次党课" → a lecture by the secretary ≥ 1; "普通党员全员讲好微党课"
    → a micro-lecture by every member (also "普通党员讲好微党课"). The importer's kind is kept as a record-count rule
    unless a clause rule covers it already. "传达到每一名党员" (seed 三.1) names an audience,
    not a per-member obligation. Returns dicts of EvidenceRule fields.
    """
    rules: list[dict] = []
    for clause in re.split(r"[，,。；;！!？?\n]", text):
        every_member = _EACH_MEMBER.search(clause) and _EACH_MEMBER_ACT.search(clause)
        # "普通党员讲好微党课": a micro-lecture is by definition each ordinary member's own.
        every_member = every_member or ("微党课" in clause and "党员" in clause and "书记" not in clause)
        if every_member:
            kind = "micro_lecture" if "微党课" in clause else "self_study" if "自学" in clause else None
            if kind:
                rules.append({"record_kind": kind, "per": EvidencePer.EACH_MEMBER, "min_count": 1})
        elif "书记" in clause and "党课" in clause and re.search(r"讲|上", clause):
            rules.append({"record_kind": "lecture", "per": EvidencePer.SECRETARY,
                          "min_count": _times(clause, 1)})
    covered = {r["record_kind"] for r in rules}
    if "micro_lecture" in covered:
        covered.add("lecture")
    if evidence and evidence not in covered:
        rules.insert(0, {"record_kind": evidence, "per": EvidencePer.RECORD,
                         "min_count": max(min_count, 1)})
    return rules


@dataclass
class Target:
    """An assignment (non-recurring) or an occurrence, with its period and counts."""

    obj: Assignment | Occurrence
    item: PlanItem
    org: Organization
    period: tuple[dt.date, dt.date] | None
    campaign_window: tuple[dt.date, dt.date]
    results: list[tuple[int, int]] = field(default_factory=list)  # (count, needed) per rule

    def window(self, rule: EvidenceRule) -> tuple[dt.date, dt.date]:
        """The days whose records count for ``rule``: the period, or the whole campaign."""
        if self.period and rule.window == EvidenceWindow.PERIOD:
            return self.period
        return self.campaign_window

    @property
    def count(self) -> int:
        return sum(min(c, n) for c, n in self.results)

    @property
    def needed(self) -> int:
        return sum(n for _, n in self.results)

    @property
    def met(self) -> bool:
        """All rules met: each needs something and its count reaches it."""
        return bool(self.results) and all(n > 0 and c >= n for c, n in self.results)


@dataclass
class Outcome:
    """What one evaluation changed: targets evaluated, completed and fallen back."""

    evaluated: int = 0
    completed: int = 0
    reopened: int = 0
    changed: list = field(default_factory=list)


def _campaign_window(campaign) -> tuple[dt.date, dt.date]:
    return campaign.start or dt.date.min, campaign.end or dt.date.max


def targets_for(occurrences: Iterable[Occurrence], assignments: Iterable[Assignment]) -> list[Target]:
    """Targets of occurrences and of assignments of non-recurring items (querysets from
    :func:`_occurrences` / :func:`_single_assignments`, with their related rows loaded)."""
    targets = []
    for occ in occurrences:
        a = occ.assignment
        targets.append(Target(occ, a.item, a.org, (occ.period_start, occ.period_end),
                              _campaign_window(a.item.plan.campaign)))
    for a in assignments:
        targets.append(Target(a, a.item, a.org, None, _campaign_window(a.item.plan.campaign)))
    return targets


def _counted_orgs(orgs: Iterable[Organization]) -> dict[int, list[int]]:
    """For each org, the org ids whose records count for it: itself and its Party groups."""
    orgs = list({o.pk: o for o in orgs}.values())
    result = {o.pk: [o.pk] for o in orgs}
    by_path = {o.path: o.pk for o in orgs}
    step = Organization.steplen
    if orgs:
        groups = Organization.objects.filter(kind=OrgKind.GROUP, depth__in={o.depth + 1 for o in orgs})
        if len(orgs) <= 100:  # a few orgs (one record saved): prefix filters beat a depth scan
            groups = groups.filter(path_q("", [o.path for o in orgs]))
        for pk, path in groups.order_by().values_list("pk", "path"):
            parent = by_path.get(path[:-step])
            if parent is not None:
                result[parent].append(pk)
    return result


def _people(orgs: dict[int, list[int]], per: str) -> dict[int, set[int]]:
    """Member ids whose records count per org: its current secretaries, or all its members."""
    result: dict[int, set[int]] = defaultdict(set)
    if per == EvidencePer.SECRETARY:
        rows = Position.objects.filter(
            org_id__in=orgs, role=PositionRole.SECRETARY, ended_on__isnull=True
        ).order_by().values_list("org_id", "member_id")
        for org_id, member_id in rows:
            result[org_id].add(member_id)
        return result
    owner = {pk: org for org, ids in orgs.items() for pk in ids}
    for org_id, member_id in Member.objects.filter(org_id__in=owner, is_active=True).order_by(
    ).values_list("org_id", "pk"):
        result[owner[org_id]].add(member_id)
    return result


def _lo(values, start):
    return bisect.bisect_left(values, start, key=lambda v: v[0])


def _hi(values, end):
    return bisect.bisect_right(values, end, key=lambda v: v[0])


def count(targets: list[Target]) -> None:
    """Fill ``results`` (count, needed per rule) of every target: one records query per
    record rule, not per target (re-evaluation after one save and the full evaluation share
    this path)."""
    pairs: dict[RecordRule, list[tuple[Target, EvidenceRule]]] = defaultdict(list)
    for target in targets:
        target.results = []
        for rule in target.item.rules.all():
            query = record_rule(rule)
            if query is not None:
                pairs[query].append((target, rule))
    counted = _counted_orgs(t.org for t in targets) if pairs else {}
    people_cache: dict[str, dict[int, set[int]]] = {}
    for query, group in pairs.items():
        windows = [target.window(rule) for target, rule in group]
        org_ids = {pk for target, _ in group for pk in counted[target.org.pk]}
        fields = ["org_id", query.date_field] + ([f"{query.person}_id"] if query.person else [])
        rows = rule_model(query).objects.filter(
            **dict(query.filters), org_id__in=org_ids,
            **{f"{query.date_field}__range": (min(w[0] for w in windows), max(w[1] for w in windows))},
        ).order_by().values_list(*fields)
        by_org: dict[int, list] = defaultdict(list)  # org id → [(date, person)] sorted by date
        for row in rows:
            by_org[row[0]].append((row[1], row[2] if query.person else None))
        for values in by_org.values():
            values.sort(key=lambda v: v[0])
        for (target, rule), (start, end) in zip(group, windows, strict=True):
            hits = []
            for org_id in counted[target.org.pk]:
                values = by_org.get(org_id, [])
                hits.extend(values[_lo(values, start):_hi(values, end)])
            per = rule.per if query.person else EvidencePer.RECORD
            if per == EvidencePer.RECORD:
                target.results.append((len(hits), max(rule.min_count, 1)))
                continue
            if per not in people_cache:
                people_cache[per] = _people(counted, per)
            people = people_cache[per].get(target.org.pk, set())
            if per == EvidencePer.SECRETARY:
                done = sum(1 for _, person in hits if person in people)
                target.results.append((done, max(rule.min_count, 1)))
            else:
                target.results.append((len({p for _, p in hits if p in people}), len(people)))


@transaction.atomic
def apply(targets: list[Target]) -> Outcome:
    """Count ``targets`` and move each through its transitions: a pending target whose rules
    are now met is completed; a done one whose rules are no longer met falls back to pending.
    Returned and submitted targets keep their status (the committee has them in hand)."""
    count(targets)
    outcome = Outcome(evaluated=len(targets))
    counted: dict[type, list] = defaultdict(list)
    moves: dict[tuple[type, str], list] = defaultdict(list)
    for target in targets:
        obj = target.obj
        if not target.results:
            continue
        if (obj.evidence_count, obj.evidence_needed) != (target.count, target.needed):
            obj.evidence_count, obj.evidence_needed = target.count, target.needed
            counted[type(obj)].append(obj)
        if target.met and obj.status == AssignmentStatus.PENDING:
            moves[(type(obj), "complete_by_evidence")].append(obj)
            outcome.completed += 1
        elif not target.met and obj.status == AssignmentStatus.DONE:
            moves[(type(obj), "lose_evidence")].append(obj)
            outcome.reopened += 1
    for model, objs in counted.items():
        model.objects.bulk_update(objs, ["evidence_count", "evidence_needed"], batch_size=1000)
    comments = {"complete_by_evidence": "由工作记录自动完成",
                "lose_evidence": "相关工作记录已删除或修改，不再满足要求"}
    for (_model, name), objs in moves.items():
        bulk_transition(objs, name, comment=comments[name])
        outcome.changed.extend(objs)
    return outcome


def _occurrences():
    return Occurrence.objects.select_related(
        "assignment__item__plan__campaign", "assignment__org"
    ).prefetch_related("assignment__item__rules")


def _single_assignments():
    return Assignment.objects.filter(item__recurrence="").select_related(
        "item__plan__campaign", "org"
    ).prefetch_related("item__rules")


def _known_codes() -> list[str]:
    return [code for code, rule in RECORD_RULES.items() if rule_model(rule) is not None]


def evaluate_campaign(campaign) -> Outcome:
    """Evaluate every assignment and occurrence of ``campaign`` (after publishing)."""
    codes = _known_codes()
    occurrences = _occurrences().filter(
        assignment__item__plan__campaign=campaign,
        assignment__item__rules__record_kind__in=codes).distinct()
    assignments = _single_assignments().filter(
        item__plan__campaign=campaign, item__rules__record_kind__in=codes).distinct()
    return apply(targets_for(occurrences, assignments))


def evaluate_item(item: PlanItem) -> Outcome:
    """Evaluate the assignments and occurrences of one item (after its rules were edited)."""
    occurrences = _occurrences().filter(assignment__item=item)
    assignments = _single_assignments().filter(item=item)
    return apply(targets_for(occurrences, assignments))


def codes_for_model(model) -> list[str]:
    """Evidence codes whose records are of ``model``."""
    label = model._meta.label
    return [code for code, rule in RECORD_RULES.items() if rule.model == label]


def affected_targets(model, org_ids: Iterable[int], dates: Iterable[dt.date]) -> list[Target]:
    """Only the targets a change of a ``model`` record of ``org_ids`` on ``dates`` can touch:
    a rule of that record kind, the record's organization (or the branch above its Party
    group), and a window containing one of the dates."""
    codes = codes_for_model(model)
    dates = sorted({d for d in dates if d})
    if not codes or not dates:
        return []
    orgs = list(Organization.objects.filter(pk__in=set(org_ids)))
    step = Organization.steplen
    parent_paths = [o.path[:-step] for o in orgs if o.kind == OrgKind.GROUP]
    target_org_ids = {o.pk for o in orgs} | set(
        Organization.objects.filter(path__in=parent_paths).values_list("pk", flat=True)
    )
    in_period = Q(period_start__lte=dates[-1], period_end__gte=dates[0]) | Q(
        assignment__item__rules__window=EvidenceWindow.CAMPAIGN)
    occurrences = _occurrences().filter(
        in_period, assignment__org_id__in=target_org_ids,
        assignment__item__rules__record_kind__in=codes).distinct()
    assignments = _single_assignments().filter(
        org_id__in=target_org_ids, item__rules__record_kind__in=codes).distinct()
    return [
        t for t in targets_for(occurrences, assignments)
        if any(start <= d <= end for rule in t.item.rules.all()
               for start, end in [t.window(rule)] for d in dates)
    ]


def reevaluate(model, org_ids: Iterable[int], dates: Iterable[dt.date]) -> Outcome:
    """Re-evaluate after records of ``model`` changed (the records app's ``record_changed``)."""
    return apply(affected_targets(model, org_ids, dates))

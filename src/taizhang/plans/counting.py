"""The queries behind evidence counting (``plans.evidence.count``): whose records count for an
organization, who must have done something (secretaries, members, leaders), the records of
one evidence code in a window, and the names of those who still owe.

Every function here is one query (or two) for *all* targets of a count, never one per target
or per member: the assignment page, the board export, publishing and re-evaluation after one
save share them.

Per-person rules (``EvidencePer``):
- 书记本人 (secretary): the organization's current secretaries (seed 三.2（2）"党支部书记为支部
  党员讲1次党课");
- 每名党员 (each_member): the active members of the organization and of its Party groups
  (seed 三.2（2）"普通党员全员讲好微党课");
- 班子成员每人 (each_leader): the members of the organization's leadership team; each one's
  record counts only in a branch he or she belongs to or contacts (seed 二.4 "领导干部…为所在
  或所联系支部讲一堂专题党课"), see :func:`leaders`.
"""

from __future__ import annotations

import bisect
import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db.models import Q
from django.utils.module_loading import import_string

from taizhang.core import sources
from taizhang.core.scoping import path_q
from taizhang.orgs.models import (
    LeadershipMember,
    Member,
    Organization,
    OrgKind,
    Position,
    PositionRole,
)

from .models import Assignment, EvidencePer, EvidenceRule, EvidenceWindow, Occurrence, PlanItem


@dataclass(frozen=True)
class Hit:
    """One record found for a rule: its day, a key unique across models (a record reached
    through two codes is counted once), its organization and the members who did it."""

    date: object
    key: tuple[str, int]
    org_id: int
    persons: frozenset = frozenset()


@dataclass(frozen=True)
class Leader:
    """A leadership-team member and the organizations where his or her record counts: the
    branch (and Party group) he or she belongs to and the branches he or she contacts."""

    member_id: int
    orgs: frozenset


def counted_orgs(orgs: Iterable[Organization]) -> dict[int, list[int]]:
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


def people(orgs: dict[int, list[int]], per: str) -> dict[int, list[int]]:
    """Member ids who must have done it, per org (``orgs`` as from :func:`counted_orgs`): its
    current secretaries (``per`` = secretary), or its active members and those of its Party
    groups (each_member), in roster order (pk). One query."""
    result: dict[int, list[int]] = defaultdict(list)
    if per == EvidencePer.SECRETARY:
        rows = Position.objects.current().filter(  # a post starting later is not yet held
            org_id__in=orgs, role=PositionRole.SECRETARY
        ).order_by("member_id").values_list("org_id", "member_id")
        for org_id, member_id in rows:
            result[org_id].append(member_id)
        return result
    owner = {pk: org for org, ids in orgs.items() for pk in ids}
    for org_id, member_id in Member.objects.filter(org_id__in=owner, is_active=True).order_by(
            "pk").values_list("org_id", "pk"):
        result[owner[org_id]].append(member_id)
    return result


def leaders(org_ids: Iterable[int]) -> dict[int, list[Leader]]:
    """org id → the active members of its leadership team (in the team's order), each with
    the organizations where his or her records count (seed 二.4 "为所在或所联系支部"): the
    member's own branch and Party group and his or her contact branches. One query."""
    rows = LeadershipMember.objects.filter(
        team__org_id__in=set(org_ids), member__is_active=True,
    ).order_by("team__org_id", "order", "pk").values_list(
        "team__org_id", "member_id", "member__org_id", "member__group_id", "contact_branches")
    orgs: dict[tuple[int, int], set[int]] = {}
    for team_org, member_id, own_org, own_group, contact in rows:
        allowed = orgs.setdefault((team_org, member_id), set())
        allowed.update(pk for pk in (own_org, own_group, contact) if pk)
    result: dict[int, list[Leader]] = defaultdict(list)
    for (team_org, member_id), allowed in orgs.items():  # dicts keep the query's order
        result[team_org].append(Leader(member_id, frozenset(allowed)))
    return result


def leader_teams_of(org_ids: Iterable[int]) -> set[int]:
    """Ids of the organizations whose leadership team has a member belonging to or contacting
    one of ``org_ids`` (whose 班子成员每人 rules a record of those orgs can move). One query."""
    org_ids = set(org_ids)
    if not org_ids:
        return set()
    return set(LeadershipMember.objects.filter(
        Q(member__org_id__in=org_ids) | Q(member__group_id__in=org_ids)
        | Q(contact_branches__in=org_ids)).values_list("team__org_id", flat=True).distinct())


def fetch(rule, window: tuple, *, org_ids: Iterable[int] | None = None,
          person_ids: Iterable[int] | None = None, with_people: bool = False) -> list[Hit]:
    """The records of ``rule`` (a ``plans.evidence.RecordRule``) dated in ``window`` (first,
    last day), sorted by date: of ``org_ids``, or (``person_ids``) done by one of those members
    wherever they were recorded. ``with_people`` fills each hit's persons (the rule's
    ``person`` and ``people`` fields). One query (the ``people`` many-to-many is joined, its
    rows folded into one hit per record)."""
    model = apps.get_model(rule.model)
    org_column = f"{rule.org_field}_id"
    records = model.objects.filter(**dict(rule.filters),
                                   **{f"{rule.date_field}__range": window})
    if org_ids is not None:
        records = records.filter(**{f"{org_column}__in": set(org_ids)})
    if person_ids is not None:
        person_ids = set(person_ids)
        who = Q(**{f"{rule.person}_id__in": person_ids}) if rule.person else Q(pk__in=[])
        if rule.people:
            who |= Q(pk__in=model.objects.filter(**{f"{rule.people}__in": person_ids}).values("pk"))
        records = records.filter(who)
    who_fields = [f"{rule.person}_id"] if with_people and rule.person else []
    who_fields += [rule.people] if with_people and rule.people else []
    rows = records.order_by().values_list(org_column, rule.date_field, "pk", *who_fields)
    label = rule.model
    if not who_fields:
        hits = [Hit(day, (label, pk), org_id) for org_id, day, pk in rows]
    else:
        by_pk: dict[int, tuple] = {}
        persons: dict[int, set] = defaultdict(set)
        for row in rows:
            by_pk.setdefault(row[2], row)
            persons[row[2]].update(v for v in row[3:] if v)
        hits = [Hit(row[1], (label, pk), row[0], frozenset(persons[pk])) for pk, row in by_pk.items()]
    hits.sort(key=lambda h: h.date)
    return hits


def in_window(hits: list[Hit], start, end) -> list[Hit]:
    """The hits (sorted by date) dated from ``start`` to ``end`` inclusive."""
    lo = bisect.bisect_left(hits, start, key=lambda h: h.date)
    return hits[lo:bisect.bisect_right(hits, end, key=lambda h: h.date)]


def owing_names(targets) -> dict[int, str]:
    """Member id → name of everyone still owing on ``targets`` (``Target.owing``). One query
    per page, whatever the number of targets and members."""
    ids = {pk for target in targets for owed in getattr(target, "owing", {}).values() for pk in owed}
    if not ids:
        return {}
    return dict(Member.objects.filter(pk__in=ids).values_list("pk", "name"))


# -- record rules ------------------------------------------------------------------------

@dataclass(frozen=True)
class RecordRule:
    """How to find the records of one evidence code (from its registered source).

    ``model`` is an app label path ("records.Meeting"); ``filters`` are ORM lookups; ``person``
    names the field holding the member who did it and ``people`` a many-to-many of further
    members who did it (per-person counting); ``date_field`` the day it happened;
    ``org_field`` the organization it belongs to; ``code`` the evidence code; ``counter`` the
    dotted path of a custom counting function; ``also`` the codes whose records count too
    (``core.sources.Evidence``).
    """

    model: str
    filters: tuple[tuple[str, str], ...] = ()
    person: str | None = None
    date_field: str = "date"
    org_field: str = "org"
    code: str = ""
    counter: str | None = None
    people: str | None = None
    also: tuple[str, ...] = ()

    @property
    def per_person(self) -> bool:
        """True when the records name who did it (a per-person rule can count them)."""
        return bool(self.person or self.people)


def _rule_of(source, ev) -> RecordRule:
    return RecordRule(source.model, tuple(ev.filters), ev.person, source.date_field,
                      source.org_field, ev.code, ev.counter, ev.people, tuple(ev.also))


def record_rules() -> dict[str, RecordRule]:
    """Every evidence code of the registry (``core.sources``) → how its records are found."""
    return {code: _rule_of(source, ev) for code, (source, ev) in sources.evidence_codes().items()}


def rule_model(rule: RecordRule):
    """The model class of ``rule``, or None when that app or model is not installed."""
    try:
        return apps.get_model(rule.model)
    except (LookupError, ValueError):
        return None


def _base_rule(code: str) -> RecordRule | None:
    found = sources.resolve(code)
    if found is None:
        return None
    return _rule_of(*found)


def record_rule(rule: EvidenceRule) -> RecordRule | None:
    """The record query of an evidence rule, or None when its record kind is unknown or its
    app is not installed (the task is then answered by a submission). An importer alias
    (``core.sources.Evidence.aliases``) resolves to its code. A rule with filters of its own
    (lookups on its model) counts its own code only, not the codes of ``also``."""
    base = _base_rule(rule.record_kind)
    if base is None or rule_model(base) is None:
        return None
    extra = tuple(sorted((str(k), str(v)) for k, v in (rule.filters or {}).items()))
    return RecordRule(base.model, base.filters + extra, base.person, base.date_field,
                      base.org_field, base.code, base.counter, base.people,
                      () if extra else base.also)


def _also_rules(query: RecordRule) -> list[RecordRule]:
    """``query`` and the plain rules of its ``also`` codes (installed, not custom-counted):
    the records of all of them count for a rule of ``query``'s code (seed 二.3: 集中学习 also
    counts 理论学习中心组学习)."""
    result = [query]
    for code in query.also:
        other = _base_rule(code)
        if other is not None and not other.counter and rule_model(other) is not None \
                and other not in result:
            result.append(other)
    return result


# -- targets and counting ------------------------------------------------------------------

@dataclass
class Target:
    """An assignment (non-recurring) or an occurrence, with its period and counts.

    ``results`` holds (count, needed) per record rule of the item (its "slots", in rule
    order); ``owing`` maps a slot of a per-person rule to the ids of the members who still
    owe it (names: ``owing_names``)."""

    obj: Assignment | Occurrence
    item: PlanItem
    org: Organization
    period: tuple[dt.date, dt.date] | None
    campaign_window: tuple[dt.date, dt.date]
    results: list[tuple[int, int]] = field(default_factory=list)  # (count, needed) per rule
    owing: dict[int, list[int]] = field(default_factory=dict)  # slot → member ids
    unanswered: int = 0  # rules of a kind no app registers (answered by a submission)

    def window(self, rule: EvidenceRule) -> tuple[dt.date, dt.date]:
        """The days whose records count for ``rule``: for a per-period rule, the occurrence's
        period; for a task without periods that has a deadline, the campaign's start up to
        that deadline as written (seed 三.1 "9月底之前开展一次集中学习": a study in October
        does not complete it on time); otherwise, and for a whole-campaign rule, the whole
        campaign."""
        if rule.window == EvidenceWindow.PERIOD:
            if self.period:
                return self.period
            due = self.item.due
            if due:
                start, end = self.campaign_window
                return start, max(min(due, end), start)
        return self.campaign_window

    @property
    def count(self) -> int:
        return sum(min(c, n) for c, n in self.results)

    @property
    def needed(self) -> int:
        return sum(n for _, n in self.results)

    @property
    def met(self) -> bool:
        """All rules met: each needs something and its count reaches it, and no rule is of
        a kind no app registers yet (seed 三.6's 建章立制: the task then waits for a
        submission even when its other parts are recorded)."""
        return (bool(self.results) and not self.unanswered
                and all(n > 0 and c >= n for c, n in self.results))


def count(targets: list[Target]) -> None:
    """Fill ``results`` (count, needed per rule, in the item's rule order) and ``owing`` of
    every target: one records query per record rule (and per code it ``also`` counts), not
    per target or member (re-evaluation after one save and the full evaluation share this
    path). A code with a ``counter`` (``core.sources.Evidence``) is counted by that function,
    once for all its (target, rule) pairs.

    What a rule counts (``EvidenceRule.per``; a record kind naming nobody counts records):
    - record: the records in the window, each once even when reached through two codes;
    - secretary: the records done by a current secretary (speaker or co-speaker), against
      ``min_count``; while short, the secretaries owe it;
    - each_member: the members (of the org and its Party groups) who did one, of all of them;
    - each_leader: see :func:`_count_leaders` (seed 二.4)."""
    pairs: dict[RecordRule, list[tuple[Target, EvidenceRule, int]]] = defaultdict(list)
    for target in targets:
        slots = 0
        for rule in target.item.rules.all():
            query = record_rule(rule)
            if query is not None:
                pairs[query].append((target, rule, slots))
                slots += 1
        target.results = [(0, 0)] * slots
        target.unanswered = len(target.item.rules.all()) - slots
        target.owing = {}
    by_org = {q: [p for p in g if _per(q, p[1]) != EvidencePer.EACH_LEADER]
              for q, g in pairs.items() if not q.counter}
    counted = counted_orgs(t.org for g in by_org.values() for t, _r, _s in g) \
        if any(by_org.values()) else {}
    people_cache: dict[str, dict[int, list[int]]] = {}
    for query, group in pairs.items():
        if query.counter:
            results = import_string(query.counter)([(t, r) for t, r, _i in group])
            for (target, _rule, slot), result in zip(group, results, strict=True):
                target.results[slot] = result
            continue
        if by_org[query]:
            _count_by_org(query, by_org[query], counted, people_cache)
        leader_pairs = [p for p in group if _per(query, p[1]) == EvidencePer.EACH_LEADER]
        if leader_pairs:
            _count_leaders(query, leader_pairs)


def _per(query: RecordRule, rule: EvidenceRule) -> str:
    return rule.per if query.per_person else EvidencePer.RECORD


def _union_window(group) -> tuple[dt.date, dt.date]:
    windows = [target.window(rule) for target, rule, _slot in group]
    return min(w[0] for w in windows), max(w[1] for w in windows)


def _count_by_org(query: RecordRule, group, counted, people_cache) -> None:
    """Count the record, secretary and each_member rules of ``query``: the records of each
    target's organization and its Party groups (one query per code)."""
    org_ids = {pk for target, _rule, _slot in group for pk in counted[target.org.pk]}
    with_people = any(_per(query, rule) != EvidencePer.RECORD for _t, rule, _s in group)
    by_org: dict[int, list[Hit]] = defaultdict(list)
    for part in _also_rules(query):
        for hit in fetch(part, _union_window(group), org_ids=org_ids,
                                  with_people=with_people and part.per_person):
            by_org[hit.org_id].append(hit)
    for hits in by_org.values():
        hits.sort(key=lambda h: h.date)
    for target, rule, slot in group:
        start, end = target.window(rule)
        hits = {h.key: h for org_id in counted[target.org.pk]
                for h in in_window(by_org.get(org_id, []), start, end)}.values()
        per = _per(query, rule)
        if per == EvidencePer.RECORD:
            target.results[slot] = (len(hits), max(rule.min_count, 1))
            continue
        if per not in people_cache:
            people_cache[per] = people(counted, per)
        due = people_cache[per].get(target.org.pk, [])
        if per == EvidencePer.SECRETARY:
            done = sum(1 for h in hits if h.persons.intersection(due))
            needed = max(rule.min_count, 1)
            target.results[slot] = (done, needed)
            if done < needed:
                target.owing[slot] = list(due)
        else:
            did = set().union(*(h.persons for h in hits))
            target.results[slot] = (sum(1 for p in due if p in did), len(due))
            target.owing[slot] = [p for p in due if p not in did]


def _count_leaders(query: RecordRule, group) -> None:
    """Count 班子成员每人 rules (seed 二.4 "领导干部…为所在或所联系支部讲一堂专题党课"): for a
    target of organization O, every active member of O's leadership team must have a record
    of the code in the window, done by him or her (``person`` or ``people``) and recorded in
    a branch (or the Party group) he or she belongs to, or a branch he or she contacts —
    wherever that record is kept, not under O. Result: (leaders who did, all leaders); the
    others owe it. A target whose organization has no team needs 0 and is never met. Two
    queries for all targets (the teams, then the records of their members)."""
    teams = leaders(target.org.pk for target, _rule, _slot in group)
    member_ids = {leader.member_id for team in teams.values() for leader in team}
    hits = []
    if member_ids:
        for part in _also_rules(query):
            if part.per_person:
                hits += fetch(part, _union_window(group), person_ids=member_ids,
                                       with_people=True)
        hits.sort(key=lambda h: h.date)
    for target, rule, slot in group:
        team = teams.get(target.org.pk, [])
        found = in_window(hits, *target.window(rule))
        owing = [leader.member_id for leader in team if not any(
            leader.member_id in h.persons and h.org_id in leader.orgs for h in found)]
        target.results[slot] = (len(team) - len(owing), len(team))
        target.owing[slot] = owing

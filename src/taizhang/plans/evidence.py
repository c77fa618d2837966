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
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.apps import apps
from django.db import transaction
from django.db.models import Q
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from taizhang.core import sources
from taizhang.core.scoping import path_q
from taizhang.core.status import bulk_transition
from taizhang.orgs.models import Member, Organization, OrgKind, Position, PositionRole

from .importer.evidence import CODES as IMPORTER_CODES
from .importer.evidence import keyword_for
from .models import (
    Assignment,
    AssignmentStatus,
    EvidencePer,
    EvidenceRule,
    EvidenceWindow,
    Occurrence,
    PlanItem,
)
from .suggest import suggest_rules  # noqa: F401  (re-exported: plans.evidence.suggest_rules)


@dataclass(frozen=True)
class RecordRule:
    """How to find the records of one evidence code (from its registered source).

    ``model`` is an app label path ("records.Meeting"); ``filters`` are ORM lookups; ``person``
    names the field holding the member who did it (for per-person counting); ``date_field``
    the day it happened; ``org_field`` the organization it belongs to; ``code`` the evidence
    code; ``counter`` the dotted path of a custom counting function (``core.sources.Evidence``).
    """

    model: str
    filters: tuple[tuple[str, str], ...] = ()
    person: str | None = None
    date_field: str = "date"
    org_field: str = "org"
    code: str = ""
    counter: str | None = None


def record_rules() -> dict[str, RecordRule]:
    """Every evidence code of the registry (``core.sources``) → how its records are found."""
    return {
        code: RecordRule(source.model, tuple(ev.filters), ev.person, source.date_field,
                         source.org_field, code, ev.counter)
        for code, (source, ev) in sources.evidence_codes().items()
    }


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
    source, ev = found
    return RecordRule(source.model, tuple(ev.filters), ev.person, source.date_field,
                      source.org_field, ev.code, ev.counter)


def record_rule(rule: EvidenceRule) -> RecordRule | None:
    """The record query of an evidence rule, or None when its record kind is unknown or its
    app is not installed (the task is then answered by a submission). An importer alias
    (``core.sources.Evidence.aliases``) resolves to its code."""
    base = _base_rule(rule.record_kind)
    if base is None or rule_model(base) is None:
        return None
    extra = tuple(sorted((str(k), str(v)) for k, v in (rule.filters or {}).items()))
    return RecordRule(base.model, base.filters + extra, base.person, base.date_field,
                      base.org_field, base.code, base.counter)


def evidence_label(code: str | None) -> str:
    """The Chinese name of evidence ``code``: its registered source's label, else the
    importer's keyword for a kind no app declares yet (such a rule is answered by a
    submission), else the code itself."""
    if not code:
        return ""
    return sources.evidence_label(code, fallback=keyword_for(code) or code)


def evidence_choices(current: str | None = None) -> list[tuple[str, str]]:
    """The codes a task's evidence may name, with labels: every registered evidence code,
    then the importer's codes that no app declares yet (marked 需报送材料), plus ``current``
    when it is none of these (a value saved earlier keeps its choice)."""
    codes = sources.evidence_codes()
    labels = [str(ev.label) for _s, ev in codes.values()]
    # Two kinds with one name (党课 as a meeting, 党课 as a lecture record) name their source.
    choices = [(code, str(ev.label) if labels.count(str(ev.label)) == 1 else f"{ev.label}（{source.label}）")
               for code, (source, ev) in codes.items()]
    known = {code for code in sources.all_codes()}
    choices += [(code, f"{evidence_label(code)}（{_('需报送材料')}）") for code in IMPORTER_CODES
                if code not in known]
    if current and current not in {c for c, _l in choices}:
        choices.append((current, evidence_label(current)))
    return choices


def has_record_rules(item: PlanItem) -> bool:
    """True when the item is completed by records (it has a rule of a known record kind)."""
    return any(record_rule(rule) is not None for rule in item.rules.all())


@dataclass
class Target:
    """An assignment (non-recurring) or an occurrence, with its period and counts."""

    obj: Assignment | Occurrence
    item: PlanItem
    org: Organization
    period: tuple[dt.date, dt.date] | None
    campaign_window: tuple[dt.date, dt.date]
    results: list[tuple[int, int]] = field(default_factory=list)  # (count, needed) per rule
    unanswered: int = 0  # rules of a kind no app registers (answered by a submission)

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
        """All rules met: each needs something and its count reaches it, and no rule is of
        a kind no app registers yet (seed 三.6's 建章立制: the task then waits for a
        submission even when its other parts are recorded)."""
        return (bool(self.results) and not self.unanswered
                and all(n > 0 and c >= n for c, n in self.results))


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
    """Fill ``results`` (count, needed per rule, in the item's rule order) of every target:
    one records query per record rule, not per target (re-evaluation after one save and the
    full evaluation share this path). A code with a ``counter`` (``core.sources.Evidence``)
    is counted by that function, once for all its (target, rule) pairs."""
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
    plain = {q: g for q, g in pairs.items() if not q.counter}
    counted = _counted_orgs(t.org for t in targets) if plain else {}
    people_cache: dict[str, dict[int, set[int]]] = {}
    for query, group in pairs.items():
        if query.counter:
            results = import_string(query.counter)([(t, r) for t, r, _i in group])
            for (target, _rule, slot), result in zip(group, results, strict=True):
                target.results[slot] = result
            continue
        by_org = _records_by_org(query, group, counted)
        for target, rule, slot in group:
            start, end = target.window(rule)
            hits = []
            for org_id in counted[target.org.pk]:
                values = by_org.get(org_id, [])
                hits.extend(values[_lo(values, start):_hi(values, end)])
            per = rule.per if query.person else EvidencePer.RECORD
            if per == EvidencePer.RECORD:
                target.results[slot] = (len(hits), max(rule.min_count, 1))
                continue
            if per not in people_cache:
                people_cache[per] = _people(counted, per)
            people = people_cache[per].get(target.org.pk, set())
            if per == EvidencePer.SECRETARY:
                done = sum(1 for _, person in hits if person in people)
                target.results[slot] = (done, max(rule.min_count, 1))
            else:
                target.results[slot] = (len({p for _, p in hits if p in people}), len(people))


def _records_by_org(query: RecordRule, group, counted) -> dict[int, list]:
    """org id → [(date, person)] sorted by date: the records of ``query`` of the counted
    organizations of ``group``'s targets, in the union of their windows (one query)."""
    windows = [target.window(rule) for target, rule, _slot in group]
    org_ids = {pk for target, _rule, _slot in group for pk in counted[target.org.pk]}
    org_column = f"{query.org_field}_id"
    fields = [org_column, query.date_field] + ([f"{query.person}_id"] if query.person else [])
    rows = rule_model(query).objects.filter(
        **dict(query.filters), **{f"{org_column}__in": org_ids},
        **{f"{query.date_field}__range": (min(w[0] for w in windows), max(w[1] for w in windows))},
    ).order_by().values_list(*fields)
    by_org: dict[int, list] = defaultdict(list)
    for row in rows:
        by_org[row[0]].append((row[1], row[2] if query.person else None))
    for values in by_org.values():
        values.sort(key=lambda v: v[0])
    return by_org


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
    """Every code a rule may store that the registry resolves (codes and aliases)."""
    return [code for code, (source, _ev) in sources.all_codes().items()
            if rule_model(RecordRule(source.model)) is not None]


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
    """Codes (and aliases) of rules that a change of a ``model`` record can affect: the
    codes of its source, and every code that also counts one of them (``Evidence.also``) or
    whose counter reads it (``Evidence.reads``)."""
    label = model._meta.label
    table = sources.all_codes()
    own = {code for code, (source, _ev) in table.items() if source.model == label}
    return sorted(code for code, (_source, ev) in table.items()
                  if code in own or own & {*ev.also, *ev.reads})


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

"""Evidence rules: records that branches enter once complete the plan's tasks.

A plan task names what satisfies it (DESIGN.md "Evidence rules") with one or more
``EvidenceRule`` rows: a record kind, optional filters, a minimum count, what is counted
(records, the secretary's own records, or every member) and a window (each occurrence's
period, or the whole campaign). This module suggests the rules from the task's wording, turns
them into counts on assignments and occurrences, and moves their status through the declared
transitions ``complete_by_evidence`` / ``lose_evidence``. A superior's assignment delegated to
a unit's (``plans.delegation``) is not evaluated: it follows the unit's.

Examples from the seed:
- 三.2（3）"每月至少安排1天时间进行集中学习": StudySession ≥ 1 per month per branch;
- 三.2（2）"党支部书记为支部党员讲1次党课": Lecture by the branch secretary ≥ 1;
- 三.2（2）"普通党员全员讲好微党课": a micro-lecture by each member — shown as n of N;
- 二.4 "领导干部…为所在或所联系支部讲一堂专题党课": a lecture by each leadership-team member.

How records are found and counted (record rules, ``Target``, ``count``) is in
:mod:`.counting`; this module keeps the wording, evaluation and re-evaluation.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import Q
from django.utils.translation import gettext as _

from taizhang.core import sources
from taizhang.core.status import bulk_transition
from taizhang.orgs.models import Organization, OrgKind

from . import counting, delegation
from .counting import (  # noqa: F401  (re-exported: the record rules and counting live there)
    RecordRule,
    Target,
    count,
    record_rule,
    record_rules,
    rule_model,
)
from .importer.evidence import CODES as IMPORTER_CODES
from .importer.evidence import keyword_for
from .models import (
    Assignment,
    AssignmentStatus,
    EvidencePer,
    EvidenceWindow,
    Occurrence,
    PlanItem,
)
from .suggest import suggest_rules  # noqa: F401  (re-exported: plans.evidence.suggest_rules)


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
    # A derived plan's rows answer for the superior's delegated ones (plans.delegation).
    touched = {id(o): o for objs in [*counted.values(), outcome.changed] for o in objs}
    derived = [t.obj for t in targets if id(t.obj) in touched and t.item.source_item_id]
    if derived:
        delegation.follow(derived)
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
        assignment__item__plan__campaign=campaign, assignment__delegated_to__isnull=True,
        assignment__item__rules__record_kind__in=codes).distinct()
    assignments = _single_assignments().filter(
        item__plan__campaign=campaign, delegated_to__isnull=True,
        item__rules__record_kind__in=codes).distinct()
    return apply(targets_for(occurrences, assignments))


def evaluate_item(item: PlanItem) -> Outcome:
    """Evaluate the assignments and occurrences of one item (after its rules were edited)."""
    occurrences = _occurrences().filter(assignment__item=item, assignment__delegated_to__isnull=True)
    assignments = _single_assignments().filter(item=item, delegated_to__isnull=True)
    return apply(targets_for(occurrences, assignments))


def codes_for_model(model, changed: Iterable[str] | None = None) -> list[str]:
    """Codes (and aliases) of rules that a change of a ``model`` record can affect: the
    codes of its source — only those in ``changed`` when given (the codes the record
    satisfied before or after the change: a 主题党日 concerns ``theme_party_day``, not the
    other meeting kinds) — and every code that also counts one of them (``Evidence.also``)
    or whose counter reads it (``Evidence.reads``)."""
    label = model._meta.label
    table = sources.all_codes()
    changed = None if changed is None else set(changed)
    own = {code for code, (source, ev) in table.items()
           if source.model == label and (changed is None or ev.code in changed)}
    return sorted(code for code, (_source, ev) in table.items()
                  if code in own or own & {*ev.also, *ev.reads})


def affected_targets(model, org_ids: Iterable[int], dates: Iterable[dt.date],
                     codes: Iterable[str] | None = None) -> list[Target]:
    """Only the targets a change of a ``model`` record of ``org_ids`` on ``dates`` can touch:
    a rule of that record kind (of the evidence ``codes`` the record satisfied, when given:
    ``core.sources.evidence_changed``'s ``codes``), the record's organization (or the branch above its Party
    group) — or, for a 班子成员每人 rule, the organization whose leadership team has a member
    belonging to or contacting that branch (seed 二.4), or, for a code that rolls up
    (``Evidence.rolls_up``, seed 二.13), the organizations above it — and a window
    containing one of the dates."""
    codes = codes_for_model(model, codes)
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
    leader_orgs = set()
    resolved = [found for found in map(sources.resolve, codes) if found]
    if any(ev.person or ev.people for _source, ev in resolved):
        leader_orgs = counting.leader_teams_of(target_org_ids)
    # Codes a committee's rule counts over its subtree (Evidence.rolls_up): the record's
    # ancestors are affected too, for rules of those codes only.
    rollup_codes = sorted({ev.code for _source, ev in resolved if ev.rolls_up})
    ancestors = set()
    if rollup_codes:
        paths = {o.path[:i] for o in orgs for i in range(step, len(o.path), step)}
        ancestors = set(Organization.objects.filter(path__in=paths).values_list("pk", flat=True))

    def whose(prefix: str = "") -> Q:
        q = Q(**{f"{prefix}org_id__in": target_org_ids})
        if leader_orgs:
            q |= Q(**{f"{prefix}org_id__in": leader_orgs,
                      f"{prefix}item__rules__per": EvidencePer.EACH_LEADER})
        if ancestors:
            q |= Q(**{f"{prefix}org_id__in": ancestors,
                      f"{prefix}item__rules__record_kind__in": rollup_codes})
        return q

    occurrences = _occurrences().filter(
        in_period, whose("assignment__"), assignment__delegated_to__isnull=True,
        assignment__item__rules__record_kind__in=codes).distinct()
    assignments = _single_assignments().filter(
        whose(), delegated_to__isnull=True, item__rules__record_kind__in=codes).distinct()
    return [
        t for t in targets_for(occurrences, assignments)
        if any(start <= d <= end for rule in t.item.rules.all()
               for start, end in [t.window(rule)] for d in dates)
    ]


def reevaluate(model, org_ids: Iterable[int], dates: Iterable[dt.date],
               codes: Iterable[str] | None = None) -> Outcome:
    """Re-evaluate after records of ``model`` changed (``core.sources.evidence_changed``):
    the targets of :func:`affected_targets` — of the rules reading the evidence ``codes``
    the records satisfied, when given, else of every code of ``model``."""
    return apply(affected_targets(model, org_ids, dates, codes))

"""What the pages, the API, the reminder and the template tags ask of the rules.

Findings are computed from the records, so they never disagree with the ledgers (DESIGN.md
"one entry, many uses"); the committee view's are kept between requests and renewed for the
organizations whose records changed (:mod:`.store`, the only writes of this app).

- :func:`committee_report` — branches × rules for a period (the committee view, the export);
- :func:`branch_calendar` — months × required records of one branch for a year;
- :func:`still_needed` — required records of the current periods not yet there ("this
  month still needs", the reminder before a period ends);
- :func:`record_findings` — what is wrong in one meeting record (its own page).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from taizhang.core.sources import evidence_label
from taizhang.orgs.models import Organization, OrgKind

from . import conf
from . import periods as P
from .checks import committee_quorum_facts, completeness_findings, election_findings, \
    quorum_findings, vote_findings
from .engine import DUE, Context, Report, evaluate
from .rules import BY_ID, RULES, ERROR, WARNING

CALENDAR_RULES = [r for r in RULES if r.calendar]


def display_names(org_ids) -> dict[int, str]:
    """{org id: the name a user reads} — a Party group with its branch ("办公室党支部
    第一党小组"), any other organization its own name. Two queries whatever the number."""
    orgs = list(Organization.objects.filter(pk__in=list(org_ids)).values_list("id", "name", "kind", "path"))
    step = Organization.steplen
    parents = dict(Organization.objects.filter(
        path__in={path[:-step] for _i, _n, kind, path in orgs if kind == OrgKind.GROUP}).values_list("path", "name"))
    return {pk: f"{parents[path[:-step]]} {name}" if kind == OrgKind.GROUP and path[:-step] in parents else name
            for pk, name, kind, path in orgs}


def committee_report(root: Organization, period: P.Period, today: dt.date | None = None) -> Report:
    """Every active rule for ``root``'s subtree in ``period`` (see ``engine.evaluate``),
    kept between requests and renewed for the organizations changed since
    (``store.evaluate_stored``; issue 14)."""
    from .store import evaluate_stored

    return evaluate_stored(root, period, today)


@dataclass
class CalendarRow:
    """One required record of a branch (or one of its groups) for the year: its rule, the
    org it is required of, and ``slots``: (cell, number of months it spans)."""

    rule: object
    org_id: int
    org_name: str
    slots: list

    @property
    def label(self) -> str:
        """Short row label: the record kind and how often, e.g. "支委会（每月）"."""
        kind = next((c.add_kind for c, _span in self.slots if c.add_kind), "")
        return f"{kind_label(kind)}（{self.rule.period_label}）" if kind else self.rule.title


def branch_calendar(branch: Organization, year: int, today: dt.date | None = None):
    """Months × required records of ``branch`` (and its groups) for ``year``.

    Returns (rows, report): ``rows`` a list of :class:`CalendarRow` in rule order, a
    quarterly cell spanning 3 months and a yearly one 12; ``report`` the year's full
    :class:`Report` of the branch (its violations are listed under the calendar).
    """
    period = P.period_of(dt.date(year, 1, 1), P.YEAR)
    report = evaluate(branch, period, today)
    names = display_names({cell.org_id for cell in report.cells})
    span = {P.MONTH: 1, P.QUARTER: 3, P.YEAR: 12}
    grouped = defaultdict(list)
    for cell in report.cells:
        grouped[(cell.rule.id, cell.org_id)].append(cell)
    rows = []
    for rule in CALENDAR_RULES:
        for (rule_id, org_id), cells in sorted(grouped.items(), key=lambda kv: names.get(kv[0][1], "")):
            if rule_id == rule.id:
                rows.append(CalendarRow(rule, org_id, names.get(org_id, ""),
                                        [(c, span[c.rule.period]) for c in sorted(cells, key=lambda c: c.period)]))
    return rows, report


def still_needed(root: Organization, today: dt.date | None = None) -> dict[int, list]:
    """{org id: [cells]} of the required records of the periods containing ``today`` that
    are not there yet (status "due"), for every branch and group under ``root``. Constant
    number of queries whatever the number of branches (one evaluation of the year)."""
    today = today or P.today()
    report = evaluate(root, P.period_of(today, P.YEAR), today, rule_ids=[r.id for r in CALENDAR_RULES])
    result = defaultdict(list)
    for cell in report.cells:
        if cell.status == DUE and cell.period.contains(today):
            result[cell.org_id].append(cell)
    return dict(result)


@dataclass
class Finding:
    rule: object
    message: str
    severity: str


def record_findings(obj) -> list[Finding]:
    """What checks 16–19 find in one record: today only meetings (``records.Meeting``);
    any other object, ``None`` or an unsaved meeting gives []. A handful of queries."""
    from taizhang.records.models import Meeting

    if not isinstance(obj, Meeting) or obj.pk is None:
        return []
    counts = obj.attendance_counts()
    findings: list[Finding] = []
    fraction = float(conf.get("QUORUM_FRACTION"))
    c16, c17, c18, c19 = (BY_ID[i] for i in ("C16", "C17", "C18", "C19"))
    if obj.kind == "branch_committee_meeting" and c16.enabled:
        ctx = Context(obj.org, P.period_of(obj.date, P.MONTH), today=obj.date)
        ctx.__dict__["committee_attendance"] = {obj.pk: list(obj.attendance.values_list("member_id", "status"))}
        present, size = committee_quorum_facts(ctx, {"id": obj.pk, "org_id": obj.org_id, "date": obj.date,
                                                     "n_present": counts["present"], "n_expected": counts["expected"]})
        findings += [Finding(c16, m, ERROR) for m in quorum_findings(present, size, fraction)]
    if obj.kind == "branch_general_meeting" and c17.enabled:
        motions = list(obj.motions.values("title", "yes", "declared_passed"))
        messages = quorum_findings(counts["voting_present"], counts["voting_expected"], fraction, who="有表决权的党员")
        messages += vote_findings(motions, counts["voting_expected"], fraction)
        findings += [Finding(c17, m, ERROR) for m in messages]
    results = list(obj.election_results.values("post", "candidate__name", "candidate_name", "yes", "elected"))
    if results and c18.enabled:
        results = [{**r, "name": r["candidate__name"] or r["candidate_name"]} for r in results]
        findings += [Finding(c18, m, ERROR) for m in election_findings(
            results, counts["voting_expected"], counts["voting_present"], float(conf.get("ELECTION_FRACTION")))]
    if c19.enabled:
        missing_reason = obj.attendance.filter(status__in=("leave", "absent"), reason="").count()
        facts = {"start_time": obj.start_time, "place": obj.place, "host_id": obj.host_id,
                 "recorder_id": obj.recorder_id, "title": obj.title, "expected": counts["expected"],
                 "present": counts["present"], "absent": counts["absent"], "missing_reason": missing_reason}
        findings += [Finding(c19, m, WARNING) for m in completeness_findings(facts, tuple(c19.param("fields")))]
    return findings


def kind_label(kind: str) -> str:
    return evidence_label(kind)

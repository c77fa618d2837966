"""Evaluation of the rules for one organization subtree and one period.

:class:`Context` loads the facts the checks need, each with *one* query for the whole
subtree (lazily, so a check type that is not run costs nothing): the org tree, the members,
the posts, the number of records per organization × month × kind, the records to check, the
talks, the attendance summaries, the problem list. The number of queries therefore does not
grow with the number of branches (asserted in ``tests/test_queries.py``).

:func:`evaluate` runs every active rule (or those named) and returns a :class:`Report`:
the :class:`Violation` list, the frequency :class:`Cell`\\ s of the branch calendar and the
roll-ups of the committee view (per rule, per branch, red/amber/green health).
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass, field
from functools import cached_property, lru_cache

from django.db.models import CharField, Count, Func, Min, Q

from taizhang.orgs.models import Member, MemberStatus, Organization, OrgKind, Position

from . import periods as P
from .rules import ERROR, REMINDER, WARNING, Rule, active_rules

COMMITTEE_ROLES = ("secretary", "deputy_secretary", "organization_member", "propaganda_member",
                   "discipline_member", "committee_member")
# Cell statuses of the branch calendar.
MET, MISSING, DUE, FUTURE = "met", "missing", "due", "future"


@dataclass
class Violation:
    """One finding: ``rule`` broken by ``org_id`` (branch, group or committee; ``row_id`` is
    the committee-view row it counts for) in ``period``; ``message`` in Chinese; optional
    ``member_name`` and the record it is about (``record_url``, ``record_label``)."""

    rule: Rule
    org_id: int
    row_id: int
    message: str
    period: P.Period | None = None
    severity: str = ""
    member_id: int | None = None
    member_name: str = ""
    record_url: str = ""
    record_label: str = ""

    def __post_init__(self):
        self.severity = self.severity or self.rule.severity


@dataclass
class Cell:
    """One required record of the branch calendar: ``rule`` for ``org_id`` in ``period``,
    ``count`` found of ``needed``, ``status`` met/missing/due/future, the first record that
    meets it (``record_url``) and the kind to record (``add_kind``)."""

    rule: Rule
    org_id: int
    period: P.Period
    count: int
    needed: int
    status: str
    record_url: str = ""
    add_kind: str = ""

    @property
    def add_date(self) -> dt.date:
        """The date a record entered from this cell defaults to: today when it lies in the
        cell's period, else the period's nearest day (its last day for a past period), so
        the record counts for the cell it was entered from (issue 15 §2)."""
        from django.utils import timezone

        return min(max(timezone.localdate(), self.period.start), self.period.end)


@dataclass
class OrgRow:
    id: int
    name: str
    code: str
    kind: str
    path: str
    elected_on: dt.date | None
    parent_path: str


class Context:
    """The facts of one evaluation: subtree of ``root``, ``period``, ``today`` (Shanghai).

    ``as_of`` = the earlier of the period's last day and today: the state checks (structure,
    inactivity, rectification) look at that day. ``started``: the period has begun (a state
    check says nothing about a period still to come).

    The subtree is the one under ``root`` *as stored now* (:attr:`path`), not under the
    ``path`` attribute of the object passed in, which may be stale.
    """

    def __init__(self, root: Organization, period: P.Period, today: dt.date | None = None):
        self.root = root
        self.period = period
        self.today = today or P.today()
        self.as_of = min(period.end, self.today)
        self.started = period.start <= self.today
        self.violations: list[Violation] = []
        self.cells: list[Cell] = []

    # --- the tree -----------------------------------------------------------------------
    @cached_property
    def path(self) -> str:
        """The materialized path of ``root`` as stored now; every loader filters the subtree
        on it (read with the tree, see :attr:`orgs`).

        The ``path`` of the object passed in can be stale: organizations are kept in ``code``
        order (``Organization.node_order_by``), so adding an organization whose code sorts
        before an existing one renumbers the paths of that one and of those after it, in the
        database only. A stale path names *another* subtree (e.g. the branch added next),
        whose members would then be checked instead (C12 reported another branch's member).
        """
        return self._tree[0]

    @cached_property
    def orgs(self) -> dict[int, OrgRow]:
        """{org id: :class:`OrgRow`} of the subtree, in path order."""
        return self._tree[1]

    @cached_property
    def _tree(self) -> tuple[str, dict[int, OrgRow]]:
        """(root's stored path, the subtree's rows): one query, which reads the root's row by
        primary key together with the subtree under the path held; a second one only when that
        path turns out to be stale. Raises ``Organization.DoesNotExist`` for a deleted root."""
        step = Organization.steplen
        query = Organization.objects.order_by("path").values_list(
            "id", "name", "code", "kind", "path", "committee_elected_on")
        rows = list(query.filter(Q(path__startswith=self.root.path) | Q(pk=self.root.pk)))
        path = next((r[4] for r in rows if r[0] == self.root.pk), None)
        if path is None:
            raise Organization.DoesNotExist(f"organization {self.root.pk} does not exist")
        if path != self.root.path:
            rows = list(query.filter(path__startswith=path))
        return path, {r[0]: OrgRow(*r, parent_path=r[4][:-step]) for r in rows}

    @cached_property
    def _by_path(self) -> dict[str, OrgRow]:
        return {o.path: o for o in self.orgs.values()}

    def display_name(self, org_id: int) -> str:
        """The name a user reads: a Party group with its branch ("办公室党支部 第一党小组")."""
        org = self.orgs.get(org_id)
        if org is None:
            return ""
        if org.kind == OrgKind.GROUP and (parent := self._by_path.get(org.parent_path)) is not None:
            return f"{parent.name} {org.name}"
        return org.name

    def of_kind(self, *kinds: str) -> list[OrgRow]:
        return [o for o in self.orgs.values() if o.kind in kinds]

    def row_of(self, org_id: int) -> int:
        """The committee-view row of an org: a group counts for its branch (nearest branch
        ancestor); a branch, general branch or committee for itself."""
        org = self.orgs.get(org_id)
        start = org
        while org is not None and org.kind == OrgKind.GROUP:
            org = self._by_path.get(org.parent_path)
        return org.id if org is not None else (start.id if start else org_id)

    # --- people -------------------------------------------------------------------------
    @cached_property
    def members(self) -> dict[int, dict]:
        rows = (Member.objects.filter(org__path__startswith=self.path, is_active=True)
                .values("id", "name", "org_id", "group_id", "status", "joined_on"))
        return {r["id"]: r for r in rows}

    @cached_property
    def members_by_org(self) -> dict[int, list[dict]]:
        result = defaultdict(list)
        for m in self.members.values():
            result[m["org_id"]].append(m)
        return result

    @cached_property
    def members_by_group(self) -> dict[int, list[dict]]:
        result = defaultdict(list)
        for m in self.members.values():
            if m["group_id"]:
                result[m["group_id"]].append(m)
        return result

    def full_count(self, org_id: int) -> int:
        return sum(1 for m in self.members_by_org.get(org_id, []) if m["status"] == MemberStatus.FULL)

    @cached_property
    def positions(self) -> list[dict]:
        """Posts held at some time in the period (started by its end, not ended before it) by
        members still on the roll (a post left open by someone who left is not held)."""
        return list(Position.objects.filter(org__path__startswith=self.path, member__is_active=True)
                    .filter(Q(ended_on__isnull=True) | Q(ended_on__gte=self.period.start))
                    .filter(Q(started_on__isnull=True) | Q(started_on__lte=self.period.end))
                    .values("member_id", "org_id", "role", "started_on", "ended_on"))

    @cached_property
    def _positions_by_org(self) -> dict[int, list[dict]]:
        result = defaultdict(list)
        for p in self.positions:
            result[p["org_id"]].append(p)
        return result

    def posts_on(self, org_id: int, day: dt.date, roles=COMMITTEE_ROLES) -> dict[int, set[str]]:
        """{member id: roles} of the posts of ``org_id`` held on ``day``."""
        result = defaultdict(set)
        for p in self._positions_by_org.get(org_id, ()):
            if (p["role"] in roles
                    and (p["started_on"] is None or p["started_on"] <= day)
                    and (p["ended_on"] is None or p["ended_on"] >= day)):
                result[p["member_id"]].add(p["role"])
        return result

    def has_committee(self, branch_id: int, threshold: int) -> bool:
        """A branch has a 支部委员会 when it has ``threshold`` (7) or more full members or
        already 3 or more committee posts (TZ ch.6)."""
        return (self.full_count(branch_id) >= threshold
                or len(self.posts_on(branch_id, self.as_of)) >= 3)

    # --- records, aggregated (frequency) --------------------------------------------------
    @cached_property
    def meeting_counts(self) -> dict[tuple[int, str, dt.date], tuple[int, int]]:
        """{(org id, meeting kind, first of month): (count, smallest meeting id)} — one
        GROUP BY over the period for the whole subtree."""
        from taizhang.records.models import Meeting

        rows = (Meeting.objects.filter(org__path__startswith=self.path,
                                       date__range=(self.period.start, self.period.end))
                .annotate(month=MonthKey("date")).values("org_id", "kind", "month")
                .annotate(n=Count("id"), first=Min("id")).order_by())
        return {(r["org_id"], r["kind"], _as_date(r["month"])): (r["n"], r["first"]) for r in rows}

    @cached_property
    def lecture_counts(self) -> dict[tuple[int, str, dt.date], tuple[int, int]]:
        """Lectures not given at a recorded meeting (those count through the meeting),
        {(org id, lecture kind, first of month): (count, smallest id)}; one GROUP BY."""
        from taizhang.records.models import Lecture

        rows = (Lecture.objects.filter(org__path__startswith=self.path, meeting__isnull=True,
                                       date__range=(self.period.start, self.period.end))
                .annotate(month=MonthKey("date")).values("org_id", "kind", "month")
                .annotate(n=Count("id"), first=Min("id")).order_by())
        return {(r["org_id"], r["kind"], _as_date(r["month"])): (r["n"], r["first"]) for r in rows}

    def count(self, org_id: int, sources, period: P.Period) -> tuple[int, str]:
        """Records of ``sources`` ((model, kind) pairs) of ``org_id`` in ``period``: the
        number and the URL of the first one (a meeting before a lecture)."""
        total, url = 0, ""
        for month in _months(period):
            for model, kind in sources:
                table = self.meeting_counts if model == "meeting" else self.lecture_counts
                n, first = table.get((org_id, kind, month), (0, None))
                total += n
                if n and not url:
                    url = detail_url(model, first)
        return total, url

    # --- records, one by one (record checks) ---------------------------------------------
    @cached_property
    def meetings(self) -> list[dict]:
        """Meetings dated in the period up to today with their attendance counts (one query,
        no join: the counts are those stored on each meeting by the records services,
        ``Meeting.att_*``; issue 14)."""
        from django.db.models import F

        from taizhang.records.models import Meeting

        return list(Meeting.objects.filter(org__path__startswith=self.path,
                                           date__range=(self.period.start, self.as_of))
                    .values("id", "org_id", "kind", "date", "title", "start_time", "place", "host_id",
                            "recorder_id", n_expected=F("att_expected"), n_present=F("att_present"),
                            n_leave=F("att_leave"), n_voting_expected=F("att_voting_expected"),
                            n_voting_present=F("att_voting_present"),
                            n_missing_reason=F("att_missing_reason")).order_by("date", "id"))

    @cached_property
    def committee_attendance(self) -> dict[int, list[tuple[int, str]]]:
        """{meeting id: [(member id, status)]} of the 支委会 meetings in the period (one query)."""
        from taizhang.records.models import Attendance

        rows = Attendance.objects.filter(
            meeting__org__path__startswith=self.path, meeting__kind="branch_committee_meeting",
            meeting__date__range=(self.period.start, self.as_of)).values_list("meeting_id", "member_id", "status")
        result = defaultdict(list)
        for meeting_id, member_id, status in rows:
            result[meeting_id].append((member_id, status))
        return result

    @cached_property
    def motions(self) -> dict[int, list[dict]]:
        from taizhang.records.models import Motion

        rows = Motion.objects.filter(meeting__org__path__startswith=self.path,
                                     meeting__date__range=(self.period.start, self.as_of)).values(
            "id", "meeting_id", "title", "yes", "no", "abstain", "declared_passed")
        result = defaultdict(list)
        for r in rows:
            result[r["meeting_id"]].append(r)
        return result

    @cached_property
    def election_results(self) -> dict[int, list[dict]]:
        from taizhang.records.models import ElectionResult

        rows = ElectionResult.objects.filter(
            meeting__org__path__startswith=self.path,
            meeting__date__range=(self.period.start, self.as_of)).values(
            "meeting_id", "post", "candidate__name", "candidate_name", "yes", "elected")
        result = defaultdict(list)
        for r in rows:
            result[r["meeting_id"]].append(r)
        return result

    @cached_property
    def talks(self) -> list[dict]:
        """Talks of the period (one query): org, both parties, date, purpose."""
        from taizhang.records.models import Talk

        return list(Talk.objects.filter(org__path__startswith=self.path,
                                        date__range=(self.period.start, self.period.end))
                    .values("org_id", "party_a_id", "party_b_id", "date", "purpose"))

    @cached_property
    def appraisals(self) -> list[dict]:
        """民主评议 grades of the years of the period (one query): those given in the subtree
        and those of its members given elsewhere (a member who moved in), with the member's
        name and status."""
        from taizhang.evaluation.models import Appraisal

        years = range(self.period.start.year, self.period.end.year + 1)
        return list(Appraisal.objects.filter(Q(org__path__startswith=self.path)
                                             | Q(member__org__path__startswith=self.path), year__in=years)
                    .values("id", "org_id", "member_id", "member__name", "member__status", "year", "grade",
                            "follow_up").order_by("org_id", "year", "member__name", "id"))

    # --- labels -----------------------------------------------------------------------------
    def label(self, code: str, fallback: str | None = None) -> str:
        """``core.sources.evidence_label(code, fallback)``, looked up once per code in this
        evaluation (thousands of findings name a handful of kinds; issue 14)."""
        key = (code, fallback)
        labels = self.__dict__.setdefault("_labels", {})
        if key not in labels:
            from taizhang.core.sources import evidence_label

            labels[key] = evidence_label(code, fallback)
        return labels[key]

    @staticmethod
    def month_of(day: dt.date) -> P.Period:
        """The month containing the calendar date ``day`` (cached: findings of one month)."""
        return _month_of(day)

    # --- run ------------------------------------------------------------------------------
    def add(self, violation: Violation) -> None:
        self.violations.append(violation)


@lru_cache(maxsize=None)
def _detail_prefix(source: str) -> str:
    from django.urls import reverse

    from taizhang.core.sources import get_source

    return reverse(get_source(source).url_name("detail"), args=[0])[:-2]


def detail_url(source: str, pk: int) -> str:
    """The detail page of record ``pk`` of the registered source ``source`` ("meeting",
    "lecture"; ``core.sources``), reversed once per source: thousands of cells."""
    return f"{_detail_prefix(source)}{pk}/"


@lru_cache(maxsize=4096)
def _month_of(day: dt.date) -> P.Period:
    return P.period_of(day, P.MONTH)


@lru_cache(maxsize=4096)
def _months(period: P.Period) -> tuple[dt.date, ...]:
    return tuple(m.start for m in period.split(P.MONTH))


def _as_date(value) -> dt.date:
    """The first day of the month of a :class:`MonthKey` value ("2023-10") or a date."""
    if isinstance(value, str):
        return dt.date(int(value[:4]), int(value[5:7]), 1)
    return value.date() if isinstance(value, dt.datetime) else value


class MonthKey(Func):
    """"YYYY-MM" of a date column, computed by the database itself. ``TruncMonth`` on SQLite
    calls back into Python once per row (7,000 calls for a year of a tenth of the city,
    a third of the whole evaluation; issue 14)."""

    output_field = CharField()

    def as_sqlite(self, compiler, connection, **extra):
        # ``%%%%``: once for this template, once for the parameters' interpolation
        return self.as_sql(compiler, connection, template="strftime('%%%%Y-%%%%m', %(expressions)s)", **extra)

    def as_postgresql(self, compiler, connection, **extra):
        return self.as_sql(compiler, connection, template="to_char(%(expressions)s, 'YYYY-MM')", **extra)


@dataclass
class Report:
    """The result of :func:`evaluate`: the findings and what the pages need from them."""

    root: Organization
    period: P.Period
    today: dt.date
    rules: list[Rule]
    rows: list[OrgRow]
    violations: list[Violation] = field(default_factory=list)
    cells: list[Cell] = field(default_factory=list)
    _health: tuple[int, dict[int, str]] | None = field(default=None, init=False, repr=False, compare=False)

    def counted(self) -> list[Violation]:
        """Errors and warnings (reminders are shown but do not count)."""
        return [v for v in self.violations if v.severity != REMINDER]

    def by_rule(self) -> dict[str, int]:
        result = defaultdict(int)
        for v in self.counted():
            result[v.rule.id] += 1
        return dict(result)

    def by_row(self) -> dict[int, int]:
        result = defaultdict(int)
        for v in self.counted():
            result[v.row_id] += 1
        return dict(result)

    def matrix(self) -> dict[tuple[int, str], int]:
        result = defaultdict(int)
        for v in self.counted():
            result[(v.row_id, v.rule.id)] += 1
        return dict(result)

    def health(self, row_id: int) -> str:
        """"red" with any error, "amber" with warnings only, else "green" (reminders do not
        count). Looked up in :meth:`health_by_row`, so a page asking for every row costs one
        pass over the findings, not one per row."""
        return self.health_by_row().get(row_id, "green")

    def health_by_row(self) -> dict[int, str]:
        """{row id: "red" | "amber"} of the rows with an error or a warning (absent: green),
        in one pass over :attr:`violations`; computed again only when findings were added."""
        cached = self._health
        if cached is not None and cached[0] == len(self.violations):
            return cached[1]
        result: dict[int, str] = {}
        for v in self.violations:
            if v.severity == ERROR:
                result[v.row_id] = "red"
            elif v.severity == WARNING and v.row_id not in result:
                result[v.row_id] = "amber"
        self._health = (len(self.violations), result)
        return result

    def for_row(self, row_id: int, rule_id: str | None = None) -> list[Violation]:
        return [v for v in self.violations if v.row_id == row_id and (rule_id is None or v.rule.id == rule_id)]

    def for_rule(self, rule_id: str) -> list[Violation]:
        return [v for v in self.violations if v.rule.id == rule_id]


def evaluate(root: Organization, period: P.Period, today: dt.date | None = None,
             rule_ids: list[str] | None = None) -> Report:
    """Check the active rules (or ``rule_ids``) for ``root``'s subtree in ``period``.

    Rules counted per month/quarter/year run for each of their periods inside ``period``;
    rules counted over a longer period than ``period`` (a yearly rule in a quarter view) are
    not run. Periods that have not begun are "future"; the current one is "due" until it
    ends (never a violation before its last day). Returns a :class:`Report`.
    """
    from .checks import CHECKS
    from .rules import REGISTERED_CHECKS

    ctx = Context(root, period, today)
    rules = [r for r in active_rules() if (rule_ids is None or r.id in rule_ids)
             and P.ORDER[r.period] <= P.ORDER[period.kind]]
    for rule in rules:
        (CHECKS.get(rule.check) or REGISTERED_CHECKS[rule.check])(rule, ctx)
    rows = [o for o in ctx.orgs.values() if o.kind != OrgKind.GROUP]
    return Report(root, period, ctx.today, rules, rows, ctx.violations, ctx.cells)

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
from functools import cached_property, lru_cache

from django.db.models import Q

from taizhang.orgs.models import Member, MemberStatus, Organization, OrgKind, Position

from . import periods as P
from .findings import Cell, OrgRow, Report, Violation  # noqa: F401 (public here too)
from .rules import active_rules
from .sqlrows import MonthKey, Plain, day, fetch, time_of, without_cyclic_gc  # noqa: F401 (MonthKey: public here too)
from .sqlrows import month_counts as _month_counts
from .sqlrows import month_start as _as_date  # noqa: F401 (the name the tests know)

COMMITTEE_ROLES = ("secretary", "deputy_secretary", "organization_member", "propaganda_member",
                   "discipline_member", "committee_member")
#: The check types that read every meeting of the period (:attr:`Context.meetings`).
MEETING_CHECKS = frozenset({"org_life", "quorum", "completeness"})
# Cell statuses of the branch calendar.
MET, MISSING, DUE, FUTURE = "met", "missing", "due", "future"


class Context:
    """The facts of one evaluation: subtree of ``root``, ``period``, ``today`` (Shanghai).

    ``as_of`` = the earlier of the period's last day and today: the state checks (structure,
    inactivity, rectification) look at that day. ``started``: the period has begun (a state
    check says nothing about a period still to come).

    ``only_orgs`` (org ids; None = all) restricts the evaluation to the committee-view rows
    of those organizations (:attr:`only`): the loaders read the rows' organizations only
    (:meth:`within`), the checks see only those organizations (:meth:`of_kind`) and
    :func:`evaluate` keeps only their findings — what :mod:`.store` recomputes after a change.

    The subtree is the one under ``root`` *as stored now* (:attr:`path`), not under the
    ``path`` attribute of the object passed in, which may be stale.
    """

    def __init__(self, root: Organization, period: P.Period, today: dt.date | None = None,
                 only_orgs=None):
        self.root = root
        self.only_orgs = None if only_orgs is None else set(only_orgs)
        self.period = period
        self.today = today or P.today()
        self.as_of = min(period.end, self.today)
        self.started = period.start <= self.today
        self.violations: list[Violation] = []
        self.cells: list[Cell] = []
        #: the checks run will read :attr:`meetings` (set by :func:`evaluate`): the month
        #: counts of a past period are then taken from those rows instead of a GROUP BY
        self.reads_meetings = False

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
        """The organizations of ``kinds`` in the subtree (of the rows evaluated), path order."""
        scope = self._scope
        return [o for o in self.orgs.values() if o.kind in kinds and (scope is None or o.id in scope)]

    @cached_property
    def only(self) -> set[int] | None:
        """The committee-view rows evaluated (None: all): those of ``only_orgs``."""
        if self.only_orgs is None:
            return None
        return {self.row_of(o) for o in self.only_orgs if o in self.orgs}

    @cached_property
    def _scope(self) -> set[int] | None:
        """The organizations whose facts are loaded (None: the whole subtree): those of the
        rows evaluated, a branch with its groups."""
        if self.only is None:
            return None
        return {o for o in self.orgs if self.row_of(o) in self.only}

    def within(self, prefix: str = "org") -> Q:
        """The filter of the facts of the organizations evaluated on the organization field
        ``prefix`` ("org", "meeting__org"): the subtree's path, or the ids of :attr:`_scope`."""
        if self._scope is None:
            return Q(**{f"{prefix}__path__startswith": self.path})
        return Q(**{f"{prefix}_id__in": sorted(self._scope)})

    def row_of(self, org_id: int) -> int:
        """The committee-view row of an org: a group counts for its branch (nearest branch
        ancestor); a branch, general branch or committee for itself (an org outside the
        subtree: itself). Looked up in a table made once per evaluation."""
        return self._rows.get(org_id, org_id)

    @cached_property
    def _rows(self) -> dict[int, int]:
        result = {}
        for org_id, start in self.orgs.items():
            org = start
            while org is not None and org.kind == OrgKind.GROUP:
                org = self._by_path.get(org.parent_path)
            result[org_id] = org.id if org is not None else start.id
        return result

    # --- people -------------------------------------------------------------------------
    @cached_property
    def members(self) -> dict[int, dict]:
        """{member id: {id, name, org_id, group_id, status, joined_on}} of the active members
        of the organizations evaluated (one query, rows read as tuples: :mod:`.sqlrows`)."""
        rows = fetch(Member.objects.filter(self.within(), is_active=True).annotate(joined=Plain("joined_on"))
                     .values_list("id", "name", "org_id", "group_id", "status", "joined"))
        return {r[0]: {"id": r[0], "name": r[1], "org_id": r[2], "group_id": r[3], "status": r[4],
                       "joined_on": day(r[5])} for r in rows}

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
        """The number of full (not probationary) active members on ``org_id``'s roll."""
        return self._full_counts.get(org_id, 0)

    @cached_property
    def _full_counts(self) -> dict[int, int]:
        result: dict[int, int] = defaultdict(int)
        for m in self.members.values():
            if m["status"] == MemberStatus.FULL:
                result[m["org_id"]] += 1
        return result

    @cached_property
    def positions(self) -> list[dict]:
        """Posts held at some time in the period (started by its end, not ended before it) by
        members still on the roll (a post left open by someone who left is not held)."""
        return list(Position.objects.filter(self.within(), member__is_active=True)
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
        GROUP BY over the period for the whole subtree; for a period that is over, when the
        checks read :attr:`meetings` anyway (:attr:`reads_meetings`), counted from those rows
        (the same meetings: the period up to its last day), without a query."""
        from taizhang.records.models import Meeting

        if self.reads_meetings and self.as_of >= self.period.end:
            counts: dict[tuple[int, str, dt.date], tuple[int, int]] = {}
            for m in self.meetings:
                key = (m["org_id"], m["kind"], _first_of_month(m["date"]))
                found = counts.get(key)
                counts[key] = (1, m["id"]) if found is None else (found[0] + 1, min(found[1], m["id"]))
            return counts
        return _month_counts(Meeting.objects.filter(self.within(),
                                                    date__range=(self.period.start, self.period.end)))

    @cached_property
    def lecture_counts(self) -> dict[tuple[int, str, dt.date], tuple[int, int]]:
        """Lectures not given at a recorded meeting (those count through the meeting),
        {(org id, lecture kind, first of month): (count, smallest id)}; one GROUP BY."""
        from taizhang.records.models import Lecture

        return _month_counts(Lecture.objects.filter(self.within(), meeting__isnull=True,
                                                    date__range=(self.period.start, self.period.end)))

    def count(self, org_id: int, sources, period: P.Period) -> tuple[int, str]:
        """Records of ``sources`` ((model, kind) pairs) of ``org_id`` in ``period``: the
        number and the URL of the first one (a meeting before a lecture)."""
        total, url = 0, ""
        for month in _months(period):
            for model, kind in sources:
                found = (self.meeting_counts if model == "meeting" else self.lecture_counts).get((org_id, kind, month))
                if found:  # a group holds one record at least
                    total += found[0]
                    if not url:
                        url = detail_url(model, found[1])
        return total, url

    # --- records, one by one (record checks) ---------------------------------------------
    @cached_property
    def meetings(self) -> list[dict]:
        """Meetings dated in the period up to today with their attendance counts (one query,
        no join: the counts are those stored on each meeting by the records services,
        ``Meeting.att_*``; issue 14)."""
        from taizhang.records.models import Meeting

        rows = fetch(Meeting.objects.filter(self.within(), date__range=(self.period.start, self.as_of))
                     .annotate(day=Plain("date"), start=Plain("start_time"))
                     .values_list("id", "org_id", "kind", "title", "place", "host_id", "recorder_id", "att_expected",
                                  "att_present", "att_leave", "att_voting_expected", "att_voting_present",
                                  "att_missing_reason", "day", "start").order_by("date", "id"))
        return [{"id": r[0], "org_id": r[1], "kind": r[2], "date": day(r[13]), "title": r[3],
                 "start_time": time_of(r[14]), "place": r[4], "host_id": r[5], "recorder_id": r[6],
                 "n_expected": r[7], "n_present": r[8], "n_leave": r[9], "n_voting_expected": r[10],
                 "n_voting_present": r[11], "n_missing_reason": r[12]} for r in rows]

    @cached_property
    def meetings_by_kind(self) -> dict[str, list[dict]]:
        """{meeting kind: :attr:`meetings` of that kind, in date order}."""
        result = defaultdict(list)
        for m in self.meetings:
            result[m["kind"]].append(m)
        return result

    @cached_property
    def committee_attendance(self) -> dict[int, list[tuple[int, str]]]:
        """{meeting id: [(member id, status)]} of the 支委会 meetings in the period (one query)."""
        from taizhang.records.models import Attendance

        rows = Attendance.objects.filter(
            self.within("meeting__org"), meeting__kind="branch_committee_meeting",
            meeting__date__range=(self.period.start, self.as_of)).values_list("meeting_id", "member_id", "status")
        result = defaultdict(list)
        for meeting_id, member_id, status in rows:
            result[meeting_id].append((member_id, status))
        return result

    @cached_property
    def committee_present(self) -> dict[int, list[int]]:
        """{meeting id: [member ids present]} of the 支委会 meetings in the period (one query,
        the rows with status present only, read as tuples)."""
        from taizhang.records.models import Attendance

        rows = fetch(Attendance.objects.filter(
            self.within("meeting__org"), meeting__kind="branch_committee_meeting", status="present",
            meeting__date__range=(self.period.start, self.as_of)).order_by().values_list("meeting_id", "member_id"))
        result = defaultdict(list)
        for meeting_id, member_id in rows:
            result[meeting_id].append(member_id)
        return result

    @cached_property
    def motions(self) -> dict[int, list[dict]]:
        from taizhang.records.models import Motion

        rows = Motion.objects.filter(self.within("meeting__org"),
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
            self.within("meeting__org"),
            meeting__date__range=(self.period.start, self.as_of)).values(
            "meeting_id", "post", "candidate__name", "candidate_name", "yes", "elected")
        result = defaultdict(list)
        for r in rows:
            result[r["meeting_id"]].append(r)
        return result

    @cached_property
    def talk_rows(self) -> list[tuple]:
        """Talks of the period (one query), as (org id, party a, party b, purpose, date as read:
        :func:`.sqlrows.day`) tuples, in no particular order."""
        from taizhang.records.models import Talk

        talks = Talk.objects.filter(org__path__startswith=self.path, date__range=(self.period.start, self.period.end))
        if self._scope is not None:  # those of the rows evaluated and those their people took part in
            people = sorted({*self.members, *(p["member_id"] for p in self.positions)})
            talks = talks.filter(self.within() | Q(party_a_id__in=people) | Q(party_b_id__in=people))
        # order_by(): unordered (partners and days do not depend on it); Meta.ordering (date)
        # would make SQLite walk the year's talks by date instead of the parties' indexes
        # when the rows evaluated are few (60 ms instead of 1 ms at city scale)
        return fetch(talks.order_by().annotate(day=Plain("date"))
                     .values_list("org_id", "party_a_id", "party_b_id", "purpose", "day"))

    @cached_property
    def talks(self) -> list[dict]:
        """Talks of the period: org, both parties, date, purpose (from :attr:`talk_rows`, in no
        particular order)."""
        return [{"org_id": o, "party_a_id": a, "party_b_id": b, "date": day(d), "purpose": p}
                for o, a, b, p, d in self.talk_rows]

    @cached_property
    def talk_partners(self) -> dict[int, set[int]]:
        """{member id: those they talked with in the period} (either direction, any org or
        purpose; from :attr:`talk_rows`)."""
        result = defaultdict(set)
        for _o, a, b, _p, _d in self.talk_rows:
            result[a].add(b)
            result[b].add(a)
        return result

    def talk_days(self, purpose: str) -> dict[int, list[dt.date]]:
        """{org id: the days of its talks of ``purpose`` in the period} (from :attr:`talk_rows`)."""
        cache = self.__dict__.setdefault("_talk_days", {})
        if purpose not in cache:
            result = defaultdict(list)
            for o, _a, _b, p, d in self.talk_rows:
                if p == purpose:
                    result[o].append(day(d))
            cache[purpose] = result
        return cache[purpose]

    @cached_property
    def appraisals(self) -> list[dict]:
        """民主评议 grades of the years of the period (one query): those given in the subtree
        and those of its members given elsewhere (a member who moved in), with the member's
        name and status."""
        from taizhang.evaluation.models import Appraisal

        years = range(self.period.start.year, self.period.end.year + 1)
        return list(Appraisal.objects.filter(self.within() | self.within("member__org"), year__in=years)
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


@lru_cache(maxsize=4096)
def _first_of_month(day: dt.date) -> dt.date:
    return day.replace(day=1)


def evaluate(root: Organization, period: P.Period, today: dt.date | None = None,
             rule_ids: list[str] | None = None, only_orgs=None) -> Report:
    """Check the active rules (or ``rule_ids``) for ``root``'s subtree in ``period``.

    Rules counted per month/quarter/year run for each of their periods inside ``period``;
    rules counted over a longer period than ``period`` (a yearly rule in a quarter view) are
    not run. Periods that have not begun are "future"; the current one is "due" until it
    ends (never a violation before its last day). ``only_orgs`` (org ids): evaluate only
    the committee-view rows of those organizations (see :class:`Context`); the report then
    holds their findings only. Returns a :class:`Report`.
    """
    from .checks import CHECKS
    from .rules import REGISTERED_CHECKS

    ctx = Context(root, period, today, only_orgs)
    rules = [r for r in active_rules() if (rule_ids is None or r.id in rule_ids)
             and P.ORDER[r.period] <= P.ORDER[period.kind]]
    ctx.reads_meetings = any(r.check in MEETING_CHECKS for r in rules)
    if ctx.only is None or ctx.only:
        with without_cyclic_gc():
            for rule in rules:
                (CHECKS.get(rule.check) or REGISTERED_CHECKS[rule.check])(rule, ctx)
    violations, cells = ctx.violations, ctx.cells
    if ctx.only is not None:  # a check reading facts beyond the rows evaluated says nothing of others
        only = ctx.only
        violations = [v for v in violations if v.row_id in only]
        cells = [c for c in cells if ctx.row_of(c.org_id) in only]
    rows = [o for o in ctx.orgs.values() if o.kind != OrgKind.GROUP]
    return Report(root, period, ctx.today, rules, rows, violations, cells, ctx.row_of, ctx.only)

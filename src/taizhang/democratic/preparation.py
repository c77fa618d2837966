"""Before the meeting: the talk matrix and the materials' review state (check 22; seed 二.9).

The pairs the regulations ask for (domain-rules §2 step 3, [S] 316wls): the 主要负责人 ↔ each
member, the members ↔ each other, each member ↔ the heads of the departments he supervises
(:class:`~.models.Supervision`). The 主要负责人 is the team's first member (``order``): teams list
their 书记 first. A pair is filled by any 谈心谈话 (``records.Talk``) between the two people, in
either direction, dated in the window.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction
from itertools import combinations

from django.utils.translation import gettext as _

from taizhang.orgs.models import LeadershipMember
from taizhang.records.models import Talk

from .models import ExamStatus, LifeMeeting, SelfExamination, Supervision


@dataclass
class Pair:
    """One required talk: members ``a`` and ``b`` (``orgs.Member``), its ``relation`` (Chinese)
    and the talk that fills it (or None)."""

    a: object
    b: object
    relation: str
    talk: object = None
    code: str = "team_team"  # records.TalkRelation value of the talk that fills it

    @property
    def done(self) -> bool:
        return self.talk is not None

    def __str__(self):
        return f"{self.a.name}—{self.b.name}"


@dataclass
class Matrix:
    """The talk matrix of a team for ``start``..``end``: ``leaders`` (LeadershipMember, in
    order), ``pairs`` (:class:`Pair`), and the grid lookups of the template."""

    leaders: list
    pairs: list[Pair]
    start: dt.date
    end: dt.date
    grid: dict = field(default_factory=dict)

    @property
    def needed(self) -> int:
        return len(self.pairs)

    @property
    def covered(self) -> int:
        return sum(1 for p in self.pairs if p.done)

    @property
    def complete(self) -> bool:
        return bool(self.pairs) and self.covered == self.needed

    @property
    def missing(self) -> list[Pair]:
        return [p for p in self.pairs if not p.done]

    @property
    def department_pairs(self) -> list[Pair]:
        return [p for p in self.pairs if p.code == "team_department"]

    def rows(self) -> list[tuple]:
        """(leader, [cell]) per leader for the grid, a cell being None on the diagonal, else
        the pair (done or not)."""
        result = []
        for row in self.leaders:
            cells = []
            for col in self.leaders:
                cells.append(None if row.pk == col.pk else self.grid.get(frozenset((row.member_id, col.member_id))))
            result.append((row, cells))
        return result


def required_pairs(leaders: list, supervisions: list) -> list[Pair]:
    """The pairs of the matrix from the team's members (in order; the first is the 主要负责人)
    and their :class:`Supervision` rows; a head who is himself on the team adds no pair."""
    pairs: list[Pair] = []
    if not leaders:
        return pairs
    principal = leaders[0].member_id
    seen = set()
    for x, y in combinations(leaders, 2):
        first = principal in (x.member_id, y.member_id)
        pairs.append(Pair(x.member, y.member, _("书记↔班子成员") if first else _("班子成员之间"),
                          code="secretary_team" if first else "team_team"))
        seen.add(frozenset((x.member_id, y.member_id)))
    team_ids = {lm.member_id for lm in leaders}
    for s in supervisions:
        key = frozenset((s.leader.member_id, s.head_id))
        if s.head_id in team_ids or key in seen:
            continue
        seen.add(key)
        pairs.append(Pair(s.leader.member, s.head, _("班子成员↔分管部门负责人"), code="team_department"))
    return pairs


def fill(pairs: list[Pair], talks) -> None:
    """Put the first talk of each pair (talks in date order) on it."""
    by_key = {}
    for t in talks:
        by_key.setdefault(frozenset((t.party_a_id, t.party_b_id)), t)
    for p in pairs:
        p.talk = by_key.get(frozenset((p.a.pk, p.b.pk)))


def _talks(people: set[int], start: dt.date, end: dt.date):
    return (Talk.objects.filter(party_a_id__in=people, party_b_id__in=people, date__range=(start, end))
            .order_by("date", "pk"))


def talk_matrix(team, start: dt.date, end: dt.date) -> Matrix:
    """The talk matrix of ``team`` (``orgs.LeadershipTeam``) with the talks dated ``start`` to
    ``end`` (inclusive). Four queries whatever the team's size."""
    leaders = list(LeadershipMember.objects.filter(team=team).select_related("member").order_by("order", "pk"))
    supervisions = list(Supervision.objects.filter(leader__team=team).select_related("leader__member", "head"))
    pairs = required_pairs(leaders, supervisions)
    people = {p.a.pk for p in pairs} | {p.b.pk for p in pairs}
    fill(pairs, _talks(people, start, end) if people else [])
    grid = {frozenset((p.a.pk, p.b.pk)): p for p in pairs}
    return Matrix(leaders, pairs, start, end, grid)


@dataclass
class Materials:
    """The materials of a team for a year: ``expected`` (None for the team's, then each
    LeadershipMember), ``by_whose`` (leader id or None → the latest SelfExamination) and the
    ones not approved by ``before`` (named)."""

    expected: list
    by_whose: dict
    before: dt.date | None
    leaders: list = field(default_factory=list)

    def approved(self, key) -> bool:
        exam = self.by_whose.get(key)
        return bool(exam and exam.status == ExamStatus.APPROVED
                    and (self.before is None or (exam.approved_on or dt.date.max) <= self.before))

    @property
    def needed(self) -> int:
        return len(self.expected)

    @property
    def done(self) -> int:
        return sum(1 for k in self.expected if self.approved(k))

    @property
    def complete(self) -> bool:
        return self.done == self.needed

    @property
    def missing(self) -> list[str]:
        names = {lm.pk: lm.member.name for lm in self.leaders}
        return [names.get(k, _("领导班子")) if k else _("领导班子") for k in self.expected if not self.approved(k)]


def materials(team, year: int, before: dt.date | None = None) -> Materials:
    """The team's and each member's 对照检查材料 for ``year``; approved means approved on or
    before ``before`` (the meeting day) when given. Two queries."""
    leaders = list(LeadershipMember.objects.filter(team=team).select_related("member").order_by("order", "pk"))
    exams = SelfExamination.objects.filter(team=team, year=year).order_by("pk")
    by_whose = {}
    for exam in exams:
        by_whose[exam.leader_id] = exam
    return Materials([None, *(lm.pk for lm in leaders)], by_whose, before, leaders)


def window_of(meeting) -> tuple[dt.date, dt.date]:
    """The days whose talks prepare ``meeting`` (a LifeMeeting): from 1 January of its year
    to the meeting day."""
    return dt.date(meeting.year, 1, 1), meeting.date


@dataclass
class Readiness:
    """The preparation status shown on a meeting record (check 22)."""

    matrix: Matrix
    materials: Materials
    opinions: int

    @property
    def ready(self) -> bool:
        return self.matrix.complete and self.materials.complete


def readiness(meeting) -> Readiness:
    """The preparation of ``meeting`` (a LifeMeeting): talk matrix, materials approved before
    the day, opinions gathered for its year."""
    from .models import Opinion

    start, end = window_of(meeting)
    return Readiness(talk_matrix(meeting.team, start, end), materials(meeting.team, meeting.year, meeting.date),
                     Opinion.objects.filter(team=meeting.team, year=meeting.year).count())


QUORUM = Fraction(2, 3)  # MS: at least 2/3 of those who should attend (check 21)
REPORT_DAYS = 15  # the report and record within 15 days (check 23, [S])


def quorum_of(meeting: LifeMeeting) -> dict:
    """{"expected", "present", "met"}: present ≥ 2/3 of expected (MS, check 21)."""
    counts = meeting.meeting.attendance_counts() if meeting.meeting_id else {"expected": 0, "present": 0}
    expected, present = counts["expected"], counts["present"]
    return {"expected": expected, "present": present, "met": expected > 0 and present >= QUORUM * expected}


def report_state(meeting: LifeMeeting, today) -> dict:
    """{"days": days taken or None, "on_time": bool or None (still open), "due": last day}."""
    due = meeting.date + dt.timedelta(days=REPORT_DAYS)
    if meeting.reported_on:
        return {"days": (meeting.reported_on - meeting.date).days, "on_time": meeting.reported_on <= due, "due": due}
    return {"days": None, "on_time": None if today <= due else False, "due": due}

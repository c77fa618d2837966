"""专题组织生活会 and 民主评议党员 across the branches of a committee (issue 10 §2).

Seed 二.13 asks the committee to arrange both ("安排部署专题组织生活会和民主评议党员事宜"), 三.6
asks every branch to hold them, with "党员领导干部以普通党员身份参加所在党支部或党小组的专题组织
生活会" (双重组织生活: domain-rules.md §1.2, [C] TZ; MS Art. 3). For one organization's subtree
and one year this module gathers, per branch:

- its 专题组织生活会 (records.Meeting of kind ``organizational_life_meeting``, held by the
  branch or one of its Party groups) in the year: date and attendance (实到 / 应到);
- for each leadership-team member whose own branch it is (``LeadershipMember.member.org``):
  whether he or she is marked present at one of those meetings;
- its 民主评议 progress: graded n of N (N = active members on its roll who had joined by the
  year's end, n = those of them with a grade for the year, wherever given; compliance check
  12) and the 优秀 share of the grades the branch gave (at most ``EXCELLENT_MAX_FRACTION``,
  1/3 by default, of the members rated: [C] PY; compliance check 13), with any 预备党员 rated
  优秀 named;
- whether it is late: the deadline is past (31 December of the year, or the campaign's end when
  the view is of a campaign, seed 二.13 / 三.6 being campaign tasks) and it held no 专题组织生活会
  in the window (the year, or the campaign's period), or not all its members are graded.

A fixed number of queries whatever the number of branches (:func:`branch_life`).
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from fractions import Fraction

from django.db.models import Count, Q

from taizhang.compliance import conf
from taizhang.orgs.models import LeadershipMember, Member, MemberStatus, Organization, OrgKind
from taizhang.records.models import Attendance, Meeting, MeetingKind
from taizhang.records.models.attendance import AttendanceStatus

from .models import Appraisal, Grade


@dataclass
class LeaderAttendance:
    """One leadership-team member (``leader``, an ``orgs.LeadershipMember``) and his own
    branch's 专题组织生活会: ``attended`` is the first such meeting he is marked present at
    (None: not present at any, or none held)."""

    leader: LeadershipMember
    branch: Organization | None
    attended: Meeting | None = None


@dataclass
class BranchLife:
    """One branch's row (see the module docstring for each figure's definition)."""

    org: Organization
    meetings: list[Meeting] = field(default_factory=list)
    leaders: list[LeaderAttendance] = field(default_factory=list)
    members: int = 0  # N: to be graded
    graded: int = 0  # n: graded for the year
    rated: int = 0  # grades given by this branch for the year
    excellent: int = 0  # of which 优秀
    excellent_max: int = 0  # floor(rated × the allowed fraction)
    probationary_excellent: list[str] = field(default_factory=list)
    meeting_late: bool = False
    appraisal_late: bool = False

    @property
    def excellent_over(self) -> bool:
        """More 优秀 than the rule allows (check 13)."""
        return self.excellent > self.excellent_max

    @property
    def graded_complete(self) -> bool:
        return self.graded >= self.members

    @property
    def late(self) -> bool:
        return self.meeting_late or self.appraisal_late


@dataclass
class BranchLifeReport:
    """The committee view of ``root`` for ``year`` (meetings of ``start``–``due``, deadline
    ``due``, judged on ``today``)."""

    root: Organization
    year: int
    start: dt.date
    due: dt.date
    today: dt.date
    max_fraction: Fraction
    rows: list[BranchLife]
    leaders: list[LeaderAttendance]

    @property
    def late(self) -> list[BranchLife]:
        """The branches that are late, in tree order."""
        return [r for r in self.rows if r.late]

    @property
    def held(self) -> int:
        """Branches that held a 专题组织生活会 in the year."""
        return sum(1 for r in self.rows if r.meetings)

    @property
    def graded_branches(self) -> int:
        """Branches whose members are all graded."""
        return sum(1 for r in self.rows if r.graded_complete)

    @property
    def leaders_attended(self) -> int:
        return sum(1 for a in self.leaders if a.attended)

    @property
    def max_fraction_text(self) -> str:
        f = self.max_fraction
        return f"{f.numerator}/{f.denominator}" if f.denominator > 1 else str(f.numerator)


def _branch_of(path: str, branches_by_path: dict[str, Organization], step: int) -> Organization | None:
    """The branch whose subtree holds ``path`` (the org itself or an ancestor), or None."""
    for end in range(len(path), 0, -step):
        branch = branches_by_path.get(path[:end])
        if branch is not None:
            return branch
    return None


def branch_life(root: Organization, year: int, today: dt.date,
                window: tuple[dt.date, dt.date] | None = None) -> BranchLifeReport:
    """Gather the report of ``root``'s subtree (``root`` itself if it is a branch) for the
    appraisal ``year``; meetings are those dated in ``window`` (start, end; default the
    calendar year), whose end is the deadline judged on ``today``. Seven queries, whatever
    the number of branches, meetings, members or leaders. Raises ``ValueError`` if the
    window ends before it starts; an org without branches gives no rows."""
    start, due = window or (dt.date(year, 1, 1), dt.date(year, 12, 31))
    if due < start:
        raise ValueError(f"window ends before it starts: {start} – {due}")
    over = today > due
    max_fraction = Fraction(str(conf.get("EXCELLENT_MAX_FRACTION")))
    step = Organization.steplen
    below = {"org__path__startswith": root.path}

    branches = list(Organization.objects.filter(path__startswith=root.path, kind=OrgKind.BRANCH)
                    .order_by("path"))
    rows = {b.path: BranchLife(org=b) for b in branches}
    by_path = {b.path: b for b in branches}

    meetings = list(Meeting.objects.filter(kind=MeetingKind.ORGANIZATIONAL_LIFE_MEETING,
                                           date__range=(start, due), **below)
                    .with_counts().select_related("org").order_by("date", "pk"))
    meeting_branch = {}
    for meeting in meetings:
        branch = _branch_of(meeting.org.path, by_path, step)
        if branch is not None:
            rows[branch.path].meetings.append(meeting)
            meeting_branch[meeting.pk] = branch.pk

    # Leaders of the teams in the subtree, and leaders (of any team) whose own branch is in it.
    leaders = list(LeadershipMember.objects.filter(
        Q(team__org__path__startswith=root.path) | Q(member__org__path__startswith=root.path))
        .select_related("member__org", "team__org").order_by("team__org__path", "order", "pk"))
    present = {}
    if leaders and meetings:
        for meeting_id, member_id in (Attendance.objects.filter(
                meeting_id__in=meeting_branch, member_id__in={lm.member_id for lm in leaders},
                status=AttendanceStatus.PRESENT).order_by("meeting__date").values_list("meeting_id", "member_id")):
            present.setdefault((member_id, meeting_branch[meeting_id]), meeting_id)
    meetings_by_pk = {m.pk: m for m in meetings}
    attendances = []
    for lm in leaders:
        branch = _branch_of(lm.member.org.path, by_path, step)
        pk = present.get((lm.member_id, branch.pk)) if branch is not None else None
        entry = LeaderAttendance(leader=lm, branch=branch, attended=meetings_by_pk.get(pk))
        attendances.append(entry)
        if branch is not None:
            rows[branch.path].leaders.append(entry)

    # N and n per branch: active members who had joined by the year's end; graded anywhere.
    counts = (Member.objects.filter(is_active=True, **below)
              .filter(Q(joined_on__isnull=True) | Q(joined_on__lte=dt.date(year, 12, 31)))
              .values("org__path").order_by()
              .annotate(n=Count("id", distinct=True),
                        graded=Count("appraisals", filter=Q(appraisals__year=year), distinct=True)))
    for row in counts:
        branch = _branch_of(row["org__path"], by_path, step)
        if branch is not None:
            rows[branch.path].members += row["n"]
            rows[branch.path].graded += row["graded"]

    # The grades each branch gave: 优秀 share (check 13) and any 预备党员 rated 优秀.
    given = (Appraisal.objects.filter(year=year, **below).values("org__path").order_by()
             .annotate(rated=Count("id"), excellent=Count("id", filter=Q(grade=Grade.EXCELLENT))))
    for row in given:
        if row["org__path"] in rows:
            life = rows[row["org__path"]]
            life.rated, life.excellent = row["rated"], row["excellent"]
    for org_path, name in (Appraisal.objects.filter(year=year, grade=Grade.EXCELLENT,
                                                    member__status=MemberStatus.PROBATIONARY, **below)
                           .order_by("member__name").values_list("org__path", "member__name")):
        if org_path in rows:
            rows[org_path].probationary_excellent.append(name)

    for life in rows.values():
        life.excellent_max = int(life.rated * max_fraction)
        life.meeting_late = over and not life.meetings
        life.appraisal_late = over and life.graded < life.members
    return BranchLifeReport(root=root, year=year, start=start, due=due, today=today,
                            max_fraction=max_fraction, rows=list(rows.values()), leaders=attendances)

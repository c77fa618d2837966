"""The figures of the campaign summary (主题教育总结), each counted from the records.

Seed 二.14 asks the summary to show the work done; every figure here is a count or a sum
over the records of the organization's subtree in the report's period (``Params.period``),
never a typed number. :data:`FIGURES` lists them in the order the summary prints them; a
test recounts each one directly.

Definitions:
- meetings: every meeting (all kinds); three_one: 三会一课 (党员大会, 支委会, 党小组会, 党课);
- study_sessions, study_hours: 集中学习 sessions and the sum of their 学时;
  self_study_hours: the sum of 个人自学 学时;
- lectures / micro_lectures: 党课 / 微党课 given (Lecture.kind);
- research_visits, research_reports: visits, and those whose report is done or shared;
- talks: 谈心谈话; suggestions: 意见建议;
- problems_found: problems of the subtree found in the period (no date: counted);
  problems_closed: of those, problems with measures all closed (销号);
  closure_rate: closed / found in percent;
- institutions: rules and mechanisms adopted (建章立制) in the period;
- cases: typical cases (典型案例) in the period.
"""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal

from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.utils.translation import gettext_lazy as _

from taizhang.institutions.models import Institution, TypicalCase
from taizhang.orgs.models import Organization, OrgKind
from taizhang.records.models import (
    Lecture,
    LectureKind,
    Meeting,
    ResearchVisit,
    SelfStudy,
    StudySession,
    Suggestion,
    Talk,
)
from taizhang.records.models.meetings import THREE_MEETINGS_ONE_LECTURE
from taizhang.rectification.models import Problem, Rectification, RectificationStatus

from .common import Params, in_org, in_period, percent, scoped

FIGURES = [
    ("meetings", _("召开各类会议（次）")),
    ("three_one", _("其中“三会一课”（次）")),
    ("study_sessions", _("集中学习（次）")),
    ("study_hours", _("集中学习学时")),
    ("self_study_hours", _("个人自学学时")),
    ("lectures", _("讲授党课（次）")),
    ("micro_lectures", _("微党课（次）")),
    ("research_visits", _("调查研究（次）")),
    ("research_reports", _("形成调研报告（篇）")),
    ("talks", _("谈心谈话（次）")),
    ("suggestions", _("征集意见建议（条）")),
    ("problems_found", _("查摆问题（个）")),
    ("problems_closed", _("已整改销号（个）")),
    ("closure_rate", _("整改完成率")),
    ("institutions", _("建章立制（项）")),
    ("cases", _("典型案例（个）")),
]
BRANCH_FIGURES = ["three_one", "study_sessions", "lectures", "micro_lectures", "talks", "suggestions",
                  "problems_found", "problems_closed"]


def querysets(params: Params) -> dict:
    """The scoped, org- and period-filtered querysets the figures count (by figure key)."""
    org, user = params.org, params.user

    def base(model, date_field="date"):
        return in_period(in_org(scoped(model.objects.all(), user), org), params, date_field)

    meetings = base(Meeting)
    start, end = params.period
    problems = in_org(scoped(Problem.objects.all(), user), org)
    if start or end:
        dated = in_period(problems, params, "found_on")
        problems = problems.filter(Q(found_on=None) | Q(pk__in=dated.values("pk")))
    open_measures = Rectification.objects.filter(problem=OuterRef("pk")).exclude(status=RectificationStatus.CLOSED)
    closed = (problems.filter(Exists(Rectification.objects.filter(problem=OuterRef("pk"))))
              .exclude(Exists(open_measures)))
    lectures = base(Lecture)
    research = base(ResearchVisit)
    return {
        "meetings": meetings,
        "three_one": meetings.filter(kind__in=THREE_MEETINGS_ONE_LECTURE),
        "study_sessions": base(StudySession),
        "self_study": base(SelfStudy),
        "lectures": lectures.filter(kind=LectureKind.LECTURE),
        "micro_lectures": lectures.filter(kind=LectureKind.MICRO_LECTURE),
        "research_visits": research,
        "research_reports": research.filter(report_status__in=["done", "shared"]),
        "talks": base(Talk),
        "suggestions": base(Suggestion),
        "problems_found": problems,
        "problems_closed": closed,
        "institutions": base(Institution),
        "cases": base(TypicalCase),
    }


def _hours(value) -> str:
    value = value or Decimal(0)
    return f"{value.normalize():f}" if value == value.to_integral() else f"{value:.1f}"


def totals(params: Params, qs: dict | None = None) -> dict:
    """{figure key: value} for :data:`FIGURES` (numbers as int, hours and the rate as text)."""
    qs = qs or querysets(params)
    counts = {key: q.count() for key, q in qs.items() if key not in ("self_study",)}
    counts["study_hours"] = _hours(qs["study_sessions"].aggregate(h=Sum("hours"))["h"])
    counts["self_study_hours"] = _hours(qs["self_study"].aggregate(h=Sum("hours"))["h"])
    counts["closure_rate"] = percent(counts["problems_closed"], counts["problems_found"])
    return {key: counts[key] for key, _label in FIGURES}


def per_branch(params: Params, qs: dict | None = None) -> list[dict]:
    """One row per branch (党支部/党总支) of the subtree, in tree order: its name and the
    :data:`BRANCH_FIGURES` of its own subtree (records of its groups included). One grouped
    query per figure, whatever the number of branches."""
    qs = qs or querysets(params)
    root = params.org
    branches = scoped(Organization.objects.filter(kind__in=[OrgKind.BRANCH, OrgKind.GENERAL_BRANCH]), params.user)
    if root is not None:
        branches = branches.filter(path__startswith=root.path)
    branches = list(branches.order_by("path").values("path", "name"))
    paths = sorted((b["path"] for b in branches), key=len)
    rows = {b["path"]: {"name": b["name"], **dict.fromkeys(BRANCH_FIGURES, 0)} for b in branches}
    lengths = sorted({len(p) for p in paths})

    def branch_of(path: str) -> str | None:
        # The deepest branch whose path is a prefix of ``path``.
        for n in reversed(lengths):
            if len(path) >= n and path[:n] in rows:
                return path[:n]
        return None

    for key in BRANCH_FIGURES:
        counts: dict[str, int] = defaultdict(int)
        for row in qs[key].order_by().values("org__path").annotate(n=Count("pk")):
            target = branch_of(row["org__path"])
            if target:
                counts[target] += row["n"]
        for path, n in counts.items():
            rows[path][key] = n
    return [rows[b["path"]] for b in branches]

"""The campaign summary: every figure equals a direct count of the records."""

from decimal import Decimal

from django.db.models import Q, Sum

from taizhang.institutions.models import Institution, TypicalCase
from taizhang.records.models import Lecture, Meeting, ResearchVisit, SelfStudy, StudySession, Suggestion, Talk
from taizhang.rectification.models import Problem
from taizhang.reports.builders import figures, summary
from taizhang.reports.kinds import get_kind
from taizhang.reports.params import resolve


def _direct(campaign):
    """Each figure counted straight from the models, without the report's code."""
    root, start, end = campaign.org.path, campaign.start, campaign.end
    within = {"org__path__startswith": root, "date__gte": start, "date__lte": end}
    meetings = Meeting.objects.filter(**within)
    problems = Problem.objects.filter(Q(found_on=None) | Q(found_on__gte=start, found_on__lte=end),
                                      org__path__startswith=root)
    closed = [p for p in problems if p.measures.exists() and not p.measures.exclude(status="closed").exists()]
    found = problems.count()
    sessions = StudySession.objects.filter(**within)

    def hours(qs):
        total = sum((x.hours or Decimal(0) for x in qs), Decimal(0))
        return f"{total.normalize():f}" if total == total.to_integral() else f"{total:.1f}"

    return {
        "meetings": meetings.count(),
        "three_one": meetings.filter(kind__in=["branch_general_meeting", "branch_committee_meeting",
                                               "group_meeting", "party_lecture"]).count(),
        "study_sessions": sessions.count(),
        "study_hours": hours(sessions),
        "self_study_hours": hours(SelfStudy.objects.filter(**within)),
        "lectures": Lecture.objects.filter(kind="lecture", **within).count(),
        "micro_lectures": Lecture.objects.filter(kind="micro_lecture", **within).count(),
        "research_visits": ResearchVisit.objects.filter(**within).count(),
        "research_reports": ResearchVisit.objects.filter(report_status__in=["done", "shared"], **within).count(),
        "talks": Talk.objects.filter(**within).count(),
        "suggestions": Suggestion.objects.filter(**within).count(),
        "problems_found": found,
        "problems_closed": len(closed),
        "closure_rate": f"{100 * len(closed) / found:.1f}%" if found else "—",
        "institutions": Institution.objects.filter(**within).count(),
        "cases": TypicalCase.objects.filter(**within).count(),
    }


def test_every_summary_figure_is_a_direct_count(sample):
    params = resolve(get_kind("summary"), {"campaign": sample.pk})
    context = summary.build(params)
    direct = _direct(sample)
    assert context["figures"] == direct
    assert [r["value"] for r in context["figure_rows"]] == [direct[k] for k, _label in figures.FIGURES]
    # The sample data has real work in it: these are not zeros by accident.
    assert direct["meetings"] > 100 and direct["study_sessions"] == 30 and direct["lectures"] > 0
    assert Decimal(direct["study_hours"]) == StudySession.objects.aggregate(h=Sum("hours"))["h"]

    # Figures per branch: each its own subtree's count.
    rows = context["branches"]
    assert len(rows) == 6
    from taizhang.orgs.models import Organization

    for row in rows:
        branch = Organization.objects.get(name=row["name"])
        assert row["three_one"] == Meeting.objects.filter(
            org__path__startswith=branch.path, date__range=(sample.start, sample.end),
            kind__in=["branch_general_meeting", "branch_committee_meeting", "group_meeting", "party_lecture"]).count()
        assert row["talks"] == Talk.objects.filter(org__path__startswith=branch.path,
                                                   date__range=(sample.start, sample.end)).count()

    # Satisfaction of the masses from the campaign's survey.
    assert context["has_survey"]
    s = context["satisfaction"]
    assert s["answers"] == s["satisfied"] + s["basically_satisfied"] + s["dissatisfied"] > 0
    assert s["rate"] == f"{100 * (s['satisfied'] + s['basically_satisfied']) / s['answers']:.1f}%"

    # A fixed number of queries, whatever the number of branches and records.
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        summary.build(params)
    assert len(queries) <= 30

"""The committee view of 专题组织生活会 and 民主评议 across branches (issue 10 §2; seed 二.13,
三.6): figures per branch, the leaders' 双重组织生活, the 1/3 rule, late branches, scoping
and a query count that does not grow with the branches."""

import datetime as dt

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.evaluation import services
from taizhang.evaluation.branchlife import branch_life
from taizhang.evaluation.models import Appraisal, Grade
from taizhang.orgs.models import LeadershipMember, LeadershipTeam, MemberStatus
from taizhang.orgs.tests.factories import (
    BranchFactory,
    CommitteeFactory,
    GroupFactory,
    MemberFactory,
    UserFactory,
    grant,
)
from taizhang.records import services as records
from taizhang.records.models import MeetingKind

pytestmark = pytest.mark.django_db
DAY = dt.date(2023, 12, 20)
AFTER = dt.date(2024, 3, 1)  # the year is over: gaps are late
ORG_LIFE = MeetingKind.ORGANIZATIONAL_LIFE_MEETING


def grade_all(branch, members, excellent=0):
    for i, member in enumerate(members):
        services.create_appraisal(org=branch, member=member, year=2023, rated_on=DAY,
                                  grade=Grade.EXCELLENT if i < excellent else Grade.QUALIFIED)


@pytest.fixture
def world():
    committee = CommitteeFactory(code="BLW", name="机关党委")
    a = BranchFactory(parent=committee, code="BLA", name="甲党支部")
    group_a = GroupFactory(parent=a, code="BLAG", name="甲支部第一党小组")
    b = BranchFactory(parent=committee, code="BLB", name="乙党支部")
    c = BranchFactory(parent=committee, code="BLC", name="丙党支部")
    team = LeadershipTeam.objects.create(org=committee, name="党委领导班子")
    chair = MemberFactory(org=a, name="李书记")
    deputy = MemberFactory(org=b, name="周副书记")
    LeadershipMember.objects.create(team=team, member=chair, title="党委书记", order=1)
    LeadershipMember.objects.create(team=team, member=deputy, title="党委副书记", order=2)
    members_a = [chair, *(MemberFactory(org=a, name=f"甲{i}") for i in range(3))]
    members_b = [deputy, *(MemberFactory(org=b, name=f"乙{i}") for i in range(2))]
    members_c = [MemberFactory(org=c, name="丙0"),
                 MemberFactory(org=c, name="丙1", joined_on=dt.date(2024, 1, 5))]  # joined after the year
    # A: held by its Party group, the chair present; all four graded, two 优秀 (> 4 × 1/3).
    records.create_meeting(group_a, ORG_LIFE, DAY, attendance=[
        {"member": m, "status": "present"} for m in members_a])
    grade_all(a, members_a, excellent=2)
    # B: held, the deputy on leave; one of three graded.
    records.create_meeting(b, ORG_LIFE, dt.date(2023, 12, 22), attendance=[
        {"member": deputy, "status": "leave", "reason": "出差"},
        *({"member": m, "status": "present"} for m in members_b[1:])])
    grade_all(b, members_b[:1])
    # C: no meeting; its one member due is graded. A meeting of another kind does not count.
    records.create_meeting(c, MeetingKind.BRANCH_GENERAL_MEETING, DAY)
    grade_all(c, members_c[:1])
    return {"committee": committee, "a": a, "b": b, "c": c}


def test_figures_per_branch_and_the_late_ones(world):
    report = branch_life(world["committee"], 2023, AFTER)
    rows = {r.org.code: r for r in report.rows}
    assert list(rows) == ["BLA", "BLB", "BLC"]
    a, b, c = rows["BLA"], rows["BLB"], rows["BLC"]
    assert [(m.date, m.n_present, m.n_expected) for m in a.meetings] == [(DAY, 4, 4)]
    assert [(m.date, m.n_present, m.n_expected) for m in b.meetings] == [(dt.date(2023, 12, 22), 2, 3)]
    assert c.meetings == []
    assert [(x.leader.member.name, x.attended.date if x.attended else None) for x in a.leaders] == [("李书记", DAY)]
    assert [(x.leader.member.name, x.attended) for x in b.leaders] == [("周副书记", None)]
    assert [(r.graded, r.members) for r in (a, b, c)] == [(4, 4), (1, 3), (1, 1)]
    assert (a.rated, a.excellent, a.excellent_max, a.excellent_over) == (4, 2, 1, True)
    assert (b.excellent_over, c.excellent_over) == (False, False)
    assert [(r.org.code, r.meeting_late, r.appraisal_late) for r in report.late] == [
        ("BLB", False, True), ("BLC", True, False)]
    assert (report.held, report.graded_branches, report.leaders_attended, len(report.leaders)) == (2, 2, 1, 2)


def test_nothing_is_late_while_the_year_runs(world):
    report = branch_life(world["committee"], 2023, dt.date(2023, 12, 31))
    assert report.late == []
    assert [r.graded for r in report.rows] == [4, 1, 1]


def test_a_probationary_member_rated_excellent_is_named(world):
    member = MemberFactory(org=world["c"], name="丙预备", status=MemberStatus.FULL)
    services.create_appraisal(org=world["c"], member=member, year=2023, grade=Grade.EXCELLENT, rated_on=DAY)
    member.status = MemberStatus.PROBATIONARY  # the roll says probationary now (check 13 reads it so)
    member.save()
    row = {r.org.code: r for r in branch_life(world["committee"], 2023, AFTER).rows}["BLC"]
    assert row.probationary_excellent == ["丙预备"]
    assert (row.rated, row.excellent, row.excellent_max) == (2, 1, 0)


def test_the_page_names_late_branches_and_is_scoped(client, world):
    office = UserFactory(username="bl_office")
    grant(office, world["committee"], "committee_staff")
    client.force_login(office)
    url = reverse("evaluation:branch_life")
    response = client.get(url, {"year": 2023})
    assert response.status_code == 200
    html = response.content.decode()
    assert 'data-late="BLB"' in html and 'data-late="BLC"' in html and 'data-late="BLA"' not in html
    assert "超过上限（最多 1 人）" in html
    assert response.context["report"].root == world["committee"]
    assert client.get(url, {"year": "x"}).status_code == 404
    # Without ?year= the latest graded year is shown.
    assert client.get(url).context["year"] == 2023

    secretary = UserFactory(username="bl_sec_a")
    grant(secretary, world["a"], "branch_secretary")
    client.force_login(secretary)
    own = client.get(url, {"year": 2023})
    assert [r.org.code for r in own.context["report"].rows] == ["BLA"]
    assert "乙党支部" not in own.content.decode() and "周副书记" not in own.content.decode()
    assert client.get(url, {"org": world["b"].pk}).status_code == 404
    assert client.get(url, {"org": world["committee"].pk}).status_code == 404


def _page_queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url, {"year": 2023}).status_code == 200
    return len(ctx.captured_queries)


def test_query_count_does_not_grow_with_the_branches(client, world):
    office = UserFactory(username="bl_office2")
    grant(office, world["committee"], "committee_staff")
    client.force_login(office)
    url = reverse("evaluation:branch_life")
    _page_queries(client, url)  # warm caches (content types, sessions)
    before = _page_queries(client, url)
    with CaptureQueriesContext(connection) as ctx:
        branch_life(world["committee"], 2023, AFTER)
    assert len(ctx.captured_queries) == 7
    team = LeadershipTeam.objects.get(org=world["committee"])
    for i in range(6):
        branch = BranchFactory(parent=world["committee"], code=f"BLX{i}")
        members = [MemberFactory(org=branch) for _ in range(3)]
        LeadershipMember.objects.create(team=team, member=members[0], title="委员", order=10 + i)
        records.create_meeting(branch, ORG_LIFE, DAY)
        grade_all(branch, members, excellent=1)
    assert Appraisal.objects.count() == 6 + 18
    assert _page_queries(client, url) == before
    with CaptureQueriesContext(connection) as ctx:
        report = branch_life(world["committee"], 2023, AFTER)
    assert len(ctx.captured_queries) == 7 and len(report.rows) == 9
    assert report.leaders_attended == 1 + 6  # default attendance: everyone present


def test_a_campaign_sets_the_window_and_the_deadline(client, world):
    from taizhang.plans.models import Campaign

    # B's meeting moves into January: outside the year, inside the campaign (seed: 2023-09 … 2024-01).
    from taizhang.records.models import Meeting

    b_meeting = Meeting.objects.get(org=world["b"], kind=ORG_LIFE)
    Meeting.objects.filter(pk=b_meeting.pk).update(date=dt.date(2024, 1, 10))
    window = (dt.date(2023, 9, 1), dt.date(2024, 1, 31))
    by_year = {r.org.code: r for r in branch_life(world["committee"], 2023, AFTER).rows}
    assert by_year["BLB"].meetings == [] and by_year["BLB"].meeting_late
    by_campaign = branch_life(world["committee"], 2023, dt.date(2024, 1, 20), window)
    rows = {r.org.code: r for r in by_campaign.rows}
    assert [m.date for m in rows["BLB"].meetings] == [dt.date(2024, 1, 10)]
    assert by_campaign.late == []  # the campaign runs until 31 January
    assert [r.org.code for r in branch_life(world["committee"], 2023, AFTER, window).late] == ["BLB", "BLC"]
    with pytest.raises(ValueError):
        branch_life(world["committee"], 2023, AFTER, (window[1], window[0]))

    campaign = Campaign.objects.create(org=world["committee"], title="主题教育", start=window[0], end=window[1],
                                       status="published")
    other = Campaign.objects.create(org=CommitteeFactory(code="BLO"), title="别的党委", start=window[0],
                                    end=window[1], status="published")
    office = UserFactory(username="bl_office3")
    grant(office, world["committee"], "committee_staff")
    client.force_login(office)
    url = reverse("evaluation:branch_life")
    page = client.get(url, {"campaign": campaign.pk})
    assert page.status_code == 200 and page.context["year"] == 2023
    assert (page.context["report"].start, page.context["report"].due) == window
    assert client.get(url, {"campaign": other.pk}).status_code == 404
    assert client.get(url, {"campaign": "x"}).status_code == 404

"""Rules that match what offices do (issue 9 §3), on the seed:

- 二.3 counts the committee's 理论学习中心组学习 as well as 集中学习 (``Evidence.also``);
- 二.4 is per leader: each leadership-team member's lecture in a branch he or she belongs to
  or contacts, wherever it is recorded;
- one micro-lecture session with several speakers is one record counting for each speaker;
- per-person rules show who still owes them (the assignment page, the board export), with a
  number of queries that does not grow with the members.
"""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from openpyxl import load_workbook

from taizhang.orgs.models import LeadershipMember, LeadershipTeam, PositionRole
from taizhang.orgs.tests.factories import MemberFactory, PositionFactory
from taizhang.plans import counting, evidence, services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, EvidencePer, Occurrence, PlanItem
from taizhang.records import services as records
from taizhang.records.models import Lecture, Meeting, MeetingKind

D = dt.date


@pytest.fixture
def campaign(tree, seed_file):
    draft = services.draft_to_dict(parse_file(seed_file))
    campaign = services.save_draft(draft, tree["committee"])
    services.publish_plan(campaign)
    return campaign


@pytest.fixture
def team(tree):
    """The committee's team: 甲 belongs to branch 1, 乙 belongs to branch 3 and contacts
    branch 2, 丙 belongs to branch 3 (no contact branch)."""
    b1, b2, b3 = tree["branches"]
    committee = tree["committee"]
    team = LeadershipTeam.objects.create(org=committee, name="党委班子")
    leaders = {}
    for order, (name, org, contacts) in enumerate(
            [("书记甲", b1, []), ("副书记乙", b3, [b2]), ("委员丙", b3, [])]):
        member = MemberFactory(org=org, name=name)
        row = LeadershipMember.objects.create(team=team, member=member, title="班子成员", order=order)
        row.contact_branches.set(contacts)
        leaders[name] = member
    return leaders


def lecture(org, speaker, day, kind="lecture", co_speakers=(), **kw):
    return records.create_record(Lecture, org=org, audience=org, kind=kind, title="专题党课",
                                 speaker=speaker, date=day, m2m={"co_speakers": list(co_speakers)}, **kw)


def assignment(campaign, ref, org):
    return Assignment.objects.get(item__plan=campaign.plan, item__ref=ref, org=org)


def rules_of(campaign, ref):
    item = PlanItem.objects.get(plan=campaign.plan, ref=ref)
    return [(r.record_kind, r.per, r.min_count) for r in item.rules.all()]


# -- 二.3: 集中学习 also counts 理论学习中心组学习 -------------------------------------------------

def test_central_group_study_counts_for_the_committees_study(
        campaign, tree, django_capture_on_commit_callbacks):
    committee = tree["committee"]
    assert rules_of(campaign, "二.3") == [("study_session", "record", 1)]
    # Re-evaluation finds a 集中学习 rule when a meeting (a central-group study) changes.
    assert "study_session" in evidence.codes_for_model(Meeting)
    target = Occurrence.objects.get(assignment=assignment(campaign, "二.3", committee),
                                    period_start__month=10)  # 二.3 is monthly
    assert target.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        meeting = records.create_meeting(committee, MeetingKind.CENTRAL_GROUP_STUDY, D(2023, 10, 12),
                                         attendance=[], title="理论学习中心组学习")
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("done", 1, 1)
    # A study session too: both count, each once.
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(committee, D(2023, 10, 20), "集中学习", attendance=[])
    targets = evidence.targets_for([target], [])
    evidence.count(targets)
    assert targets[0].results == [(2, 1)]
    # Another kind of committee meeting does not count; deleting the central-group study
    # leaves the study session.
    with django_capture_on_commit_callbacks(execute=True):
        records.create_meeting(committee, MeetingKind.COMMITTEE_MEETING, D(2023, 10, 21), attendance=[])
        records.delete_record(meeting)
    evidence.count(targets)
    assert targets[0].results == [(1, 1)]


def test_a_rule_with_its_own_filters_counts_its_code_only(campaign, tree):
    committee = tree["committee"]
    records.create_meeting(committee, MeetingKind.CENTRAL_GROUP_STUDY, D(2023, 10, 12), attendance=[])
    item = PlanItem.objects.get(plan=campaign.plan, ref="二.3")
    services.set_rules(item, [{"record_kind": "study_session", "filters": {"topic__contains": "报告"}}])
    october = Occurrence.objects.get(assignment=assignment(campaign, "二.3", committee),
                                     period_start__month=10)
    targets = evidence.targets_for([october], [])
    evidence.count(targets)
    assert targets[0].results == [(0, 1)]


# -- 二.4: each leader's lecture in his or her own or contact branch ----------------------------

def test_the_seeds_lecture_task_is_per_leader(campaign):
    assert rules_of(campaign, "二.4") == [("lecture", "each_leader", 1)]
    assert evidence.suggest_rules("班子成员到所联系支部讲党课", "lecture") == [
        {"record_kind": "lecture", "per": EvidencePer.EACH_LEADER, "min_count": 1}]
    # A secretary's lecture is not a leader's.
    assert evidence.suggest_rules("党支部书记为支部党员讲1次党课", None) == [
        {"record_kind": "lecture", "per": EvidencePer.SECRETARY, "min_count": 1}]


def test_each_leader_lectures_in_a_branch_he_belongs_to_or_contacts(
        campaign, tree, team, django_capture_on_commit_callbacks):
    b1, b2, b3 = tree["branches"]
    target = assignment(campaign, "二.4", tree["committee"])
    evidence.evaluate_item(target.item)
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("pending", 0, 3)
    with django_capture_on_commit_callbacks(execute=True):
        lecture(b1, team["书记甲"], D(2023, 10, 9))        # his own branch: counts
        lecture(b1, team["副书记乙"], D(2023, 10, 10))     # neither his nor contacted: not
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("pending", 1, 3)
    targets = evidence.targets_for([], [target])
    evidence.count(targets)
    names = counting.owing_names(targets)
    assert [names[pk] for pk in targets[0].owing[0]] == ["副书记乙", "委员丙"]  # team order

    with django_capture_on_commit_callbacks(execute=True):
        lecture(b2, team["副书记乙"], D(2023, 11, 2))      # his contact branch, recorded there
    target.refresh_from_db()
    assert (target.status, target.evidence_count) == ("pending", 2)
    with django_capture_on_commit_callbacks(execute=True):
        # 丙 as a co-speaker of a session in his own branch.
        other = MemberFactory(org=b3, name="党员丁")
        lecture(b3, other, D(2023, 11, 20), co_speakers=[team["委员丙"]])
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("done", 3, 3)


def test_a_committee_without_a_team_cannot_meet_a_per_leader_rule(campaign, tree):
    targets = evidence.targets_for([], [assignment(campaign, "二.4", tree["committee"])])
    evidence.count(targets)
    assert (targets[0].results, targets[0].met) == ([(0, 0)], False)


def test_reevaluation_reaches_the_committee_of_a_leaders_branch(campaign, tree, team):
    b1, b2, b3 = tree["branches"]
    record = lecture(b2, team["副书记乙"], D(2023, 11, 2))
    found = {(t.item.ref, t.org.pk) for t in evidence.affected_targets(Lecture, {b2.pk}, {record.date})}
    assert ("二.4", tree["committee"].pk) in found
    assert ("三.2（2）", b2.pk) in found
    # A lecture in a branch no leader belongs to or contacts does not touch the committee.
    LeadershipMember.objects.filter(member=team["副书记乙"]).get().contact_branches.clear()
    found = {(t.item.ref, t.org.pk) for t in evidence.affected_targets(Lecture, {b2.pk}, {record.date})}
    assert ("二.4", tree["committee"].pk) not in found


# -- one session, several speakers --------------------------------------------------------------

def test_one_micro_lecture_session_counts_for_each_speaker(campaign, tree, django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    services.set_rules(item, [{"record_kind": "micro_lecture", "per": EvidencePer.EACH_MEMBER}])
    a, b, c = (MemberFactory(org=branch, name=n) for n in ("张一", "李二", "王三"))
    group_member = MemberFactory(org=branch, group=tree["groups"][branch.code][0], name="赵四")
    with django_capture_on_commit_callbacks(execute=True):
        session = lecture(branch, a, D(2023, 10, 18), kind="micro_lecture", co_speakers=[b, group_member])
    target = assignment(campaign, "三.2（2）", branch)
    assert Lecture.objects.count() == 1
    assert (target.status, target.evidence_count, target.evidence_needed) == ("pending", 3, 4)
    targets = evidence.targets_for([], [target])
    evidence.count(targets)
    assert [counting.owing_names(targets)[pk] for pk in targets[0].owing[0]] == ["王三"]
    with django_capture_on_commit_callbacks(execute=True):
        records.update_record(session, m2m={"co_speakers": [b, c, group_member]})
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("done", 4, 4)


def test_the_secretary_counts_as_a_co_speaker(campaign, tree, django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    secretary = PositionFactory(member=MemberFactory(org=branch, name="书记"), org=branch,
                                role=PositionRole.SECRETARY).member
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    services.set_rules(item, [{"record_kind": "lecture", "per": EvidencePer.SECRETARY}])
    target = assignment(campaign, "三.2（2）", branch)
    targets = evidence.targets_for([], [target])
    evidence.count(targets)
    assert targets[0].owing == {0: [secretary.pk]}
    with django_capture_on_commit_callbacks(execute=True):
        lecture(branch, MemberFactory(org=branch), D(2023, 10, 18), co_speakers=[secretary])
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("done", 1, 1)


def test_a_secretarys_micro_lecture_is_not_the_secretarys_lecture(
        campaign, tree, django_capture_on_commit_callbacks):
    """Seed 三.2（2）"党支部书记为支部党员讲1次党课": a 微党课 the secretary gives (alone or with
    others) counts for the 微党课 rule, not for the secretary's 党课 (found by a new user)."""
    branch = tree["branches"][0]
    secretary = PositionFactory(member=MemberFactory(org=branch, name="书记"), org=branch,
                                role=PositionRole.SECRETARY).member
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    services.set_rules(item, [{"record_kind": "lecture", "per": EvidencePer.SECRETARY}])
    target = assignment(campaign, "三.2（2）", branch)
    with django_capture_on_commit_callbacks(execute=True):
        lecture(branch, secretary, D(2023, 10, 18), kind="micro_lecture")
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("pending", 0, 1)
    with django_capture_on_commit_callbacks(execute=True):
        lecture(branch, secretary, D(2023, 10, 25))
    target.refresh_from_db()
    assert (target.status, target.evidence_count, target.evidence_needed) == ("done", 1, 1)


def test_a_co_speaker_must_belong_to_the_organization(tree):
    branch, other = tree["branches"][:2]
    stranger = MemberFactory(org=other, name="外支部党员")
    with pytest.raises(ValidationError) as exc:
        lecture(branch, MemberFactory(org=branch), D(2023, 10, 18), co_speakers=[stranger])
    assert "外支部党员" in str(exc.value.message_dict["co_speakers"])
    assert not Lecture.objects.exists()


def test_co_speakers_through_the_form_api_and_ledger(client, tree, secretary_a, secretary_b):
    branch = tree["branches"][0]
    a, b = MemberFactory(org=branch, name="张一"), MemberFactory(org=branch, name="李二")
    client.force_login(secretary_a)
    page = client.get(reverse("records:lecture_add")).content.decode()
    assert 'name="co_speakers"' in page and "multiple" in page
    response = client.post(reverse("records:lecture_add"), {
        "kind": "micro_lecture", "org": branch.pk, "title": "微党课", "speaker": a.pk,
        "co_speakers": [b.pk], "date": "2023-10-18"})
    assert response.status_code == 302, response.content.decode()[:2000]
    record = Lecture.objects.get()
    assert list(record.co_speakers.all()) == [b]
    detail = client.get(record.get_absolute_url()).content.decode()
    assert "其他主讲人" in detail and "李二" in detail

    url = reverse("lecture-detail", args=[record.pk])
    assert client.get(url).json()["co_speakers"] == [b.pk]
    c = MemberFactory(org=branch, name="王三")
    response = client.patch(url, {"co_speakers": [a.pk, b.pk, c.pk], "version": client.get(url).json()["version"]},
                            content_type="application/json")
    assert response.status_code == 200, response.content
    assert sorted(record.co_speakers.values_list("pk", flat=True)) == sorted([a.pk, b.pk, c.pk])
    stranger = MemberFactory(org=tree["branches"][1])
    response = client.patch(url, {"co_speakers": [stranger.pk], "version": client.get(url).json()["version"]},
                            content_type="application/json")
    assert response.status_code == 400  # not a member the secretary may name

    book = load_workbook(io.BytesIO(b"".join(client.get(reverse("records:lecture_export")).streaming_content)),
                         read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    speaker_column = next(row.index("主讲人") for row in rows if row and "主讲人" in row)
    assert rows[-1][speaker_column] == "张一、李二、王三"  # the speaker named once


# -- who still owes: the assignment page and the board export -----------------------------------

def _page_queries(client, user, url):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return response.content.decode(), len(ctx.captured_queries)


def test_the_assignment_page_names_who_still_owes(client, campaign, tree, team, office,
                                                  django_capture_on_commit_callbacks):
    target = assignment(campaign, "二.4", tree["committee"])
    with django_capture_on_commit_callbacks(execute=True):
        lecture(tree["branches"][0], team["书记甲"], D(2023, 10, 9))
    page, few = _page_queries(client, office, target.get_absolute_url())
    assert "班子成员每人" in page and "1/3" in page
    assert "尚未完成：副书记乙、委员丙" in page

    # Branch 1's micro-lectures: many more members, same number of queries.
    branch = tree["branches"][0]
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（2）")
    branch_target = assignment(campaign, "三.2（2）", branch)
    MemberFactory(org=branch, name="党员一")
    page, small = _page_queries(client, office, branch_target.get_absolute_url())
    assert "尚未完成：" in page and "党员一" in page
    for n in range(2, 30):
        MemberFactory(org=branch, name=f"党员{n}")
    page, large = _page_queries(client, office, branch_target.get_absolute_url())
    assert "党员29" in page
    assert small == large
    for n in range(3):
        leader = MemberFactory(org=tree["branches"][1], name=f"新班子成员{n}")
        LeadershipMember.objects.create(team=LeadershipTeam.objects.get(), member=leader, title="委员",
                                        order=10 + n)
    page, more = _page_queries(client, office, target.get_absolute_url())
    assert "1/6" in page and "新班子成员2" in page
    assert more == few
    assert item.rules.filter(per=EvidencePer.EACH_MEMBER).exists()


def _export(client, user, campaign, query=""):
    client.force_login(user)
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(reverse("plans:board_export", args=[campaign.pk]) + query)
        book = load_workbook(io.BytesIO(b"".join(response.streaming_content)), read_only=True)
    return list(book.active.iter_rows(values_only=True)), len(ctx.captured_queries)


def test_the_board_export_names_who_still_owes(client, campaign, tree, team, office,
                                               django_capture_on_commit_callbacks):
    branch = tree["branches"][0]
    members = [MemberFactory(org=branch, name=n) for n in ("张一", "李二")]
    with django_capture_on_commit_callbacks(execute=True):
        lecture(branch, members[0], D(2023, 10, 18), kind="micro_lecture")
    rows, small = _export(client, office, campaign)
    assert rows[0][-1] == "未完成人员"
    by_org = {row[0]: dict(part.split("：") for part in row[-1].split("；")) for row in rows[1:] if row[-1]}
    micro = by_org["第1党支部"]["三.2（2）"].split("、")  # 张一 gave his micro-lecture
    assert "李二" in micro and "张一" not in micro
    committee_rows, _n = _export(client, office, campaign, "?level=committee")
    assert committee_rows[1][0] == "测试党委"
    assert committee_rows[1][-1] == "二.4：书记甲、副书记乙、委员丙"
    for n in range(20):
        MemberFactory(org=tree["branches"][n % 3], name=f"党员{n}")
    rows, large = _export(client, office, campaign)
    assert "党员19" in "".join(row[-1] or "" for row in rows[1:])
    assert small == large


def test_owing_of_a_recurring_task_is_read_on_the_months_period(campaign, tree):
    branch = tree["branches"][0]
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.2（3）")
    services.set_rules(item, [{"record_kind": "lecture", "per": EvidencePer.EACH_MEMBER}])
    member = MemberFactory(org=branch, name="月度党员")
    lecture(branch, member, D(2023, 10, 18))
    october = Occurrence.objects.get(assignment__item=item, assignment__org=branch, period_start__month=10)
    targets = evidence.targets_for([october], [])
    evidence.count(targets)
    assert targets[0].owing == {0: []}

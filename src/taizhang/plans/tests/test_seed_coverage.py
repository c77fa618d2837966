"""The seed, published to the sample data and answered by real records only (issues 9 §4, 10).

The real task list (../shared seed) is imported and published to the sample organization
(``orgs.sample``: committee DW, 6 branches, 80 members, the 7-person leadership team). Then
the committee and the branches do the campaign's work and record it **once**, through the
owning apps' services, as an office would: meetings, study sessions, lectures, research
visits, suggestions, problems and their measures, role models, rules made, appraisals,
model posts and volunteer activities, the 民主生活会's opinions, talks, approved materials and
the meeting with its report. No submission is written. Every task must then be
completed by those records: ``22 of 22 tasks completed by records``.

The world is built once for the module (a few seconds) and rolled back afterwards.
"""

from __future__ import annotations

import datetime as dt

import pytest
import time_machine
from django.db import transaction
from django.test import TestCase

from taizhang.orgs.models import LeadershipMember, Member, Organization, OrgKind, Position
from taizhang.orgs.sample import create_sample_orgs
from taizhang.orgs.tests.factories import UserFactory, grant
from taizhang.plans import services
from taizhang.plans.coverage import plan_coverage
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, AssignmentStatus, Submission
from taizhang.records import services as records
from taizhang.evaluation import services as evaluation
from taizhang.evaluation.models import Grade
from taizhang.institutions import services as institutions
from taizhang.democratic import services as democratic
from taizhang.records.models import (FilmViewing, Lecture, LectureKind, MeetingKind, ResearchVisit, SelfStudy, Talk,
                                     TalkPurpose, TalkRelation)
from taizhang.rolemodels import services as rolemodels
from taizhang.rolemodels.models import NomineeKind
from taizhang.rectification import services as rectification
from taizhang.volunteering import services as volunteering

pytestmark = pytest.mark.django_db

D = dt.date
MONTHS = [(2023, 9), (2023, 10), (2023, 11), (2023, 12), (2024, 1)]

# Every task of the seed is completed by the real work recorded once (issues 9 and 10).
BY_RECORDS = [*(f"二.{n}" for n in range(1, 15)), "三.1", "三.2（1）", "三.2（2）", "三.2（3）",
              "三.3", "三.4", "三.5", "三.6"]
BY_SUBMISSION: list[str] = []


def _day(year: int, month: int, day: int) -> dt.date:
    return D(year, month, day)


def _do_the_work(committee: Organization, actor, reviewer) -> None:
    """What the committee and its branches really do during the campaign, recorded once;
    ``reviewer`` verifies what ``actor`` claimed (four eyes, issue 12 §4)."""
    team = list(LeadershipMember.objects.filter(team__org=committee).select_related("member")
                .prefetch_related("contact_branches").order_by("order"))
    leaders = [lm.member for lm in team]
    chair = leaders[0]
    branches = list(Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH)
                    .order_by("code"))

    # 二.1 党委会, 二.2 党委扩大会议, 二.13 the committee deploys the branches' 组织生活会.
    records.create_meeting(committee, MeetingKind.COMMITTEE_MEETING, D(2023, 9, 5), actor=actor,
                           title="研究部署主题教育工作", host=chair)
    records.create_meeting(committee, MeetingKind.ENLARGED_COMMITTEE_MEETING, D(2023, 9, 7), actor=actor,
                           title="主题教育动员部署会", host=chair)
    records.create_meeting(committee, MeetingKind.COMMITTEE_MEETING, D(2023, 12, 5), actor=actor,
                           title="安排部署专题组织生活会和民主评议党员", host=chair)
    # 二.3 理论学习中心组学习, one day a month.
    for year, month in MONTHS:
        records.create_meeting(committee, MeetingKind.CENTRAL_GROUP_STUDY, _day(year, month, 6),
                               actor=actor, title=f"{month}月理论学习中心组学习", host=chair)
    # 二.4 each leader lectures in a branch he belongs to or contacts.
    for i, lm in enumerate(team):
        branch = next(iter(lm.contact_branches.all()), None) or lm.member.org
        records.create_record(Lecture, actor=actor, org=branch, audience=branch, speaker=lm.member,
                              kind=LectureKind.LECTURE, date=D(2023, 11, 6 + i), title="专题党课")
    # 二.5 suggestions collected by the leaders; 二.6 their research visits.
    for i, leader in enumerate(leaders):
        records.submit_suggestion(committee, "建议精简报表，同一数据只报一次。", member=leader,
                                  date=D(2023, 10, 9 + i), channel="座谈会", actor=actor)
        records.create_record(ResearchVisit, actor=actor, org=committee, leader=leader,
                              topic="服务水平提升", place="社区", date=D(2023, 10, 16 + i),
                              findings="办事流程仍偏繁琐")
    # 二.7 the problem list; 二.8 its measures, done and verified; 二.10 monthly follow-up.
    problem = rectification.create_problem(org=committee, user=actor, source="基层调研",
                                           description="办事流程繁琐，群众多次跑腿",
                                           found_on=D(2023, 10, 20))
    for text, deadline in (("梳理办事事项，压减材料", D(2023, 11, 30)),
                           ("建立一次办结制度", D(2023, 12, 20))):
        measure = rectification.add_measure(problem, actor, measure=text, deadline=deadline,
                                            leader=team[0], department="党委办公室")
        rectification.add_update(measure, actor, reported_on=D(2023, 10, 27), done="已研究部署")
        rectification.add_update(measure, actor, reported_on=D(2023, 11, 24), done="已完成主要工作")
        if deadline.month == 12:
            rectification.add_update(measure, actor, reported_on=D(2023, 12, 15), done="制度已起草")
        # Claimed done and verified on the day it happened (the claim's time is the clock's).
        with time_machine.travel(dt.datetime(2023, 12, 22, 10, tzinfo=dt.timezone.utc), tick=False):
            rectification.move(measure, "complete", actor, completion_note="已落实到位",
                               evidence="工作记录")
            rectification.move(measure, "verify", reviewer, comment="经核查，整改到位")
    # 二.14 建章立制: the committee makes a rule out of the rectification.
    institutions.create_institution({"org": committee, "name": "一次办结制度", "date": D(2023, 12, 28),
                                     "summary": "同一事项一次办结", "problems": [problem]}, actor=actor)
    # 二.9 民主生活会会前准备: opinions gathered, every pair of the talk matrix talked, the team's
    # and each leader's 对照检查材料 approved by the office (四.2 审核把关).
    democratic.create_opinion({"org": committee, "date": D(2023, 12, 4), "channel": "forum",
                               "giver": "基层党支部书记座谈会", "text": "调研成果转化不够及时",
                               "answer": "已建立成果转化清单", "answered_on": D(2023, 12, 20)}, actor=actor)
    for i, a in enumerate(team):
        for b in team[i + 1:]:
            records.create_record(Talk, actor=actor, org=committee, party_a=a.member, party_b=b.member,
                                  date=D(2023, 12, 11), relation=TalkRelation.TEAM_TEAM,
                                  purpose=TalkPurpose.BEFORE_DEMOCRATIC_LIFE, topics="会前谈心谈话")
    materials = [democratic.create_exam({"org": committee, "date": D(2023, 12, 18), "content": "班子对照检查材料"},
                                        actor=actor)]
    materials += [democratic.create_exam({"org": committee, "date": D(2023, 12, 18), "leader": lm,
                                          "content": "个人对照检查材料"}, actor=actor) for lm in team]
    for material in materials:
        democratic.move_exam(material, "submit", actor=actor)
        democratic.move_exam(material, "approve", actor=actor, on=D(2023, 12, 28))
    # 二.12 the 专题民主生活会, its report and record sent to the superior within 15 days.
    democratic.create_life_meeting({"org": committee, "year": 2023, "title": "主题教育专题民主生活会",
                                    "date": D(2024, 1, 10), "reported_on": D(2024, 1, 19)}, actor=actor)

    for branch in branches:
        members = list(Member.objects.filter(org__path__startswith=branch.path, is_active=True)
                       .order_by("pk"))
        secretary = Position.objects.filter(org=branch, role="secretary", ended_on__isnull=True) \
            .select_related("member").first().member
        # 三.1 传达部署 and 三.2（3） a day of concentrated study every month.
        records.create_study_session(branch, D(2023, 9, 8), "传达主题教育部署", actor=actor,
                                     leader=secretary)
        for year, month in MONTHS:
            records.create_study_session(branch, _day(year, month, 20), f"{month}月集中学习",
                                         actor=actor, leader=secretary)
            # 三.2（1） members' own study, every month.
            for member in members[:2]:
                records.create_record(SelfStudy, actor=actor, org=branch, member=member,
                                      date=_day(year, month, 12), title="通读党章", hours=2)
        # 三.2（2） 主题党日, the secretary's 党课, every member's 微党课.
        records.create_meeting(branch, MeetingKind.THEME_PARTY_DAY, D(2023, 10, 18), actor=actor,
                               title="主题党日", host=secretary)
        records.create_record(Lecture, actor=actor, org=branch, audience=branch, speaker=secretary,
                              kind=LectureKind.LECTURE, date=D(2023, 10, 25), title="支部书记讲党课")
        for i, member in enumerate(members):
            records.create_record(Lecture, actor=actor, org=branch, audience=branch, speaker=member,
                                  kind=LectureKind.MICRO_LECTURE, date=D(2023, 11, 1 + i % 28),
                                  title="微党课")
        # 三.4 立足岗位作贡献: a 党员示范岗 and the volunteer team's service.
        volunteering.create_post(actor=actor, org=branch, name="党员示范岗", member=members[0],
                                 start=D(2023, 9, 15))
        volunteering.create_activity(actor=actor, org=branch, team="党员志愿服务队", date=D(2023, 10, 14),
                                     place="社区", hours=2, content="环境整治", participants=members[:3])
        # 三.3 suggestions; the branch's 专题组织生活会 (part of 三.6 and what 二.13 deploys).
        records.submit_suggestion(branch, "希望组织一次现场学习。", member=members[-1],
                                  date=D(2023, 10, 30), actor=actor)
        records.create_meeting(branch, MeetingKind.ORGANIZATIONAL_LIFE_MEETING, D(2023, 12, 22),
                               actor=actor, title="专题组织生活会", host=secretary)
        # 三.2（2） 观看党员教育电视片.
        records.create_record(FilmViewing, actor=actor, org=branch, title="党员教育电视片",
                              date=D(2023, 10, 18), viewers=len(members))
        # 三.6 民主评议党员 (every member graded) and the branch's own 建章立制.
        for member in members:
            evaluation.create_appraisal(actor=actor, org=branch, member=member, year=2023,
                                        grade=Grade.QUALIFIED, rated_on=D(2023, 12, 22))
        institutions.create_institution({"org": branch, "name": "支部学习制度", "date": D(2023, 12, 26),
                                         "summary": "每月固定学习日"}, actor=actor)
        # 三.5 学习身边榜样: the branch nominates one; 二.11 the committee selects and publicises it.
        model = rolemodels.nominate({"org": branch, "kind": NomineeKind.MEMBER, "member": members[0],
                                     "title": "身边榜样", "deeds": "服务群众",
                                     "nominated_on": D(2023, 11, 20)}, actor=actor)
        rolemodels.move(model, "select", actor=actor, on=D(2023, 11, 27))
        rolemodels.move(model, "publicise", actor=actor, start=D(2023, 12, 1), end=D(2023, 12, 7))
        rolemodels.move(model, "announce", actor=actor, on=D(2023, 12, 11))


@pytest.fixture(scope="module")
def seed_world(django_db_setup, django_db_blocker, seed_file):
    """Sample orgs, the seed published to them, a campaign's work recorded; rolled back."""
    with django_db_blocker.unblock():
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            sample = create_sample_orgs()
            committee = sample["committee"]
            office = UserFactory(username="seed-office")
            grant(office, committee, "committee_staff")
            reviewer = UserFactory(username="seed-reviewer")
            grant(reviewer, committee, "committee_staff")
            campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), committee,
                                           source_name=seed_file.name)
            services.publish_plan(campaign)
            # Records announce their change on commit: run those callbacks as a commit would.
            with TestCase.captureOnCommitCallbacks(execute=True):
                _do_the_work(committee, office, reviewer)
            yield {"campaign": campaign, "committee": committee}
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)


def _status(campaign, ref: str) -> list[tuple[str, str, str]]:
    """(org code, period or "", status) of every assignment / occurrence of task ``ref``
    that is not done."""
    left = []
    for a in Assignment.objects.filter(item__plan__campaign=campaign, item__ref=ref) \
            .select_related("org").prefetch_related("occurrences"):
        occurrences = list(a.occurrences.all())
        for target in occurrences or [a]:
            if target.status != AssignmentStatus.DONE:
                period = f"{target.period_start:%Y-%m}" if occurrences else ""
                left.append((a.org.code, period, target.status,
                             f"{target.evidence_count}/{target.evidence_needed}"))
    return left


@pytest.mark.parametrize("ref", BY_RECORDS)
def test_real_records_complete_the_task(seed_world, ref):
    campaign = seed_world["campaign"]
    assert Assignment.objects.filter(item__plan__campaign=campaign, item__ref=ref).exists()
    assert _status(campaign, ref) == []
    assert not Submission.objects.filter(assignment__item__plan__campaign=campaign).exists()


def test_the_task_list_has_the_seeds_22_assignable_tasks(seed_world):
    coverage = plan_coverage(seed_world["campaign"].plan)
    assert [t.item.ref for t in coverage.tasks] == [
        *(f"二.{n}" for n in range(1, 15)), "三.1", "三.2（1）", "三.2（2）", "三.2（3）",
        "三.3", "三.4", "三.5", "三.6"]
    assert set(BY_RECORDS) | set(BY_SUBMISSION) == {t.item.ref for t in coverage.tasks}
    assert all(t.how == "需报送材料" for t in coverage.by_submission)


def test_coverage_line_reads_22_of_22(seed_world):
    coverage = plan_coverage(seed_world["campaign"].plan)
    assert coverage.line == "22 of 22 tasks completed by records"
    assert [t.item.ref for t in coverage.by_submission] == BY_SUBMISSION


def test_the_democratic_life_meeting_tasks_read_the_new_kinds(seed_world):
    """二.9 is the preparation (opinions, talk matrix, approved materials), 二.12 the meeting with
    its report (issue 10 §1), each one code of the registry."""
    from taizhang.plans.models import EvidenceRule

    campaign = seed_world["campaign"]
    rules = {ref: list(EvidenceRule.objects.filter(item__plan__campaign=campaign, item__ref=ref)
                       .values_list("record_kind", flat=True)) for ref in ("二.9", "二.12")}
    assert rules == {"二.9": ["democratic_preparation"], "二.12": ["democratic_life_meeting"]}
    done = Assignment.objects.get(item__plan__campaign=campaign, item__ref="二.9")
    # 1 opinion + 21 pairs of the 7-person team + 8 materials
    assert (done.evidence_count, done.evidence_needed) == (30, 30)

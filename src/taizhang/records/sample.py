"""Sample records for the sample organization (orgs.sample): Sep 2023 – Jan 2024.

Deterministic (fixed seed). Every branch keeps its 三会一课, theme party days, monthly
concentrated study, quarterly lectures, talks and suggestions; leaders do research visits and
the committee's team its 中心组学习. A few meetings are missing on purpose so that the
compliance checks (issue 5) have something to find:

- ZB03 holds no 支委会 in November 2023 (TZ Art. 12: about monthly);
- ZB05 holds no 主题党日 in December 2023;
- ZB04 holds no 党员大会 in Q4 2023 (TZ Art. 11: about once a quarter);
- ZB02's 第二党小组 holds no 党小组会 in October 2023;
- ZB06 (6 members, no 支委会) has no 支委会 at all — correct, it has only a secretary.
"""

from __future__ import annotations

import datetime as dt
import random

from django.db import transaction

from taizhang.orgs.models import LeadershipMember, Member, Organization, OrgKind, Position

from . import services
from .models import (
    Lecture,
    LectureKind,
    Meeting,
    MeetingKind,
    Reading,
    ResearchVisit,
    ReportStatus,
    SelfStudy,
    Talk,
    TalkPurpose,
    TalkRelation,
)

SEED = 20231010
MONTHS = [(2023, 9), (2023, 10), (2023, 11), (2023, 12), (2024, 1)]
MISSING = {
    ("ZB03", MeetingKind.BRANCH_COMMITTEE_MEETING, (2023, 11)),
    ("ZB05", MeetingKind.THEME_PARTY_DAY, (2023, 12)),
    ("ZB04", MeetingKind.BRANCH_GENERAL_MEETING, (2023, 11)),
    ("ZB02-2", MeetingKind.GROUP_MEETING, (2023, 10)),
}
REASONS = ["出差", "病假", "参加培训", "公出", "事假"]
THEMES = ["soul", "wisdom", "conduct", "action", "soul"]
READINGS = ["《习近平著作选读》第一卷", "《习近平著作选读》第二卷",
            "《习近平新时代中国特色社会主义思想专题摘编》", "《习近平关于调查研究论述摘编》"]
STUDY_TOPICS = [
    "学习习近平新时代中国特色社会主义思想的世界观和方法论",
    "学习党的二十大报告关于高质量发展的论述",
    "学习习近平关于调查研究的重要论述",
    "学习《中国共产党纪律处分条例》，以学正风",
    "学习贯彻主题教育总结要求，推动成果转化",
]
RESEARCH_TOPICS = [
    ("基层减负落实情况", "基层单位会议、报表偏多，部分台账重复填报"),
    ("政务服务“一网通办”推进情况", "个别事项仍需群众多次跑腿，线上材料要求与线下不一致"),
    ("离退休干部服务保障", "活动场所偏小，部分老同志反映就医陪护困难"),
    ("业务审批时限压缩", "两个环节存在重复审核，平均时限超出承诺"),
    ("干部队伍能力建设", "青年干部基层经历不足，培训针对性不强"),
    ("财务报销流程优化", "报销票据要求多次变动，基层意见较大"),
    ("党建与业务融合", "支部活动与业务工作结合不紧，主题党日形式较单一"),
]


def _workday(year: int, month: int, day: int) -> dt.date:
    date = dt.date(year, month, day)
    while date.weekday() >= 5:
        date += dt.timedelta(days=1)
    return date


#: The reason given for an absence without leave (the records name one, as the rules ask).
ABSENT_REASON = "临时外出未及时请假，会后已补学"


def _attendance(rng: random.Random, people: list[Member], quorum: bool = False) -> list[dict]:
    """Attendance rows of ``people``: a few on leave or absent, each with a reason (C19).
    ``quorum``: a meeting that needs more than half present (支委会, 党员大会; C16/C17) has
    everyone present when the draw left half or fewer (the sample breaks no rule beyond its
    deliberate gaps; the draws are the same either way)."""
    rows = []
    for person in people:
        roll = rng.random()
        if roll < 0.08:
            rows.append({"member": person, "status": "leave", "reason": rng.choice(REASONS)})
        elif roll < 0.10:
            rows.append({"member": person, "status": "absent", "reason": ABSENT_REASON})
        else:
            rows.append({"member": person})
    if quorum and 2 * sum(1 for r in rows if "status" not in r) <= len(rows):
        rows = [{"member": r["member"]} for r in rows]
    return rows


QUORUM_KINDS = (MeetingKind.BRANCH_COMMITTEE_MEETING, MeetingKind.BRANCH_GENERAL_MEETING)


def _meeting(rng, org, kind, date, code, month, **fields):
    if (code, kind, month) in MISSING:
        return None
    people = services.default_attendees(org, kind)
    return services.create_meeting(org, kind, date, attendance=_attendance(rng, people, kind in QUORUM_KINDS),
                                   **fields)


@transaction.atomic
def load_sample_records(committee: Organization) -> str:
    """Create the sample records under ``committee`` (the sample organization of
    ``orgs.sample``); returns a one-line summary. Does nothing if records exist already."""
    if Meeting.objects.filter(org__path__startswith=committee.path).exists():
        return "记录样例已存在，未重复创建"
    rng = random.Random(SEED)
    branches = list(Organization.objects.filter(path__startswith=committee.path, kind=OrgKind.BRANCH)
                    .order_by("code"))
    counts = {"meetings": 0, "study": 0, "lectures": 0, "talks": 0, "research": 0, "suggestions": 0}
    campaign = _campaign(committee)
    readings = []
    if campaign is not None and not Reading.objects.filter(campaign=campaign).exists():
        readings = [services.create_record(Reading, org=committee, campaign=campaign, title=t, order=i)
                    for i, t in enumerate(READINGS, start=1)]
    for branch in branches:
        members = list(Member.objects.filter(org=branch, is_active=True).order_by("pk"))
        posts = {p.role: p.member for p in Position.objects.filter(org=branch, ended_on__isnull=True)}
        secretary = posts.get("secretary") or members[0]
        recorder = posts.get("organization_member") or members[-1]
        committee_members = [m for r, m in posts.items() if r != "secretary"]
        groups = list(Organization.objects.filter(path__startswith=branch.path, kind=OrgKind.GROUP).order_by("code"))
        common = {"host": secretary, "recorder": recorder, "place": f"{branch.name[:-3]}会议室"}
        for index, (year, month) in enumerate(MONTHS):
            key = (year, month)
            if committee_members:
                m = _meeting(rng, branch, MeetingKind.BRANCH_COMMITTEE_MEETING, _workday(year, month, 8),
                             branch.code, key, title=f"{month}月支委会", start_time=dt.time(15, 0),
                             end_time=dt.time(16, 30), topics="研究本月主题教育工作安排\n讨论党员发展和教育管理事项",
                             minutes="传达上级通知精神，逐项研究本月工作。", decisions="按计划推进本月各项工作。",
                             **common)
                counts["meetings"] += bool(m)
            m = _meeting(rng, branch, MeetingKind.THEME_PARTY_DAY, _workday(year, month, 20), branch.code, key,
                         title=f"{month}月主题党日：{STUDY_TOPICS[index][:12]}", start_time=dt.time(14, 30),
                         topics="集中学习\n志愿服务", minutes="学习研讨并开展志愿服务活动。", **common)
            counts["meetings"] += bool(m)
            for group in groups:
                people = services.default_attendees(group, MeetingKind.GROUP_MEETING)
                if not people:
                    continue
                m = _meeting(rng, group, MeetingKind.GROUP_MEETING, _workday(year, month, 14), group.code, key,
                             title=f"{month}月党小组会", host=people[-1], recorder=people[0],
                             place=common["place"], start_time=dt.time(16, 0),
                             topics="学习交流\n谈心谈话", minutes="组织学习并交流心得。")
                counts["meetings"] += bool(m)
            if month in (9, 11, 1):  # once a quarter (Q3, Q4, Q1)
                general = _meeting(rng, branch, MeetingKind.BRANCH_GENERAL_MEETING, _workday(year, month, 25),
                                   branch.code, key, title=f"{year}年{month}月支部党员大会",
                                   start_time=dt.time(15, 0), topics="通报支部工作\n讨论主题教育推进情况",
                                   minutes="书记通报工作，党员讨论。", **common)
                if general is not None:
                    counts["meetings"] += 1
                    voters = general.attendance.filter(voting=True, status="present").count()
                    services.set_motions(general, [{"title": "审议支部主题教育工作计划", "yes": voters,
                                                    "no": 0, "abstain": 0, "declared_passed": True}])
            if month in (10, 12):  # a 党课 a quarter, given at a lecture meeting
                lecture_meeting = _meeting(rng, branch, MeetingKind.PARTY_LECTURE, _workday(year, month, 27),
                                           branch.code, key, title="专题党课", start_time=dt.time(9, 0),
                                           **common)
                services.create_record(Lecture, org=branch, audience=branch, speaker=secretary,
                                       kind=LectureKind.LECTURE, date=lecture_meeting.date,
                                       title=f"深刻领会{STUDY_TOPICS[index][2:16]}", meeting=lecture_meeting)
                counts["meetings"] += 1
                counts["lectures"] += 1
            if (year, month) == (2023, 12):  # the year's 专题组织生活会 (TZ ch.5: ≥1 a year, usually Q4)
                m = _meeting(rng, branch, MeetingKind.ORGANIZATIONAL_LIFE_MEETING, _workday(year, month, 22),
                             branch.code, key, title="专题组织生活会", start_time=dt.time(14, 30),
                             topics="对照检查，开展批评和自我批评\n民主评议党员",
                             minutes="支部书记代表支委会对照检查，党员逐一发言，开展批评和自我批评。", **common)
                counts["meetings"] += bool(m)
            services.create_study_session(
                branch, _workday(year, month, 12), STUDY_TOPICS[index], theme=THEMES[index],
                leader=secretary, hours=2, place=common["place"],
                readings=readings[index % len(readings):index % len(readings) + 1] if readings else None,
                attendance=_attendance(rng, services.default_attendees(branch)),
                outcomes="党员交流学习体会，形成研讨发言材料。")
            counts["study"] += 1
        for i, member in enumerate(members[1:4]):  # micro-lectures by ordinary members
            services.create_record(Lecture, org=branch, audience=branch, speaker=member,
                                   kind=LectureKind.MICRO_LECTURE, date=_workday(2023, 10 + i, 16),
                                   title=f"微党课：我身边的榜样（{i + 1}）")
            counts["lectures"] += 1
        for i, other in enumerate(committee_members or members[1:3]):  # secretary ↔ committee
            services.create_record(
                Talk, org=branch, party_a=secretary, party_b=other, date=_workday(2023, 12, 4 + i),
                relation=TalkRelation.COMMITTEE_COMMITTEE if committee_members else TalkRelation.COMMITTEE_MEMBER,
                purpose=TalkPurpose.BEFORE_ORGANIZATIONAL_LIFE, place="书记办公室",
                topics="交流思想和工作情况，相互提出批评意见", opinions="建议支部活动更贴近业务")
            counts["talks"] += 1
        ordinary = [m for m in members if m not in committee_members and m != secretary]
        for i, other in enumerate(ordinary[:4]):
            services.create_record(
                Talk, org=branch, party_a=rng.choice(committee_members or [secretary]), party_b=other,
                date=_workday(2023, 12, 11 + i), relation=TalkRelation.COMMITTEE_MEMBER,
                purpose=TalkPurpose.BEFORE_ORGANIZATIONAL_LIFE, topics="了解思想动态和工作困难")
            counts["talks"] += 1
        first = services.submit_suggestion(branch, "建议减少重复报送的材料，同一数据只报一次。",
                                           member=members[2], date=dt.date(2023, 10, 9), channel="座谈会")
        services.answer_suggestion(first, "已梳理报表，合并为一张台账。", replied_on=dt.date(2023, 10, 30))
        services.submit_suggestion(branch, "希望组织一次到红色教育基地的现场学习。", anonymous=True,
                                   date=dt.date(2023, 11, 15), channel="意见箱")
        counts["suggestions"] += 2
        if readings:
            for member in members[:3]:
                services.create_record(SelfStudy, org=branch, member=member, reading=readings[0],
                                       date=_workday(2023, 10, 10), hours=2, notes="通读第一卷前三篇。")
    team_members = list(LeadershipMember.objects.filter(team__org=committee).select_related("member")
                        .order_by("order"))
    for i, leader in enumerate(team_members):
        topic, findings = RESEARCH_TOPICS[i % len(RESEARCH_TOPICS)]
        contact = leader.contact_branches.order_by("code").first() or branches[0]
        services.create_record(
            ResearchVisit, org=committee, leader=leader.member, topic=topic, place=contact.name,
            date=_workday(2023, 10, 10 + 2 * i), findings=findings, suggestions="建立清单，限期解决。",
            participants="党委办公室", report_status=ReportStatus.DONE if i % 2 == 0 else ReportStatus.DRAFT,
            report_title=f"关于{topic}的调研报告" if i % 2 == 0 else "")
        counts["research"] += 1
    if team_members:
        for year, month in MONTHS:
            services.create_meeting(committee, MeetingKind.CENTRAL_GROUP_STUDY, _workday(year, month, 6),
                                    title=f"{month}月理论学习中心组学习", host=team_members[0].member,
                                    recorder=team_members[-1].member, place="党委会议室",
                                    start_time=dt.time(9, 0),
                                    attendance=_attendance(rng, [lm.member for lm in team_members]))
            counts["meetings"] += 1
    return ("记录样例：会议 {meetings} 次、集中学习 {study} 次、党课 {lectures} 次、谈心谈话 {talks} 次、"
            "调研 {research} 次、意见建议 {suggestions} 条（有意缺少：ZB03 十一月支委会、ZB05 十二月主题党日、"
            "ZB04 第四季度党员大会、ZB02 第二党小组十月党小组会）").format(**counts)


def _campaign(committee):
    from taizhang.plans.models import Campaign

    return Campaign.objects.filter(org=committee).order_by("created_at").first()

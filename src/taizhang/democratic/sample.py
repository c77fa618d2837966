"""The sample 民主生活会 of the sample committee (orgs.sample), deterministic.

Before: the members' supervised departments (their contact branches, headed by the branch
secretaries), 8 opinions gathered in December 2023 by the four channels (most answered, one
on the problem list), every pair of the talk matrix talked (purpose 民主生活会前), the team's
and the 7 members' 对照检查材料 approved by the office (one returned once with comments and
approved in its second round). During: the 2023 meeting on 16 January 2024 with the superior's
督导组, one member on leave (6 of 7 present), each member's 对照检查 and criticism. After: the
report and record sent on 26 January (10 days), two problems raised at the meeting on the
problem list linked to it (seed 二.9, 二.12; checks 21–23 all met).
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction

from taizhang.orgs.models import LeadershipMember, Organization, OrgKind, Position
from taizhang.records import services as records
from taizhang.records.models import Talk, TalkPurpose, TalkRelation

from . import services
from .models import LifeMeeting, OpinionChannel
from .preparation import talk_matrix

D = dt.date
YEAR = 2023
OPINIONS = [  # (channel, giver, addressee index or None for the team, text, answer)
    (OpinionChannel.FORUM, "基层党支部书记座谈会", None, "调研多、反馈少，调研成果转化不够及时。", "已建立调研成果转化清单，逐月通报。"),
    (OpinionChannel.FORUM, "基层党支部书记座谈会", None, "各类报表仍有重复填报现象。", "已梳理合并报表 6 张。"),
    (OpinionChannel.QUESTIONNAIRE, "机关干部问卷", None, "班子成员到联系支部指导的次数偏少。", "已明确每季度至少到联系支部 1 次。"),
    (OpinionChannel.QUESTIONNAIRE, "机关干部问卷", 1, "分管处室之间协调还不够顺畅。", "已建立分管处室周协调机制。"),
    (OpinionChannel.INTERVIEW, "离退休干部代表", 0, "希望多听取老同志意见。", "已安排每半年召开 1 次老干部座谈会。"),
    (OpinionChannel.INTERVIEW, "服务对象代表", 2, "窗口办事一次办结率有待提高。", ""),
    (OpinionChannel.WRITTEN, "业务一处", 3, "廉政提醒要常态化。", "已纳入每月支委会议题。"),
    (OpinionChannel.WRITTEN, "政策法规处", None, "理论学习与业务结合不够紧密。", "已在中心组学习中增加案例研讨。"),
]


def _secretary(branch):
    post = Position.objects.filter(org=branch, role="secretary", ended_on__isnull=True).select_related("member").first()
    return post.member if post else None


def load_sample_democratic(committee: Organization) -> str:
    """Create the sample 民主生活会 of ``committee``'s team; return a summary line. Does nothing
    when the committee has no team or the meeting exists already."""
    team = getattr(committee, "leadership_team", None)
    if team is None or LifeMeeting.objects.filter(team=team).exists():
        return "无领导班子或民主生活会样例已存在，未重复创建"
    leaders = list(LeadershipMember.objects.filter(team=team).select_related("member").prefetch_related(
        "contact_branches").order_by("order", "pk"))
    with transaction.atomic():
        for lm in leaders[1:]:
            for branch in lm.contact_branches.filter(kind=OrgKind.BRANCH):
                head = _secretary(branch)
                if head is not None:
                    services.set_supervision(lm, branch.name.removesuffix("党支部"), head)
        opinions = []
        for i, (channel, giver, who, text, answer) in enumerate(OPINIONS):
            opinions.append(services.create_opinion({
                "org": committee, "year": YEAR, "date": D(2023, 12, 4 + i), "channel": channel, "giver": giver,
                "text": text, "addressee": leaders[who] if who is not None and who < len(leaders) else None,
                "answer": answer, "answered_on": D(2023, 12, 28) if answer else None}))
        services.make_problem(opinions[5])
        matrix = talk_matrix(team, D(YEAR, 1, 1), D(2024, 1, 15))
        principal = leaders[0].member_id if leaders else None
        for i, pair in enumerate(matrix.missing):
            relation = (TalkRelation.TEAM_DEPARTMENT if pair.b.pk not in {lm.member_id for lm in leaders}
                        else TalkRelation.SECRETARY_TEAM if principal in (pair.a.pk, pair.b.pk) else TalkRelation.TEAM_TEAM)
            records.create_record(Talk, org=committee, party_a=pair.a, party_b=pair.b, date=D(2023, 12, 11) +
                                  dt.timedelta(days=i % 20), relation=relation,
                                  purpose=TalkPurpose.BEFORE_DEMOCRATIC_LIFE, place="党委会议室",
                                  topics="交流思想，互相提醒，听取对个人对照检查的意见")
        exams = [services.create_exam({"org": committee, "year": YEAR, "date": D(2023, 12, 20),
                                       "content": "一、上年度整改落实情况\n二、检视剖析的问题\n三、原因分析\n四、整改措施"})]
        for lm in leaders:
            exams.append(services.create_exam({"org": committee, "year": YEAR, "date": D(2023, 12, 22), "leader": lm,
                                               "content": f"{lm.member.name}同志个人对照检查发言提纲：一、问题；二、原因；三、措施"}))
        for i, exam in enumerate(exams):
            services.move_exam(exam, "submit")
            if i == 1:
                services.move_exam(exam, "return_for_revision", comment="问题查摆不够具体，请结合征求到的意见补充。")
                exam.content += "\n（补充）针对征求到的意见，查摆联系基层不够经常的问题。"
                services.save_exam(exam)
                services.move_exam(exam, "submit")
            services.move_exam(exam, "approve", on=D(2024, 1, 5))
        absent = {leaders[-1].member: "因公出差"} if len(leaders) > 3 else {}
        meeting = services.create_life_meeting({
            "org": committee, "year": YEAR, "title": f"{YEAR}年度主题教育专题民主生活会", "date": D(2024, 1, 16),
            "place": "机关第一会议室", "observers": "上级第三督导组 两名同志",
            "summary": "班子成员逐一对照检查，开展批评和自我批评，督导组进行点评。",
            "reported_on": D(2024, 1, 26), "notice_scope": "机关全体党员"}, absent=absent)
        rows = []
        for i, lm in enumerate(leaders):
            if lm.member in absent:
                continue
            other = leaders[(i + 1) % len(leaders)].member.name
            rows.append({"leader": lm, "self_criticism": "对照主题教育目标要求，查摆理论学习、工作作风等方面的差距。",
                         "criticism_received": f"{other}：深入基层调研还不够。",
                         "criticism_given": "建议在抓落实上再细化措施。"})
        services.set_statements(meeting, rows)
        services.raise_problem(meeting, description="班子成员深入联系支部指导不够经常。", category="工作作风")
        services.raise_problem(meeting, description="调研成果转化为制度机制不够及时。", category="担当作为")
    return (f"征求意见 {len(opinions)} 条，谈心谈话 {matrix.needed} 对全覆盖，对照检查材料 {len(exams)} 份审核通过，"
            f"民主生活会 1 次（实到 {len(leaders) - len(absent)}/{len(leaders)}，会后 10 日报送）")

"""Sample problems and measures for ``taizhang load_sample`` (invented; any likeness is chance).

Deadlines are set relative to the day of loading so that the ledger always shows every colour:
some measures overdue, one due within 3 working days, others later, plus measures completed,
verified, closed, a long-term one on the watch list and an approved extension.
"""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.orgs.models import LeadershipMember, Organization

from . import services
from .models import RectificationKind

# (org code, source, level, description, [(measure, kind, days from today or None, leader
# order, department, target status)])
PROBLEMS = [
    ("DW", "基层调研", "leadership",
     "服务窗口午间时段无人值守，办事群众反映需等候到下午上班",
     [("推行窗口午间轮岗值班制度，公布值班电话", RectificationKind.IMMEDIATE, None, 2, "办公室", "closed"),
      ("将午间值守情况纳入月度作风检查", RectificationKind.DEADLINE, -12, 2, "办公室", "in_progress")]),
    ("DW", "巡视巡察", "leadership",
     "理论学习中心组学习研讨不够深入，联系实际不够紧密",
     [("制定中心组年度学习计划，每次确定1名重点发言人", RectificationKind.DEADLINE, -30, 1, "党委办公室", "verified"),
      ("建立学习研讨成果转化清单，按季度通报", RectificationKind.LONG_TERM, None, 1, "党委办公室", "closed_watch")]),
    ("ZB02", "谈心谈话", "branch",
     "个别支部委员对分管工作调研不够深入，掌握一线情况不够全面",
     [("制定支委调研计划，每人每季度至少调研1次", RectificationKind.DEADLINE, 2, 3, "政策法规处", "in_progress"),
      ("在支委会上交流调研成果", RectificationKind.DEADLINE, 25, 3, "政策法规处", "open")]),
    ("ZB03", "审计监督", "branch",
     "部门经费报销审核把关不严，个别票据要素不全",
     [("对本年度报销凭证开展一次全面自查", RectificationKind.DEADLINE, -5, 4, "财务审计处", "open"),
      ("修订经费报销审核操作规程", RectificationKind.DEADLINE, 40, 4, "财务审计处", "extended")]),
    ("ZB05", "组织生活会", "member",
     "部分党员在组织生活会上发言以工作汇报代替对照检查，批评和自我批评不够",
     [("会前逐一审阅党员发言提纲", RectificationKind.DEADLINE, -20, 6, "业务二处", "completed")]),
    ("ZB04", "建言献策", "branch",
     "业务办理指南更新不及时，群众对办理流程反映不清楚",
     [("梳理并更新全部业务办理指南，在门户网站公开", RectificationKind.DEADLINE, 10, 5, "业务一处", "in_progress")]),
]


def _date(days: int | None, today: dt.date) -> dt.date | None:
    return None if days is None else today + dt.timedelta(days=days)


@transaction.atomic
def load_sample_problems(committee: Organization) -> str:
    """Create the sample problems of :data:`PROBLEMS` under ``committee`` (codes DW, ZB02 …
    of ``taizhang.orgs.sample``) and move their measures to varied states through the
    services, so each move is a recorded event. Returns a summary line."""
    today = timezone.localdate()
    orgs = {o.code: o for o in Organization.objects.filter(path__startswith=committee.path)}
    leaders = {lm.order: lm for lm in LeadershipMember.objects.filter(team__org=committee)}
    problems = measures = 0
    for code, source, level, description, rows in PROBLEMS:
        org = orgs.get(code, committee)
        problem = services.create_problem(org=org, source=source, level=level, description=description,
                                          found_on=today - dt.timedelta(days=60))
        problems += 1
        for text, kind, days, leader_order, department, state in rows:
            leader = leaders.get(leader_order)
            deadline = _date(days, today)
            if kind == RectificationKind.LONG_TERM:
                deadline = today - dt.timedelta(days=15)  # the milestone
            rect = services.add_measure(
                problem, measure=text, kind=kind, deadline=deadline, leader=leader,
                leader_name=leader.member.name if leader else "", department=department,
                person=leader.member.name if leader else "")
            measures += 1
            _advance(rect, state, today)
    return _("问题 %(problems)d 个，整改措施 %(measures)d 项") % {"problems": problems, "measures": measures}


def _advance(rect, state: str, today: dt.date) -> None:
    if state == "open":
        return
    if state == "extended":
        request = services.request_extension(rect, new_deadline=rect.deadline + dt.timedelta(days=30),
                                             reason="涉及规程需经局务会审议，会期调整")
        services.decide_extension(request, approve=True, comment="同意延期一个月")
        return
    services.add_update(rect, reported_on=today - dt.timedelta(days=20), done="已研究部署，明确专人负责",
                        next_step="按计划推进")
    if state == "in_progress":
        services.add_update(rect, reported_on=today - dt.timedelta(days=3), done="已完成大部分工作",
                            difficulties="部分事项需跨部门协调", next_step="本月内完成")
        return
    services.move(rect, "complete", completion_note="已按措施落实到位", evidence="制度文件、工作记录")
    if state == "completed":
        return
    services.move(rect, "verify", comment="经核查，整改到位")
    if state == "verified":
        return
    services.move(rect, "close", comment="同意销号")

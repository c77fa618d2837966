"""The ``dlm-report`` report: a 民主生活会's 情况报告 to the superior (issue 11 §1).

What the report holds follows the regulations' report (MS 《县以上党和国家机关党员领导干部民主生活会
若干规定》 (2016): the report and the meeting record go to the superior within 15 days;
domain-rules §2 "民主生活会", §4 "民主生活会 record"): the preparation (opinions gathered by
channel, the talk matrix covered n/N, the 对照检查材料 approved before the day), the attendance
(应到/实到, absentees with reasons, the superior's 督导 present), the criticism in summary per
member (as the democratic app stores it: the text received and given, an item being one
non-empty line) and the problems raised at the meeting with their measures.
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db.models import Count, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.democratic.models import LifeMeeting, Opinion, OpinionChannel
from taizhang.democratic.preparation import materials, quorum_of, report_state, talk_matrix, window_of
from taizhang.orgs.models import LeadershipMember
from taizhang.records.models import AttendanceStatus
from taizhang.rectification.models import Problem

from .common import Params, cn_date, percent, text

SCHEMA = {
    "unit": _("组织名称"),
    "team": _("领导班子"),
    "meeting": {"title": _("会议主题"), "year": _("年度"), "date": _("召开日期"), "place": _("地点"),
                "observers": _("上级督导人员"), "summary": _("会议情况（多行）"), "notice_scope": _("通报范围"),
                "reported_on": _("报送日期"), "report_days": _("会后报送天数")},
    "opinions": {"total": _("征求意见总数"), "answered": _("已反馈数"), "to_team": _("针对班子的意见数"),
                 "to_members": _("针对班子成员的意见数")},
    "channels": [{"label": _("征求方式"), "count": _("意见数")}],
    "givers": [{"name": _("提出人或单位"), "count": _("意见数")}],
    "talks": {"covered": _("已谈对数"), "needed": _("应谈对数"), "rate": _("覆盖率"), "complete": _("是否全覆盖"),
              "missing": _("未谈的对")},
    "exams": {"approved": _("审核通过的材料数"), "needed": _("应有材料数"), "complete": _("是否全部通过"),
              "missing": _("未通过审核的材料")},
    "attendance": {"expected": _("应到人数"), "present": _("实到人数"), "absent": _("缺席人数"),
                   "rate": _("到会率"), "quorum": _("是否达到应到人数三分之二"), "present_names": _("出席人员")},
    "absentees": [{"name": _("缺席人员"), "status": _("请假/缺席"), "reason": _("缺席原因")}],
    "members": [{"name": _("班子成员"), "title": _("职务"), "spoke": _("是否作对照检查发言"),
                 "received": _("收到的批评意见条数"), "given": _("提出的批评意见条数"),
                 "received_text": _("收到的批评意见"), "given_text": _("提出的批评意见")}],
    "criticism": {"received": _("批评意见总条数（收到）"), "given": _("批评意见总条数（提出）"),
                  "speakers": _("作对照检查发言人数")},
    "problems": [{"number": _("序号"), "description": _("问题表现"), "category": _("问题类别"),
                  "measures": [{"measure": _("整改措施"), "person": _("责任人"), "deadline": _("整改时限"),
                                "status": _("整改状态")}],
                  "measure_count": _("措施数")}],
    "problem_count": _("查摆问题数"),
    "measure_total": _("整改措施数"),
    "generated_on": _("生成日期"),
}


def items(value: str) -> int:
    """The criticism items in a stored text: its non-empty lines (the statement form takes one
    criticism per line)."""
    return sum(1 for line in (value or "").splitlines() if line.strip())


def raised_problems(life_meeting: LifeMeeting):
    """The problems raised at ``life_meeting`` (linked to it as their source record), with
    their measures prefetched, in number order."""
    ct = ContentType.objects.get_for_model(LifeMeeting)
    return (Problem.objects.filter(source_content_type=ct, source_object_id=life_meeting.pk)
            .prefetch_related("measures").order_by("number", "pk"))


def _preparation(lm: LifeMeeting) -> dict:
    opinions = Opinion.objects.filter(team=lm.team, year=lm.year)
    stats = opinions.aggregate(total=Count("pk"), answered=Count("pk", filter=~Q(answer="")),
                               to_team=Count("pk", filter=Q(addressee__isnull=True)))
    labels = dict(OpinionChannel.choices)
    channels = [{"label": str(labels.get(row["channel"], row["channel"])), "count": row["n"]}
                for row in opinions.values("channel").annotate(n=Count("pk")).order_by("-n", "channel")]
    givers = [{"name": row["giver"] or "—", "count": row["n"]}
              for row in opinions.values("giver").annotate(n=Count("pk")).order_by("-n", "giver")]
    start, end = window_of(lm)
    matrix = talk_matrix(lm.team, start, end)
    exams = materials(lm.team, lm.year, lm.date)
    return {
        "opinions": {**stats, "to_members": stats["total"] - stats["to_team"]},
        "channels": channels, "givers": givers,
        "talks": {"covered": matrix.covered, "needed": matrix.needed, "rate": percent(matrix.covered, matrix.needed),
                  "complete": "是" if matrix.complete else "否",
                  "missing": "、".join(str(p) for p in matrix.missing) or "无"},
        "exams": {"approved": exams.done, "needed": exams.needed, "complete": "是" if exams.complete else "否",
                  "missing": "、".join(str(m) for m in exams.missing) or "无"},
    }


def _attendance(lm: LifeMeeting) -> tuple[dict, list]:
    rows = list(lm.meeting.attendance.select_related("member").order_by("pk")) if lm.meeting_id else []
    present = [a.member.name for a in rows if a.status == AttendanceStatus.PRESENT]
    absentees = [{"name": a.member.name, "status": str(a.get_status_display()), "reason": a.reason_note or "—"}
                 for a in rows if a.status != AttendanceStatus.PRESENT]
    quorum = quorum_of(lm)
    return {"expected": len(rows), "present": len(present), "absent": len(rows) - len(present),
            "rate": percent(len(present), len(rows)), "quorum": "是" if quorum["met"] else "否",
            "present_names": "、".join(present) or "—"}, absentees


def _members(lm: LifeMeeting) -> list[dict]:
    statements = {s.leader_id: s for s in lm.statements.all()}
    rows = []
    for leader in LeadershipMember.objects.filter(team=lm.team).select_related("member").order_by("order", "pk"):
        s = statements.get(leader.pk)
        received, given = (s.criticism_received, s.criticism_given) if s else ("", "")
        rows.append({"name": leader.member.name, "title": leader.title,
                     "spoke": "是" if s and s.self_criticism.strip() else "否",
                     "received": items(received), "given": items(given),
                     "received_text": text(received or "—"), "given_text": text(given or "—")})
    return rows


def _problems(lm: LifeMeeting) -> list[dict]:
    rows = []
    for p in raised_problems(lm):
        measures = [{"measure": text(m.measure), "person": m.person or m.leader_name or "—",
                     "deadline": cn_date(m.deadline) or "—", "status": str(m.get_status_display())}
                    for m in sorted(p.measures.all(), key=lambda m: (m.position, m.pk))]
        rows.append({"number": p.number, "description": text(p.description), "category": p.category or "—",
                     "measures": measures, "measure_count": len(measures)})
    return rows


def build(params: Params, progress=None) -> dict:
    """The context of ``params.life_meeting``'s 情况报告 (already scoped); see :data:`SCHEMA`.
    About fifteen queries whatever the team's size (the talk matrix takes four)."""
    lm = params.life_meeting
    attendance, absentees = _attendance(lm)
    members = _members(lm)
    problems = _problems(lm)
    state = report_state(lm, timezone.localdate())
    return {
        "unit": lm.org.name,
        "team": lm.team.name,
        "meeting": {"title": lm.title, "year": lm.year, "date": cn_date(lm.date), "place": lm.place or "—",
                    "observers": lm.observers or "无", "summary": text(lm.summary), "notice_scope": lm.notice_scope or "—",
                    "reported_on": cn_date(lm.reported_on) or "尚未报送",
                    "report_days": state["days"] if state["days"] is not None else "—"},
        **_preparation(lm),
        "attendance": attendance,
        "absentees": absentees,
        "members": members,
        "criticism": {"received": sum(m["received"] for m in members), "given": sum(m["given"] for m in members),
                      "speakers": sum(1 for m in members if m["spoke"] == "是")},
        "problems": problems,
        "problem_count": len(problems),
        "measure_total": sum(p["measure_count"] for p in problems),
        "generated_on": cn_date(timezone.localdate()),
    }

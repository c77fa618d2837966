"""The ``meeting`` report: one meeting's record in the 三会一课记录本 layout.

Fields after the practitioners' record book (domain-rules §4 "三会一课 / 主题党日 record"):
time, place, 主持人, 记录人, 应到/实到/缺席 with names and reasons, 列席人员, 议题, 会议内容,
决议事项, 表决结果 per motion, and places for the signatures of the chair and the recorder.
"""

from __future__ import annotations

from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.records.models import AttendanceStatus

from .common import Params, cn_date, cn_time, text

SCHEMA = {
    "unit": _("组织名称"),
    "meeting": {
        "kind": _("会议类型"), "title": _("会议主题"), "date": _("日期（2023年10月12日）"),
        "time": _("起止时间（09:00—11:00）"), "place": _("地点"), "host": _("主持人"),
        "recorder": _("记录人"), "invitees": _("列席人员"), "expected": _("应到人数"),
        "present": _("实到人数"), "absent": _("缺席人数"), "present_names": _("出席人员"),
        "topics": _("议题（多行）"), "minutes": _("会议内容（多行）"), "decisions": _("决议事项（多行）"),
        "notes": _("备注"),
    },
    "absentees": [{"name": _("缺席人员"), "status": _("请假/缺席"), "reason": _("缺席原因")}],
    "motions": [{"title": _("表决事项"), "yes": _("赞成"), "no": _("反对"), "abstain": _("弃权"),
                 "result": _("表决结果")}],
    "generated_on": _("生成日期"),
}


#: The 表决结果 words of :meth:`taizhang.records.models.Motion.outcome`.
OUTCOME_LABELS = {"passed": "通过", "failed": "未通过", "no_quorum": "未达到法定人数", "unknown": "—"}


def build(params: Params) -> dict:
    """The context of one meeting's record (``params.meeting``, already scoped). Two
    queries (the attendance, the motions), none when they were prefetched."""
    m = params.meeting
    if "attendance" in getattr(m, "_prefetched_objects_cache", {}):  # the archive prefetches
        rows = sorted(m.attendance.all(), key=lambda a: a.pk)
    else:
        rows = list(m.attendance.select_related("member").order_by("pk"))
    present = [a.member.name for a in rows if a.status == AttendanceStatus.PRESENT]
    absentees = [{"name": a.member.name, "status": str(a.get_status_display()), "reason": a.reason_note or "—"}
                 for a in rows if a.status != AttendanceStatus.PRESENT]
    motions = []
    for motion in m.motions.all():
        if motion.declared_passed is not None:  # what the meeting announced
            result = "通过" if motion.declared_passed else "未通过"
        else:  # TZ Art. 11, from the attendance (records.Motion.outcome)
            result = OUTCOME_LABELS[motion.outcome(m.att_voting_expected, m.att_voting_present)]
        motions.append({"title": motion.title, "yes": motion.yes, "no": motion.no,
                        "abstain": motion.abstain, "result": result})
    time = "—".join(part for part in (cn_time(m.start_time), cn_time(m.end_time)) if part)
    return {
        "unit": m.org.name,
        "meeting": {
            "kind": str(m.get_kind_display()), "title": m.title or str(m.get_kind_display()),
            "date": cn_date(m.date), "time": time, "place": m.place,
            "host": m.host.name if m.host else "", "recorder": m.recorder.name if m.recorder else "",
            "invitees": m.invitees or "无", "expected": len(rows), "present": len(present),
            "absent": len(rows) - len(present), "present_names": "、".join(present),
            "topics": text("\n".join(f"{i}. {t}" for i, t in enumerate(m.topic_list, 1))),
            "minutes": text(m.minutes), "decisions": text(m.decisions or "无"), "notes": m.notes,
        },
        "absentees": absentees,
        "motions": motions,
        "generated_on": cn_date(timezone.localdate()),
    }


def build_for(params: Params, progress=None) -> dict:
    """:func:`build` with the builders' common signature."""
    return build(params)

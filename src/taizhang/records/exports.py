"""The Excel ledgers practitioners keep (domain-rules §4), streamed through core.excel.

Each ledger is a :class:`Ledger`: a title (also the file and sheet name), Chinese column
headers, and a function turning a (scoped, filtered) queryset into rows. Rows are produced
lazily from ``QuerySet.iterator(chunk_size=…)`` — with per-chunk prefetching where a row
needs related rows — so memory stays flat whatever the number of rows (the attendance
ledger of 200,000 rows included). Dates are real dates; times are "HH:MM" text.
"""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from taizhang.core.excel import DATE_FORMAT, Column, Ledger

from .models import (
    Attendance,
    AttendanceStatus,
    Meeting,
    MeetingKind,
    StudyAttendance,
)

CHUNK = 2000


def _hm(value) -> str:
    return value.strftime("%H:%M") if value else ""


def _quarter(date) -> str:
    return f"{date.year}年第{(date.month - 1) // 3 + 1}季度"


def _name(member) -> str:
    return member.name if member is not None else ""


def _absences(rows) -> str:
    """"张三（请假：出差）；李四（缺席）" from the non-present attendance rows."""
    parts = []
    for row in rows:
        label = row.get_status_display()
        note = row.reason_note
        parts.append(f"{row.member.name}（{label}：{note}）" if note else f"{row.member.name}（{label}）")
    return "；".join(parts)


def _votes(motions) -> str:
    return "；".join(f"{m.title}：赞成{m.yes}、反对{m.no}、弃权{m.abstain}" for m in motions)


D = DATE_FORMAT
MEETING_COLUMNS = [
    Column("序号", 6), Column("组织", 18), Column("会议类型", 12), Column("会议主题", 28),
    Column("日期", 12, D), Column("开始时间", 9), Column("结束时间", 9), Column("季度", 14),
    Column("地点", 16), Column("主持人", 10), Column("记录人", 10), Column("应到人数", 9),
    Column("实到人数", 9), Column("缺席人数", 9), Column("缺席人员及原因", 30), Column("列席人员", 16),
    Column("议题", 30), Column("会议内容", 40), Column("决议事项", 30), Column("表决结果", 30),
    Column("党课主讲人", 10), Column("党课题目", 24), Column("备注", 20),
]


def meeting_rows(queryset) -> Iterator[list]:
    not_present = Attendance.objects.exclude(status=AttendanceStatus.PRESENT).select_related("member")
    meetings = (queryset.with_counts().select_related("org", "host", "recorder", "lecture__speaker")
                .prefetch_related(Prefetch("attendance", queryset=not_present, to_attr="absences"),
                                  "motions")
                .order_by("date", "start_time", "pk"))
    for index, m in enumerate(meetings.iterator(chunk_size=CHUNK), start=1):
        counts = m.attendance_counts()
        lecture = getattr(m, "lecture", None)
        yield [index, m.org.name, m.get_kind_display(), m.title, m.date, _hm(m.start_time),
               _hm(m.end_time), _quarter(m.date), m.place, _name(m.host), _name(m.recorder),
               counts["expected"], counts["present"], counts["absent"], _absences(m.absences),
               m.invitees, "\n".join(m.topic_list), m.minutes, m.decisions, _votes(m.motions.all()),
               _name(lecture.speaker) if lecture else "", lecture.title if lecture else "", m.notes]


ATTENDANCE_COLUMNS = [
    Column("序号", 8), Column("日期", 12, D), Column("组织", 18), Column("会议类型", 12),
    Column("会议主题", 28), Column("姓名", 10), Column("出席情况", 9), Column("缺席原因", 20),
    Column("有表决权", 9), Column("扫码签到", 9),
]


def attendance_rows(queryset) -> Iterator[list]:
    """One row per expected attendee; ``queryset`` is of :class:`Attendance`. Reads plain
    value tuples (no model instances) for speed."""
    kinds = {k: str(v) for k, v in MeetingKind.choices}
    statuses = {k: str(v) for k, v in AttendanceStatus.choices}
    values = queryset.order_by("meeting__date", "meeting_id", "pk").values_list(
        "meeting__date", "meeting__org__name", "meeting__kind", "meeting__title", "member__name",
        "status", "reason", "voting", "signed_in_at")
    for index, (date, org, kind, title, name, status, reason, voting, signed) in enumerate(
            values.iterator(chunk_size=CHUNK), start=1):
        yield [index, date, org, kinds.get(kind, kind), title, name, statuses.get(status, status),
               reason, "是" if voting else "否", "是" if signed else ""]


STUDY_COLUMNS = [
    Column("序号", 6), Column("日期", 12, D), Column("组织", 18), Column("形式", 10),
    Column("专题", 10), Column("主题及篇目", 36), Column("领学人", 10), Column("参加人员", 36),
    Column("应到人数", 9), Column("实到人数", 9), Column("学时", 6), Column("研讨发言人", 20),
    Column("心得/成果", 30),
]


def study_rows(queryset) -> Iterator[list]:
    present = StudyAttendance.objects.filter(status=AttendanceStatus.PRESENT).select_related("member")
    sessions = (queryset.with_counts().select_related("org", "leader")
                .prefetch_related(Prefetch("attendance", queryset=present, to_attr="present_rows"),
                                  "readings")
                .order_by("date", "pk"))
    for index, s in enumerate(sessions.iterator(chunk_size=CHUNK), start=1):
        counts = s.attendance_counts()
        titles = "、".join(f"《{r.title.strip('《》')}》" for r in s.readings.all())
        subject = f"{s.topic}（{titles}）" if titles else s.topic
        yield [index, s.date, s.org.name, s.get_kind_display(), s.get_theme_display() or "自选",
               subject, _name(s.leader), "、".join(r.member.name for r in s.present_rows),
               counts["expected"], counts["present"], s.hours, s.speakers, s.outcomes]


SELF_STUDY_COLUMNS = [
    Column("序号", 6), Column("日期", 12, D), Column("支部", 18), Column("姓名", 10),
    Column("学习内容", 36), Column("学时", 6), Column("学习心得", 40),
]


def self_study_rows(queryset) -> Iterator[list]:
    items = queryset.select_related("org", "member", "reading").order_by("date", "pk")
    for index, s in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, s.date, s.org.name, s.member.name, s.subject, s.hours, s.notes]


LECTURE_COLUMNS = [
    Column("序号", 6), Column("日期", 12, D), Column("组织", 18), Column("类型", 8),
    Column("题目", 30), Column("主讲人", 10), Column("听课对象", 18), Column("地点", 16),
    Column("听课人数", 9), Column("主要内容", 40),
]


def lecture_rows(queryset) -> Iterator[list]:
    items = (queryset.select_related("org", "speaker", "audience", "meeting")
             .prefetch_related("co_speakers").order_by("date", "pk"))
    meeting_counts = dict(Meeting.objects.with_counts().filter(lecture__in=queryset)
                          .values_list("pk", "n_present"))
    for index, lec in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        heard = lec.audience_count if lec.audience_count is not None else meeting_counts.get(lec.meeting_id)
        yield [index, lec.date, lec.org.name, lec.get_kind_display(), lec.title,
               "、".join(dict.fromkeys([lec.speaker.name, *(m.name for m in lec.co_speakers.all())])),
               lec.audience.name, lec.place, heard, lec.summary]


RESEARCH_COLUMNS = [
    Column("序号", 6), Column("课题名称", 30), Column("牵头领导", 10), Column("参与人员", 18),
    Column("调研对象/地点", 20), Column("调研时间", 12, D), Column("调研方式", 10),
    Column("发现问题", 40), Column("对策建议", 40), Column("调研报告", 12), Column("报告标题", 24),
    Column("成果转化", 30), Column("交流会日期", 12, D), Column("组织", 18),
]


def research_rows(queryset) -> Iterator[list]:
    items = queryset.select_related("org", "leader").order_by("date", "pk")
    for index, v in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, v.topic, v.leader.name, v.participants, v.place, v.date, v.get_method_display(),
               v.findings, v.suggestions, v.get_report_status_display(), v.report_title, v.outcomes,
               v.shared_on, v.org.name]


TALK_COLUMNS = [
    Column("序号", 6), Column("谈话时间", 12, D), Column("谈话人", 10), Column("谈话对象", 10),
    Column("关系类型", 18), Column("地点", 14), Column("谈话方式", 10), Column("谈话目的", 14),
    Column("主要内容", 40), Column("对方意见建议", 30), Column("谈话人提醒或意见", 30),
    Column("后续措施", 24), Column("组织", 18),
]


def talk_rows(queryset) -> Iterator[list]:
    items = queryset.select_related("org", "party_a", "party_b").order_by("date", "pk")
    for index, t in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, t.date, t.party_a.name, t.party_b.name, t.get_relation_display(), t.place,
               t.get_mode_display(), t.get_purpose_display(), t.topics, t.opinions, t.advice,
               t.follow_up, t.org.name]


SUGGESTION_COLUMNS = [
    Column("序号", 6), Column("提出日期", 12, D), Column("组织", 18), Column("提出人", 10),
    Column("征求渠道", 14), Column("意见建议内容", 50), Column("办理状态", 10),
    Column("办理答复", 40), Column("答复日期", 12, D),
]


def suggestion_rows(queryset) -> Iterator[list]:
    items = queryset.select_related("org", "member").order_by("date", "pk")
    for index, s in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, s.date, s.org.name, s.author_display, s.channel, s.content,
               s.get_status_display(), s.reply, s.replied_on]


MEETING_LEDGER = Ledger("三会一课记录台账", MEETING_COLUMNS, meeting_rows)
ATTENDANCE_LEDGER = Ledger("会议出席台账", ATTENDANCE_COLUMNS, attendance_rows)
STUDY_LEDGER = Ledger("学习台账", STUDY_COLUMNS, study_rows)
SELF_STUDY_LEDGER = Ledger("个人自学台账", SELF_STUDY_COLUMNS, self_study_rows)
LECTURE_LEDGER = Ledger("党课台账", LECTURE_COLUMNS, lecture_rows)
RESEARCH_LEDGER = Ledger("调研台账", RESEARCH_COLUMNS, research_rows)
TALK_LEDGER = Ledger("谈心谈话台账", TALK_COLUMNS, talk_rows)
SUGGESTION_LEDGER = Ledger("意见建议台账", SUGGESTION_COLUMNS, suggestion_rows)

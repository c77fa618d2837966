"""The ledgers of the democratic app (征求意见, 对照检查材料, 民主生活会), streamed through core.excel."""

from __future__ import annotations

from collections.abc import Iterator

from taizhang.core.excel import DATE_FORMAT, Column, Ledger

CHUNK = 1000

OPINION_COLUMNS = [
    Column("序号", 6), Column("组织", 20), Column("年度", 8), Column("征求日期", 12, DATE_FORMAT),
    Column("征求方式", 10), Column("提出人或单位", 16), Column("针对", 12), Column("意见内容", 50),
    Column("反馈答复", 40), Column("反馈日期", 12, DATE_FORMAT),
]


def opinion_rows(queryset) -> Iterator[list]:
    """One row per opinion (scoped, filtered), by organization then date."""
    items = queryset.select_related("org", "addressee__member").order_by("org__path", "date", "pk")
    for index, o in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, o.org.name, o.year, o.date, o.get_channel_display(), o.giver, o.addressed_to, o.text,
               o.answer, o.answered_on]


EXAM_COLUMNS = [
    Column("序号", 6), Column("组织", 20), Column("年度", 8), Column("对象", 12), Column("标题", 40),
    Column("撰写日期", 12, DATE_FORMAT), Column("状态", 16), Column("审核通过日期", 12, DATE_FORMAT),
    Column("需上级审核", 10),
]


def exam_rows(queryset) -> Iterator[list]:
    """One row per material."""
    items = queryset.select_related("org", "leader__member").order_by("org__path", "-year", "leader__order", "pk")
    for index, e in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, e.org.name, e.year, e.whose, e.title, e.date, e.get_status_display(), e.approved_on,
               "是" if e.needs_superior else "否"]


MEETING_COLUMNS = [
    Column("序号", 6), Column("组织", 20), Column("年度", 8), Column("会议主题", 30), Column("召开日期", 12, DATE_FORMAT),
    Column("地点", 16), Column("上级督导人员", 20), Column("应到", 6), Column("实到", 6),
    Column("报告和记录报送日期", 14, DATE_FORMAT), Column("通报范围", 16), Column("会议情况", 40),
]


def meeting_rows(queryset) -> Iterator[list]:
    """One row per meeting, with its attendance counts (one annotated query)."""
    from taizhang.records.models.attendance import count_expressions

    items = queryset.select_related("org").annotate(**count_expressions("meeting__attendance__")).order_by("org__path", "date", "pk")
    for index, m in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, m.org.name, m.year, m.title, m.date, m.place, m.observers, m.n_expected, m.n_present,
               m.reported_on, m.notice_scope, m.summary]


OPINION_LEDGER = Ledger("征求意见台账", OPINION_COLUMNS, opinion_rows)
EXAM_LEDGER = Ledger("对照检查材料台账", EXAM_COLUMNS, exam_rows)
MEETING_LEDGER = Ledger("民主生活会台账", MEETING_COLUMNS, meeting_rows)

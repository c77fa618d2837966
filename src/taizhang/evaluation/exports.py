"""The 民主评议 ledger (domain-rules §4 测评表 roll-up) streamed through core.excel."""

from __future__ import annotations

from collections.abc import Iterator

from taizhang.core.excel import DATE_FORMAT, Column, Ledger

TITLE = "民主评议党员台账"
COLUMNS = [
    Column("党支部", 20), Column("姓名", 10), Column("党员类型", 10), Column("年度", 8),
    Column("评议等次", 10), Column("评定日期", 12, DATE_FORMAT), Column("后续措施", 50),
]


def appraisal_rows(queryset) -> Iterator[list]:
    """One row per appraisal of ``queryset`` (scoped and filtered), branch then year then name."""
    items = queryset.select_related("org", "member").order_by("org__path", "year", "member__name", "pk")
    for a in items.iterator(chunk_size=2000):
        yield [a.org.name, a.member.name, a.member.get_status_display(), a.year, a.get_grade_display(),
               a.rated_on, a.follow_up]


LEDGER = Ledger(TITLE, COLUMNS, appraisal_rows)

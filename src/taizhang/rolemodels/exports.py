"""The 先进典型 ledger (推荐选树台账) streamed through core.excel."""

from __future__ import annotations

from collections.abc import Iterator

from taizhang.core.excel import DATE_FORMAT, Column, Ledger

TITLE = "先进典型推荐选树台账"
COLUMNS = [
    Column("序号", 6), Column("推荐组织", 20), Column("类别", 10), Column("名称", 16), Column("推荐称号", 16),
    Column("主要事迹", 50), Column("推荐日期", 12, DATE_FORMAT), Column("状态", 10),
    Column("选树日期", 12, DATE_FORMAT), Column("公示开始", 12, DATE_FORMAT), Column("公示结束", 12, DATE_FORMAT),
    Column("公示异议", 8), Column("公布日期", 12, DATE_FORMAT),
]


def role_model_rows(queryset) -> Iterator[list]:
    """One row per role model of ``queryset`` (scoped, filtered), by organization then date."""
    from django.db.models import Count

    items = (queryset.select_related("org", "member").annotate(n_objections=Count("objections"))
             .order_by("org__path", "nominated_on", "pk"))
    for index, r in enumerate(items.iterator(chunk_size=2000), start=1):
        yield [index, r.org.name, r.get_kind_display(), r.name, r.title, r.deeds, r.nominated_on,
               r.get_status_display(), r.selected_on, r.publicity_start, r.publicity_end, r.n_objections,
               r.announced_on]


LEDGER = Ledger(TITLE, COLUMNS, role_model_rows)

"""The 建章立制 register and the typical cases ledger, streamed through core.excel."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Prefetch

from taizhang.core.excel import DATE_FORMAT, Column, Ledger
from taizhang.rectification.models import Problem, Rectification

INSTITUTION_TITLE = "建章立制台账"
INSTITUTION_COLUMNS = [
    Column("序号", 6), Column("组织", 20), Column("制度名称", 30), Column("类型", 8),
    Column("印发日期", 12, DATE_FORMAT), Column("文号", 16), Column("主要内容", 40),
    Column("针对的问题", 40), Column("针对的整改措施", 40),
]
CHUNK = 500


def institution_rows(queryset) -> Iterator[list]:
    """One row per institution (scoped, filtered), by organization then date; the problems
    as "序号. 问题" and the measures joined by "；" (prefetched per chunk)."""
    items = queryset.select_related("org").prefetch_related(
        Prefetch("problems", queryset=Problem.objects.order_by("number")),
        Prefetch("measures", queryset=Rectification.objects.order_by("pk")),
    ).order_by("org__path", "date", "pk")
    for index, i in enumerate(items.iterator(chunk_size=CHUNK), start=1):
        yield [index, i.org.name, i.name, i.get_action_display(), i.date, i.doc_number, i.summary,
               "；".join(f"{p.number}. {p}" for p in i.problems.all()),
               "；".join(str(m) for m in i.measures.all())]


CASE_TITLE = "典型案例和经验做法"
CASE_COLUMNS = [
    Column("序号", 6), Column("组织", 20), Column("类别", 10), Column("标题", 30),
    Column("总结日期", 12, DATE_FORMAT), Column("主要内容", 50), Column("固化为制度", 24),
]


def case_rows(queryset) -> Iterator[list]:
    """One row per typical case (scoped, filtered), by organization then date."""
    items = queryset.select_related("org", "institution").order_by("org__path", "date", "pk")
    for index, c in enumerate(items.iterator(chunk_size=2000), start=1):
        yield [index, c.org.name, c.get_kind_display(), c.title, c.date, c.summary,
               c.institution.name if c.institution else ""]


INSTITUTION_LEDGER = Ledger(INSTITUTION_TITLE, INSTITUTION_COLUMNS, institution_rows)
CASE_LEDGER = Ledger(CASE_TITLE, CASE_COLUMNS, case_rows)

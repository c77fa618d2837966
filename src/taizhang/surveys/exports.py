"""Excel of the surveys app: the list of surveys with their overall results, and one
survey's results per item (core.excel)."""

from __future__ import annotations

from collections.abc import Iterator

from django.db.models import Count, Q

from taizhang.core.excel import DATE_FORMAT, Column, Ledger

from .models import Rating

TITLE = "群众满意度测评台账"
COLUMNS = [
    Column("序号", 6), Column("组织", 20), Column("测评名称", 30), Column("开始日期", 12, DATE_FORMAT),
    Column("截止日期", 12, DATE_FORMAT), Column("答卷数", 8), Column("满意", 8), Column("基本满意", 10),
    Column("不满意", 8), Column("满意率(%)", 10),
]


def _rate(s, b, d):
    total = s + b + d
    return round(100 * (s + b) / total, 1) if total else None


def survey_rows(queryset) -> Iterator[list]:
    """One row per survey (scoped, filtered): answer counts over all items and the
    satisfaction rate (满意+基本满意)/总数. One query."""
    items = queryset.select_related("org").annotate(
        n_s=Count("responses__answers", filter=Q(responses__answers__rating=Rating.SATISFIED)),
        n_b=Count("responses__answers", filter=Q(responses__answers__rating=Rating.BASICALLY_SATISFIED)),
        n_d=Count("responses__answers", filter=Q(responses__answers__rating=Rating.DISSATISFIED)),
    ).order_by("org__path", "start", "pk")
    for index, s in enumerate(items, start=1):
        yield [index, s.org.name, s.title, s.start, s.end, s.response_count, s.n_s, s.n_b, s.n_d,
               _rate(s.n_s, s.n_b, s.n_d)]


LEDGER = Ledger(TITLE, COLUMNS, survey_rows)

RESULT_COLUMNS = [Column("序号", 6), Column("测评项目", 40), Column("满意", 8), Column("基本满意", 10),
                  Column("不满意", 8), Column("合计", 8), Column("满意率(%)", 10)]


def result_rows(item_results, overall) -> Iterator[list]:
    """Rows of one survey's results (:func:`.services.results`), then the total."""
    for index, r in enumerate(item_results, start=1):
        yield [index, r.item.text, r.satisfied, r.basically_satisfied, r.dissatisfied, r.total, r.rate]
    yield ["", "合计", overall.satisfied, overall.basically_satisfied, overall.dissatisfied, overall.total,
           overall.rate]

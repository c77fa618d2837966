"""django-tables2 table of the problem list."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import Problem


class ProblemTable(tables.Table):
    """Problems with their measure counts (annotated ``measure_count``/``closed_count``)."""

    number = tables.Column(verbose_name=_("序号"), order_by=("org__path", "number"))
    description = tables.Column(linkify=True, verbose_name=_("问题表现"), attrs={"td": {"class": "text-wrap"}})
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    source = tables.Column(verbose_name=_("问题来源"))
    level = tables.Column(verbose_name=_("问题对象"))
    found_on = DateColumn(format="Y-m-d", verbose_name=_("发现日期"))
    measure_count = tables.Column(verbose_name=_("措施数"))
    closed_count = tables.Column(verbose_name=_("已销号"))

    class Meta:
        model = Problem
        fields = ("number", "description", "org", "source", "level", "found_on", "measure_count", "closed_count")
        attrs = {"class": "table card-table table-vcenter table-sm", "id": "problem-table"}
        empty_text = _("暂无问题")

    def render_description(self, value):
        text = " ".join(value.split())
        return text if len(text) <= 60 else text[:59] + "…"

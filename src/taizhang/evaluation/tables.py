"""django-tables2 table of the 民主评议 list (the view select_relates org and member)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import Appraisal


class AppraisalTable(tables.Table):
    year = tables.Column(verbose_name=_("年度"), linkify=True)
    member = tables.Column(verbose_name=_("姓名"), order_by=("member__name",), linkify=True)
    status = tables.Column(accessor="member__get_status_display", verbose_name=_("党员类型"), orderable=False)
    org = tables.Column(verbose_name=_("党支部"), order_by=("org__path",))
    grade = tables.Column(verbose_name=_("评议等次"))
    rated_on = DateColumn(format="Y-m-d", verbose_name=_("评定日期"))
    follow_up = tables.Column(verbose_name=_("后续措施"), orderable=False)

    class Meta:
        model = Appraisal
        fields = ("year", "member", "status", "org", "grade", "rated_on", "follow_up")
        attrs = {"class": "table card-table table-vcenter table-sm", "id": "appraisal-table"}
        empty_text = _("暂无民主评议记录")

    def render_member(self, record):
        return record.member.name

    def render_follow_up(self, value):
        return value if len(value) <= 30 else value[:30] + "…"

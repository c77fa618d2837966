"""The surveys list table (the view select_relates org)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import Survey


class SurveyTable(tables.Table):
    title = tables.Column(verbose_name=_("测评名称"), linkify=True)
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    start = DateColumn(format="Y-m-d", verbose_name=_("开始日期"))
    end = DateColumn(format="Y-m-d", verbose_name=_("截止日期"))
    response_count = tables.Column(verbose_name=_("答卷数"))

    class Meta:
        model = Survey
        fields = ("title", "org", "start", "end", "response_count")
        attrs = {"class": "table card-table table-vcenter table-sm", "id": "survey-table"}
        empty_text = _("暂无满意度测评")

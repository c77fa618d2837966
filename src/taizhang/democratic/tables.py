"""Tables of the democratic app's lists (views select_relate what they show)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import LifeMeeting, Opinion, SelfExamination

ATTRS = {"class": "table card-table table-vcenter table-sm"}


class OpinionTable(tables.Table):
    text = tables.Column(verbose_name=_("意见内容"), linkify=True)
    channel = tables.Column(verbose_name=_("征求方式"))
    addressee = tables.Column(verbose_name=_("针对"), accessor="addressed_to", orderable=False)
    date = tables.DateColumn(format="Y-m-d", verbose_name=_("征求日期"))
    answered_on = tables.DateColumn(format="Y-m-d", verbose_name=_("反馈日期"))

    class Meta:
        model = Opinion
        fields = ("text", "channel", "addressee", "date", "answered_on")
        attrs = {**ATTRS, "id": "opinion-table"}
        empty_text = _("暂无征求意见记录")

    def render_text(self, value):
        return value[:60]


class SelfExaminationTable(tables.Table):
    title = tables.Column(verbose_name=_("标题"), linkify=True)
    year = tables.Column(verbose_name=_("年度"))
    whose = tables.Column(verbose_name=_("对象"), orderable=False)
    status = tables.Column(verbose_name=_("状态"))
    approved_on = tables.DateColumn(format="Y-m-d", verbose_name=_("审核通过日期"))

    class Meta:
        model = SelfExamination
        fields = ("title", "year", "whose", "status", "approved_on")
        attrs = {**ATTRS, "id": "exam-table"}
        empty_text = _("暂无对照检查材料")


class LifeMeetingTable(tables.Table):
    title = tables.Column(verbose_name=_("会议主题"), linkify=True)
    year = tables.Column(verbose_name=_("年度"))
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    date = tables.DateColumn(format="Y-m-d", verbose_name=_("召开日期"))
    reported_on = tables.DateColumn(format="Y-m-d", verbose_name=_("报告和记录报送日期"))

    class Meta:
        model = LifeMeeting
        fields = ("title", "year", "org", "date", "reported_on")
        attrs = {**ATTRS, "id": "life-meeting-table"}
        empty_text = _("暂无民主生活会记录")

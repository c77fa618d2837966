"""The reading-list table."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from .models import Reading


class ReadingTable(tables.Table):
    order = tables.Column(verbose_name=_("序号"))
    title = tables.Column(verbose_name=_("书目/篇目"))
    note = tables.Column(verbose_name=_("说明"))
    campaign = tables.Column(verbose_name=_("主题教育"))
    org = tables.Column(verbose_name=_("设置单位"))
    edit = tables.TemplateColumn(
        '{% load i18n %}<a href="{% url \'records:reading_edit\' record.pk %}">{% translate "编辑" %}</a>',
        verbose_name="", orderable=False)

    class Meta:
        model = Reading
        fields = ("order", "title", "note", "campaign", "org")
        attrs = {"class": "table card-table table-vcenter table-sm"}
        empty_text = _("暂无学习书目")

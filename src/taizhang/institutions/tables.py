"""Tables of the 建章立制 register and the typical cases list (views select_relate org)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import Institution, TypicalCase

ATTRS = {"class": "table card-table table-vcenter table-sm"}


class InstitutionTable(tables.Table):
    name = tables.Column(verbose_name=_("制度名称"), linkify=True)
    action = tables.Column(verbose_name=_("类型"))
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    date = DateColumn(format="Y-m-d", verbose_name=_("印发日期"))
    doc_number = tables.Column(verbose_name=_("文号"))
    n_problems = tables.Column(verbose_name=_("针对问题数"), orderable=False)

    class Meta:
        model = Institution
        fields = ("name", "action", "org", "date", "doc_number", "n_problems")
        attrs = {**ATTRS, "id": "institution-table"}
        empty_text = _("暂无建章立制记录")


class TypicalCaseTable(tables.Table):
    title = tables.Column(verbose_name=_("标题"), linkify=True)
    kind = tables.Column(verbose_name=_("类别"))
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    date = DateColumn(format="Y-m-d", verbose_name=_("总结日期"))
    institution = tables.Column(verbose_name=_("固化为制度"), orderable=False)

    class Meta:
        model = TypicalCase
        fields = ("title", "kind", "org", "date", "institution")
        attrs = {**ATTRS, "id": "case-table"}
        empty_text = _("暂无典型案例或经验做法")

"""django-tables2 table of the role models list (the view select_relates org and member)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import RoleModel


class RoleModelTable(tables.Table):
    name = tables.Column(verbose_name=_("名称"), accessor="pk", linkify=True, order_by=("member__name", "collective"))
    kind = tables.Column(verbose_name=_("类别"))
    title = tables.Column(verbose_name=_("推荐称号"))
    org = tables.Column(verbose_name=_("推荐组织"), order_by=("org__path",))
    nominated_on = DateColumn(format="Y-m-d", verbose_name=_("推荐日期"))
    status = tables.Column(verbose_name=_("状态"))
    publicity_end = DateColumn(format="Y-m-d", verbose_name=_("公示结束"))

    class Meta:
        model = RoleModel
        fields = ("name", "kind", "title", "org", "nominated_on", "status", "publicity_end")
        attrs = {"class": "table card-table table-vcenter table-sm", "id": "rolemodel-table"}
        empty_text = _("暂无先进典型")

    def render_name(self, record):
        return record.name

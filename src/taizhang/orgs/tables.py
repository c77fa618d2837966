"""django-tables2 tables of the orgs app."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import Member
from .services import position_labels


class MemberTable(tables.Table):
    """The roster list: phone numbers masked, posts from the ``current_positions`` prefetch."""

    name = tables.Column(linkify=True, verbose_name=_("姓名"), order_by=("name",))
    gender = tables.Column(verbose_name=_("性别"))
    org = tables.Column(verbose_name=_("所在支部"), order_by=("org__path", "name"))
    group = tables.Column(verbose_name=_("党小组"), order_by=("group__path", "name"))
    status = tables.Column(verbose_name=_("党员类型"))
    joined_on = DateColumn(format="Y-m-d", verbose_name=_("入党时间"))
    positions = tables.Column(empty_values=(), orderable=False, verbose_name=_("职务"))
    phone = tables.Column(accessor="masked_phone", orderable=False, verbose_name=_("联系电话"))

    class Meta:
        model = Member
        fields = ("name", "gender", "org", "group", "status", "joined_on", "positions", "phone")
        attrs = {"class": "table card-table table-vcenter table-sm"}
        empty_text = _("暂无党员")

    def render_positions(self, record):
        return position_labels(record) or "—"

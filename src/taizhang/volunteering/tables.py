"""django-tables2 tables of the three lists (the views select_related the org and member
and annotate an activity's participant count, so each list renders in constant queries)."""

import django_tables2 as tables
from django.utils.translation import gettext_lazy as _

from taizhang.core.tables import DateColumn

from .models import CommunityRegistration, ModelPost, VolunteerActivity

ATTRS = {"class": "table card-table table-vcenter table-sm"}


class ModelPostTable(tables.Table):
    name = tables.Column(verbose_name=_("示范岗名称"), linkify=True)
    member = tables.Column(verbose_name=_("岗位党员"), order_by=("member__name",), accessor="member__name")
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    start = DateColumn(format="Y-m-d", verbose_name=_("设岗日期"))
    end = DateColumn(format="Y-m-d", verbose_name=_("截止日期"))

    class Meta:
        model = ModelPost
        fields = ("name", "member", "org", "start", "end")
        attrs = {**ATTRS, "id": "modelpost-table"}
        empty_text = _("暂无党员示范岗")


class VolunteerActivityTable(tables.Table):
    date = DateColumn(format="Y-m-d", verbose_name=_("活动日期"), linkify=True)
    team = tables.Column(verbose_name=_("志愿服务队"), linkify=True)
    place = tables.Column(verbose_name=_("地点或社区"))
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    people = tables.Column(verbose_name=_("参加人数"), accessor="participant_count")
    hours = tables.Column(verbose_name=_("每人时长（小时）"))

    class Meta:
        model = VolunteerActivity
        fields = ("date", "team", "place", "org", "people", "hours")
        attrs = {**ATTRS, "id": "volunteeractivity-table"}
        empty_text = _("暂无志愿服务活动")


class CommunityRegistrationTable(tables.Table):
    member = tables.Column(verbose_name=_("党员"), order_by=("member__name",), accessor="member__name",
                           linkify=lambda record: record.get_absolute_url())
    org = tables.Column(verbose_name=_("组织"), order_by=("org__path",))
    community = tables.Column(verbose_name=_("报到社区"))
    registered_on = DateColumn(format="Y-m-d", verbose_name=_("报到日期"))

    class Meta:
        model = CommunityRegistration
        fields = ("member", "org", "community", "registered_on")
        attrs = {**ATTRS, "id": "communityregistration-table"}
        empty_text = _("暂无进社区报到记录")

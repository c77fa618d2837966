"""Filters of the surveys list (page, Excel, API)."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign

from .models import Survey


def visible_orgs(request):
    return Organization.objects.visible_to(request.user) if request else Organization.objects.none()


def visible_campaigns(request):
    return Campaign.objects.visible_to(request.user) if request else Campaign.objects.none()


class SurveyFilterSet(django_filters.FilterSet):
    """``?org=`` (subtree), ``?campaign=``, ``?start=``/``?end=`` (start date), ``?q=`` (title)."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    campaign = django_filters.ModelChoiceFilter(queryset=visible_campaigns, label=_("主题教育"))
    start = django_filters.DateFilter(field_name="start", lookup_expr="gte", label=_("起始日期"))
    end = django_filters.DateFilter(field_name="start", lookup_expr="lte", label=_("截止日期"))
    q = django_filters.CharFilter(field_name="title", lookup_expr="icontains", label=_("测评名称"))

    class Meta:
        model = Survey
        fields = ["org", "campaign", "start", "end", "q"]

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

"""Filters of the 建章立制 register and the typical cases list (pages, Excel, API)."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign

from .models import CaseKind, Institution, InstitutionAction, TypicalCase


def visible_orgs(request):
    return Organization.objects.visible_to(request.user) if request else Organization.objects.none()


def visible_campaigns(request):
    return Campaign.objects.visible_to(request.user) if request else Campaign.objects.none()


class _Base(django_filters.FilterSet):
    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    campaign = django_filters.ModelChoiceFilter(queryset=visible_campaigns, label=_("主题教育"))
    start = django_filters.DateFilter(field_name="date", lookup_expr="gte", label=_("起始日期"))
    end = django_filters.DateFilter(field_name="date", lookup_expr="lte", label=_("截止日期"))

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset


class InstitutionFilterSet(_Base):
    """``?org=`` (subtree), ``?campaign=``, ``?action=``, ``?start=``/``?end=``, ``?q=``."""

    action = django_filters.ChoiceFilter(choices=InstitutionAction.choices, label=_("类型"), empty_label=_("全部"))
    q = django_filters.CharFilter(method="search", label=_("名称或内容"))

    class Meta:
        model = Institution
        fields = ["org", "campaign", "action", "start", "end", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(name__icontains=value) | Q(summary__icontains=value)) if value else queryset


class TypicalCaseFilterSet(_Base):
    """``?org=`` (subtree), ``?campaign=``, ``?kind=``, ``?start=``/``?end=``, ``?q=``."""

    kind = django_filters.ChoiceFilter(choices=CaseKind.choices, label=_("类别"), empty_label=_("全部"))
    q = django_filters.CharFilter(method="search", label=_("标题或内容"))

    class Meta:
        model = TypicalCase
        fields = ["org", "campaign", "kind", "start", "end", "q"]

    def search(self, queryset, name, value):
        return queryset.filter(Q(title__icontains=value) | Q(summary__icontains=value)) if value else queryset

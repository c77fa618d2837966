"""Filters of the role models list (page, Excel export and API): organization subtree,
campaign, status, kind, name."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import Organization
from taizhang.plans.models import Campaign

from .models import NomineeKind, RoleModel, RoleModelStatus


def visible_orgs(request):
    return Organization.objects.visible_to(request.user) if request else Organization.objects.none()


def visible_campaigns(request):
    return Campaign.objects.visible_to(request.user) if request else Campaign.objects.none()


class RoleModelFilterSet(django_filters.FilterSet):
    """``?org=`` (subtree), ``?campaign=``, ``?status=``, ``?kind=``, ``?q=`` (name or deeds)."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    campaign = django_filters.ModelChoiceFilter(queryset=visible_campaigns, label=_("主题教育"))
    status = django_filters.ChoiceFilter(choices=RoleModelStatus.choices, label=_("状态"), empty_label=_("全部"))
    kind = django_filters.ChoiceFilter(choices=NomineeKind.choices, label=_("类别"), empty_label=_("全部"))
    q = django_filters.CharFilter(method="search", label=_("名称或事迹"))

    class Meta:
        model = RoleModel
        fields = ["org", "campaign", "status", "kind", "q"]

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

    def search(self, queryset, name, value):
        return queryset.filter(Q(member__name__icontains=value) | Q(collective__icontains=value)
                               | Q(deeds__icontains=value)) if value else queryset

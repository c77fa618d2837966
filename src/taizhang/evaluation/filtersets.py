"""Filters of the 民主评议 list (one FilterSet for the page, the Excel ledger and the API):
organization subtree, year, grade, member name. Organization choices are limited to what
the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import Organization

from .models import Appraisal, Grade


def visible_orgs(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user)


class AppraisalFilterSet(django_filters.FilterSet):
    """``?org=`` (its whole subtree), ``?year=``, ``?grade=``, ``?q=`` (member name contains)."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    year = django_filters.NumberFilter(label=_("年度"))
    grade = django_filters.ChoiceFilter(choices=Grade.choices, label=_("评议等次"), empty_label=_("全部"))
    q = django_filters.CharFilter(field_name="member__name", lookup_expr="icontains", label=_("姓名"))

    class Meta:
        model = Appraisal
        fields = ["org", "year", "grade", "q"]

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

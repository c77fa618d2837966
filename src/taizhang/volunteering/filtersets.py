"""Filters of the three lists (one FilterSet per kind for the page, its Excel ledger, the
hours ledger and the API): organization subtree, date range, text search. Organization
choices are limited to what the user may see."""

from __future__ import annotations

import django_filters
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import Organization

from .models import CommunityRegistration, ModelPost, VolunteerActivity


def visible_orgs(request):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user)


def _range(field, label):
    return django_filters.DateFromToRangeFilter(
        field_name=field, label=label, widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))


class VolunteeringFilterSet(django_filters.FilterSet):
    """``?org=`` (its whole subtree), ``?<date>_after=&<date>_before=`` (YYYY-MM-DD), ``?q=``
    searched in ``search_fields``."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    search_fields: tuple[str, ...] = ()

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        q = Q()
        for field in self.search_fields:
            q |= Q(**{f"{field}__icontains": value})
        return queryset.filter(q)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for field in self.form.fields.values():
            widget = field.widget
            if hasattr(widget, "widgets"):
                for sub in widget.widgets:
                    sub.attrs.setdefault("class", "form-control form-control-sm")
                    sub.input_type = "date"
            elif hasattr(widget, "choices"):
                widget.attrs.setdefault("class", "form-select form-select-sm")
            else:
                widget.attrs.setdefault("class", "form-control form-control-sm")


class ModelPostFilterSet(VolunteeringFilterSet):
    start = _range("start", _("设岗日期"))
    search_fields = ("name", "member__name", "commitment")

    class Meta:
        model = ModelPost
        fields = ["org", "start", "q"]


class VolunteerActivityFilterSet(VolunteeringFilterSet):
    date = _range("date", _("活动日期"))
    search_fields = ("team", "place", "content")

    class Meta:
        model = VolunteerActivity
        fields = ["org", "date", "q"]


class CommunityRegistrationFilterSet(VolunteeringFilterSet):
    registered_on = _range("registered_on", _("报到日期"))
    search_fields = ("member__name", "community", "commitment")

    class Meta:
        model = CommunityRegistration
        fields = ["org", "registered_on", "q"]

"""Filters of the three lists (one FilterSet per kind for the page, its Excel ledger, the
hours ledger and the API): organization subtree, date range, text search. Organization
choices are limited to what the user may see."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgScopedFilterSet

from .models import CommunityRegistration, ModelPost, VolunteerActivity


def _range(field, label):
    return django_filters.DateFromToRangeFilter(
        field_name=field, label=label, widget=django_filters.widgets.DateRangeWidget(attrs={"type": "date"}))


VolunteeringFilterSet = OrgScopedFilterSet  # org subtree and ?q= (``orgs.filtersets``)


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

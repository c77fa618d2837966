"""Filters of the democratic app's lists (pages, Excel, API): organization subtree, text, year."""

from __future__ import annotations

import django_filters
from django.utils.translation import gettext_lazy as _

from taizhang.orgs.filtersets import OrgScopedFilterSet

from .models import ExamStatus, LifeMeeting, Opinion, OpinionChannel, SelfExamination


class _Base(OrgScopedFilterSet):
    year = django_filters.NumberFilter(label=_("年度"))


class OpinionFilterSet(_Base):
    """``?org=`` (subtree), ``?year=``, ``?channel=``, ``?q=`` (text, giver, answer)."""

    channel = django_filters.ChoiceFilter(choices=OpinionChannel.choices, label=_("征求方式"), empty_label=_("全部"))
    search_fields = ("text", "giver", "answer")

    class Meta:
        model = Opinion
        fields = ["org", "year", "channel", "q"]


class SelfExaminationFilterSet(_Base):
    """``?org=`` (subtree), ``?year=``, ``?status=``, ``?q=`` (title, content)."""

    status = django_filters.ChoiceFilter(choices=ExamStatus.choices, label=_("状态"), empty_label=_("全部"))
    search_fields = ("title", "content")

    class Meta:
        model = SelfExamination
        fields = ["org", "year", "status", "q"]


class LifeMeetingFilterSet(_Base):
    """``?org=`` (subtree), ``?year=``, ``?q=`` (theme, summary, observers)."""

    search_fields = ("title", "summary", "observers")

    class Meta:
        model = LifeMeeting
        fields = ["org", "year", "q"]

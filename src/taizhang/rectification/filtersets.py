"""The ledger's filters (one FilterSet for the page, the exports and the API): organization
subtree, source, status, responsible leader, colour (overdue / amber / …), found-on period and
the rolling views "added this month" / "closed this month" (issue 4 §3)."""

from __future__ import annotations

import django_filters
from django import forms
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from taizhang.core.widgets import QuickSelect
from taizhang.orgs.filtersets import OrgChoiceFilter
from taizhang.orgs.models import LeadershipMember, Organization

from .forms import LeaderChoiceField
from .ledger import amber_q, overdue_q, watch_q
from .models import ACTIVE_STATUSES, Problem, ProblemSource, Rectification, RectificationStatus

DUE_CHOICES = [("overdue", _("已超期")), ("amber", _("3个工作日内到期")), ("green", _("正常")),
               ("none", _("未设时限")), ("watch", _("长期坚持跟踪"))]
ROLLING_CHOICES = [("new", _("本月新增")), ("closed", _("本月销号"))]


def _orgs(request):
    return Organization.objects.visible_to(request.user) if request else Organization.objects.none()


def _leaders(request):
    if request is None:
        return LeadershipMember.objects.none()
    return LeadershipMember.objects.visible_to(request.user).select_related("member")


def quick_selects(form) -> None:
    """Render ``form``'s plain ``<select>`` elements in Python (``core.widgets.QuickSelect``): the
    organization filter of a province's staff lists 30,000 organizations, whose per-option
    templates took 8 s of the ledger (issue 14)."""
    for field in form.fields.values():
        if type(field.widget) is forms.Select:
            field.widget = QuickSelect(attrs=field.widget.attrs, choices=field.widget.choices)


class LeaderFilter(django_filters.ModelChoiceFilter):
    field_class = LeaderChoiceField


class LedgerFilterSet(django_filters.FilterSet):
    """Filters of the ledger (measures)."""

    q = django_filters.CharFilter(method="search", label=_("关键词"))
    org = OrgChoiceFilter(queryset=_orgs, method="in_subtree", label=_("组织"))
    source = django_filters.ModelChoiceFilter(field_name="problem__source", label=_("问题来源"),
                                              queryset=ProblemSource.objects.all())
    status = django_filters.ChoiceFilter(choices=RectificationStatus.choices, label=_("状态"),
                                         empty_label=_("全部"))
    leader = LeaderFilter(queryset=_leaders, label=_("责任领导"))
    due = django_filters.ChoiceFilter(choices=DUE_CHOICES, method="by_due", label=_("时限"),
                                      empty_label=_("全部"))
    found_after = django_filters.DateFilter(field_name="problem__found_on", lookup_expr="gte",
                                            label=_("发现日期起"))
    found_before = django_filters.DateFilter(field_name="problem__found_on", lookup_expr="lte",
                                             label=_("发现日期止"))
    rolling = django_filters.ChoiceFilter(choices=ROLLING_CHOICES, method="by_rolling",
                                          label=_("滚动"), empty_label=_("全部"))

    class Meta:
        model = Rectification
        fields = ["q", "org", "source", "status", "leader", "due", "found_after", "found_before", "rolling"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quick_selects(self.form)
        for field in self.form.fields.values():
            css = "form-select" if hasattr(field, "choices") else "form-control"
            field.widget.attrs.setdefault("class", f"{css} form-select-sm form-control-sm")
            if field.__class__.__name__ == "DateField":
                field.widget.input_type = "date"

    def search(self, queryset, name, value):
        value = value.strip()
        if not value:
            return queryset
        return queryset.filter(Q(problem__description__contains=value) | Q(measure__contains=value))

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

    def by_due(self, queryset, name, value):
        today = timezone.localdate()
        if value == "overdue":
            return queryset.filter(overdue_q(today))
        if value == "amber":
            return queryset.filter(amber_q(today))
        if value == "green":
            return queryset.filter(status__in=ACTIVE_STATUSES, effective_due__isnull=False).exclude(
                overdue_q(today)).exclude(amber_q(today))
        if value == "none":
            return queryset.filter(status__in=ACTIVE_STATUSES, effective_due__isnull=True)
        if value == "watch":
            return queryset.filter(watch_q())
        return queryset

    def by_rolling(self, queryset, name, value):
        first = timezone.localdate().replace(day=1)
        if value == "new":
            start = timezone.make_aware(timezone.datetime.combine(first, timezone.datetime.min.time()))
            return queryset.filter(created_at__gte=start)
        if value == "closed":
            return queryset.filter(status=RectificationStatus.CLOSED, closed_on__gte=first)
        return queryset


class ProblemFilterSet(django_filters.FilterSet):
    """Filters of the problem list."""

    q = django_filters.CharFilter(field_name="description", lookup_expr="contains", label=_("关键词"))
    org = OrgChoiceFilter(queryset=_orgs, method="in_subtree", label=_("组织"))
    source = django_filters.ModelChoiceFilter(queryset=ProblemSource.objects.all(), label=_("问题来源"))

    class Meta:
        model = Problem
        fields = ["q", "org", "source", "level"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        quick_selects(self.form)

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

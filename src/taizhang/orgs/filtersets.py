"""The member list's filters (one FilterSet for the page and the export): branch, group,
status, name search. Choices are limited to organizations the user may see."""

import django_filters
from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.core.widgets import ChooserSelect

from .models import Member, MemberStatus, Organization, OrgKind


class OrgChoiceField(forms.ModelChoiceField):
    """Shows "name（code）" so that same-named groups of different branches differ.

    Rendered by ``core.widgets.ChooserSelect``: a select of every organization in scope up
    to ``settings.TAIZHANG_CHOOSER_THRESHOLD`` of them, above that a search box over
    ``orgs:choose`` (the same scope, limited to ``kinds`` when given: a list of ``OrgKind``
    values) and only the chosen organization in the page (issue 14: 1,500 options made a
    city's list pages 130 KB). ``label_fields``: what :meth:`label_from_instance` reads (the
    widget loads only these)."""

    label_fields = ("name", "code")

    def __init__(self, *args, kinds=None, **kwargs):
        kwargs.setdefault("widget", ChooserSelect(
            source_url="orgs:choose", params={"kind": list(kinds)} if kinds else None))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return f"{obj.name}（{obj.code}）"

    def to_python(self, value):
        obj = super().to_python(value)
        self.widget.selected = obj  # shown by the widget without fetching it again
        return obj


class OrgChoiceFilter(django_filters.ModelChoiceFilter):
    """An organization filter (``OrgChoiceField``); ``kinds=[OrgKind…]`` narrows the search
    box's answers to the kinds the queryset holds."""

    field_class = OrgChoiceField


def visible_orgs(request):
    """Organizations ``request``'s user may see (none without a request)."""
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user)


class OrgScopedFilterSet(django_filters.FilterSet):
    """Base of the record lists' filters: ``?org=`` (that organization's whole subtree, by the
    model's ``scope_org_field``; choices limited to what the user may see) and ``?q=`` searched
    in ``search_fields`` (case-insensitive, any of them); Tabler's small form classes."""

    org = OrgChoiceFilter(queryset=visible_orgs, method="in_subtree", label=_("组织"))
    q = django_filters.CharFilter(method="search", label=_("关键词"))
    search_fields: tuple[str, ...] = ()

    def in_subtree(self, queryset, name, value):
        field = queryset.model.scope_org_field
        return queryset.filter(**{f"{field}__path__startswith": value.path}) if value else queryset

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


def _visible(request, kinds):
    if request is None:
        return Organization.objects.none()
    return Organization.objects.visible_to(request.user).filter(kind__in=kinds)


def visible_branches(request):
    return _visible(request, [OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])


def visible_groups(request):
    return _visible(request, [OrgKind.GROUP])


class MemberFilterSet(django_filters.FilterSet):
    """``?q=`` name contains, ``?org=`` branch (its whole subtree), ``?group=``, ``?status=``."""

    q = django_filters.CharFilter(method="search", label=_("姓名"))
    org = OrgChoiceFilter(queryset=visible_branches, method="in_subtree", label=_("所在支部"),
                          kinds=[OrgKind.GENERAL_BRANCH, OrgKind.BRANCH])
    group = OrgChoiceFilter(queryset=visible_groups, label=_("党小组"), kinds=[OrgKind.GROUP])
    status = django_filters.ChoiceFilter(choices=MemberStatus.choices, label=_("党员类型"),
                                         empty_label=_("全部"))

    class Meta:
        model = Member
        fields = ["q", "org", "group", "status"]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in ("org", "group", "status"):
            self.form.fields[name].widget.attrs.setdefault("class", "form-select")

    def search(self, queryset, name, value):
        value = "".join(value.split())
        return queryset.filter(name__contains=value) if value else queryset

    def in_subtree(self, queryset, name, value):
        return queryset.filter(org__path__startswith=value.path) if value else queryset

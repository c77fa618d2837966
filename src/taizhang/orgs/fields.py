"""Form fields choosing organizations and members that stay small at any scale (issue 14).

Every form of every app that picks an organization or a member uses these fields, so that
a city's committee office opening a new meeting does not get 1,500 organizations and two
selects of 20,000 members (at a tenth of the city the new-meeting page was 229 KiB with
4,170 options). Each renders through ``core.widgets.ChooserSelect`` (or its multiple
variant): up to ``settings.TAIZHANG_CHOOSER_THRESHOLD`` choices (200) a plain select of
them all; above it a search box over ``orgs:choose`` / ``orgs:choose_members`` and only
the chosen rows in the page. The endpoints scope their answers like the fields: ``action``
(view, change, …) for organizations, and for members the visible members plus the leaders
of visible leadership teams (:func:`pickable_members`), narrowed to an ``action``'s
organizations when given. The field's own queryset still decides what is valid.
"""

from __future__ import annotations

from django import forms
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from taizhang.core.scoping import CHANGE, MANAGE, REVIEW, VIEW
from taizhang.core.widgets import ChooserSelect, ChooserSelectMultiple

from .models import LeadershipMember, Member, Organization, OrgKind

ACTIONS = (VIEW, CHANGE, REVIEW, MANAGE)
ORG_LABELS = ("code", "kind")


def org_label(org: Organization, show: str = "code") -> str:
    """"name（code）" (``show="code"``: same-named groups of different branches differ) or
    "name（kind）" (``show="kind"``: the record forms), where a Party group also shows its
    code ("第一党小组（党小组，ZB04-1）": every branch has a 第一党小组)."""
    if show != "kind":
        return f"{org.name}（{org.code}）"
    if org.kind == OrgKind.GROUP:
        return f"{org.name}（{org.get_kind_display()}，{org.code}）"
    return f"{org.name}（{org.get_kind_display()}）"


MEMBER_LABELS = ("org", "status")


def member_label(member: Member, show: str = "org") -> str:
    """"name（branch name）", or with ``show="status"`` "name（branch name，status）" (an
    appraisal: a 预备党员 is not graded 优秀). The member's ``org`` must be loaded."""
    if show == "status":
        return f"{member.name}（{member.org.name}，{member.get_status_display()}）"
    return f"{member.name}（{member.org.name}）"


def pickable_members(user, action: str | None = None):
    """Active members ``user`` may pick for a record's person fields: the members ``user``
    may see plus the leaders of leadership teams ``user`` may see (a committee's leader
    chairs a branch meeting), in tree order, with their branch loaded. With ``action``
    (e.g. ``CHANGE``) only the members of organizations where ``user`` may do it."""
    if action and action != VIEW:
        scope = Q(org__in=Organization.objects.restrict(user, action))
    else:
        leaders = LeadershipMember.objects.visible_to(user).values("member_id")
        scope = Q(pk__in=Member.objects.visible_to(user).values("pk")) | Q(pk__in=leaders)
    return (Member.objects.filter(scope).filter(is_active=True)
            .select_related("org").order_by("org__path", "name", "pk"))


def _params(**values) -> dict | None:
    params = {k: v for k, v in values.items() if v}
    return params or None


class OrgChoiceField(forms.ModelChoiceField):
    """One organization, labelled by :func:`org_label` (``show``). ``kinds`` (``OrgKind``
    values) and ``action`` narrow the search box's answers like the queryset is narrowed
    (the queryset is given by the form: it alone validates)."""

    def __init__(self, *args, kinds=None, action: str | None = None, show: str = "code", **kwargs):
        self.show = show
        # what label_from_instance reads: the widget loads only these (issue 14)
        self.label_fields = ("name", "kind", "code")
        kwargs.setdefault("widget", ChooserSelect(source_url="orgs:choose", params=_params(
            kind=list(kinds or ()), action=action if action != VIEW else None,
            show=show if show != "code" else None)))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return org_label(obj, self.show)

    def to_python(self, value):
        obj = super().to_python(value)
        self.widget.selected = obj  # shown by the widget without fetching it again
        return obj


class MemberChoiceField(forms.ModelChoiceField):
    """One member, labelled by :func:`member_label` (``show``); the search box asks
    ``orgs:choose_members`` (``action`` narrows it like :func:`pickable_members`). The
    queryset must load ``org``."""

    def __init__(self, *args, action: str | None = None, show: str = "org", **kwargs):
        self.show = show
        kwargs.setdefault("widget", ChooserSelect(source_url="orgs:choose_members", params=_params(
            action=action if action != VIEW else None, show=show if show != "org" else None),
            placeholder=_("输入姓名查找")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return member_label(obj, self.show)

    def to_python(self, value):
        obj = super().to_python(value)
        self.widget.selected = obj
        return obj


class MembersChoiceField(forms.ModelMultipleChoiceField):
    """Several members (a multi-select), labelled like :class:`MemberChoiceField`; above the
    threshold the page carries only the chosen ones and the search adds matches beside
    them (the chosen ones are sent along and kept)."""

    def __init__(self, *args, action: str | None = None, **kwargs):
        kwargs.setdefault("widget", ChooserSelectMultiple(
            source_url="orgs:choose_members", params=_params(action=action if action != VIEW else None),
            placeholder=_("输入姓名查找")))
        super().__init__(*args, **kwargs)

    def label_from_instance(self, obj):
        return member_label(obj)

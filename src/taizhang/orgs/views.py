"""Pages of the organization tree, members and the leadership team, scoped to the user's
subtrees (``visible_to``): anything outside them is a 404. Roster import/export pages are in
:mod:`.views_roster`."""

from django.db.models import Case, Func, OuterRef, Prefetch, Subquery, When
from django.db.models.functions import Coalesce
from django.views.generic import DetailView, ListView
from django_filters.views import FilterView
from django_tables2 import SingleTableMixin

from taizhang.core.scoping import MANAGE, VIEW, can
from taizhang.core.views_mixins import ScopedQuerysetMixin

from . import posts
from .filtersets import MemberFilterSet
from .models import LeadershipMember, LeadershipTeam, Member, Organization, OrgKind
from .services import roster_queryset
from .tables import MemberTable


def with_member_counts(organizations):
    """``organizations`` annotated with ``member_count``: the active members of a branch (its
    ``org``), or of a 党小组 (its ``group``: a group's members belong to its branch too). Two
    correlated subqueries, so the count is right whatever the kind and adds no query."""
    active = Member.objects.filter(is_active=True).order_by().values("is_active")
    by_org = active.filter(org=OuterRef("pk")).annotate(n=Func("pk", function="COUNT")).values("n")
    by_group = active.filter(group=OuterRef("pk")).annotate(n=Func("pk", function="COUNT")).values("n")
    return organizations.annotate(member_count=Case(
        When(kind=OrgKind.GROUP, then=Coalesce(Subquery(by_group), 0)),
        default=Coalesce(Subquery(by_org), 0)))


class OrganizationListView(ScopedQuerysetMixin, ListView):
    """The visible part of the organization tree, in tree order, with member counts."""

    model = Organization
    template_name = "orgs/organization_list.html"
    context_object_name = "organizations"

    def get_queryset(self):
        return with_member_counts(super().get_queryset())

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_import"] = Organization.objects.restrict(self.request.user, MANAGE).exists()
        return ctx


class OrganizationDetailView(ScopedQuerysetMixin, DetailView):
    """One organization: sub-organizations, posts, members (of a branch or group) and history."""

    model = Organization
    template_name = "orgs/organization_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        user = self.request.user
        children = with_member_counts(Organization.objects.get_children(org))
        if org.kind == OrgKind.GROUP:
            members = roster_queryset(user).filter(group=org)
        else:
            members = roster_queryset(user).filter(org=org)
        ctx.update(
            children=children,
            members=members,
            subtree_count=Member.objects.visible_to(user).filter(
                is_active=True, org__path__startswith=org.path).count(),
            positions=posts.current_positions(org),
            team=LeadershipTeam.objects.filter(org=org).first(),
            contact_leaders=LeadershipMember.objects.filter(contact_branches=org)
            .select_related("member", "team"),
            can_manage=can(user, MANAGE, org),
        )
        return ctx


class MemberListView(ScopedQuerysetMixin, SingleTableMixin, FilterView):
    """The roster: filter by branch, group, status, name; 50 a page; phones masked. A
    constant number of queries whatever the number of members."""

    model = Member
    table_class = MemberTable
    filterset_class = MemberFilterSet
    template_name = "orgs/member_list.html"
    paginate_by = 50

    def get_queryset(self):
        return (
            super().get_queryset().filter(is_active=True).select_related("org", "group")
            .prefetch_related(posts.current_positions_prefetch())
            .order_by("org__path", "group__path", "name", "pk")
        )

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["can_import"] = Organization.objects.restrict(self.request.user, MANAGE).exists()
        ctx["querystring"] = self.request.GET.urlencode()
        return ctx


class MemberDetailView(ScopedQuerysetMixin, DetailView):
    """One member: personal data (phone masked), posts past and present, leadership-team
    role with contact branches, and the audit history."""

    model = Member
    template_name = "orgs/member_detail.html"

    def get_queryset(self):
        return super().get_queryset().select_related("org", "group")

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        ctx["positions"] = self.object.positions.select_related("org").order_by(
            "-ended_on", "org__path", "role")
        ctx["leadership"] = LeadershipMember.objects.filter(member=self.object).select_related(
            "team").prefetch_related("contact_branches")
        return ctx


class LeadershipView(ScopedQuerysetMixin, ListView):
    """The committee leadership teams the user may see: leaders in order, titles, contact
    branches (联系支部)."""

    model = LeadershipTeam
    template_name = "orgs/leadership.html"
    context_object_name = "teams"

    def get_queryset(self):
        # A branch reads its committee's team, but only the contact branches it may see.
        visible_branches = Organization.objects.visible_to(self.request.user)
        leaders = LeadershipMember.objects.select_related("member", "member__org").prefetch_related(
            Prefetch("contact_branches", queryset=visible_branches)).order_by("order")
        return super().get_queryset().select_related("org").prefetch_related(
            Prefetch("members", queryset=leaders))

    def get_context_data(self, **kwargs):
        """Mark what the reader may open (``org_open``, ``member_open``): a branch reads its
        committee's team but not the committee's page or other branches' members, and gets
        no link that would answer 404. No query (the scope paths are cached)."""
        ctx = super().get_context_data(**kwargs)
        user = self.request.user
        for team in ctx["teams"]:
            team.org_open = can(user, VIEW, team.org)
            for leader in team.members.all():
                leader.member_open = can(user, VIEW, leader.member.org)
        return ctx

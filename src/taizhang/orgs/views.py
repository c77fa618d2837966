"""Pages of the organization tree and the member roster, scoped to the user's subtrees."""

from django.views.generic import DetailView, ListView

from taizhang.core.views_mixins import ScopedQuerysetMixin

from .models import Member, Organization


class OrganizationListView(ScopedQuerysetMixin, ListView):
    """The visible part of the organization tree, in tree order."""

    model = Organization
    template_name = "orgs/organization_list.html"
    context_object_name = "organizations"


class OrganizationDetailView(ScopedQuerysetMixin, DetailView):
    """One organization: its sub-organizations, members and history."""

    model = Organization
    template_name = "orgs/organization_detail.html"

    def get_context_data(self, **kwargs):
        ctx = super().get_context_data(**kwargs)
        org = self.object
        ctx["children"] = org.get_children()
        ctx["members"] = Member.objects.filter(org=org).select_related("group")
        return ctx


class MemberListView(ScopedQuerysetMixin, ListView):
    """The roster of members the user may see, with masked phone numbers."""

    model = Member
    template_name = "orgs/member_list.html"
    context_object_name = "members"
    paginate_by = 50

    def get_queryset(self):
        return super().get_queryset().select_related("org", "group")


class MemberDetailView(ScopedQuerysetMixin, DetailView):
    """One member with positions and history."""

    model = Member
    template_name = "orgs/member_detail.html"

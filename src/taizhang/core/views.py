"""Project-wide pages: the home page."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from taizhang.orgs.models import Organization, RoleAssignment
from taizhang.plans.models import Campaign


@login_required
def home(request):
    """The signed-in user's start page: their roles and the campaigns they can see."""
    roles = RoleAssignment.objects.filter(user=request.user).select_related("org")
    campaigns = Campaign.objects.visible_to(request.user).select_related("org")[:20]
    org_count = Organization.objects.visible_to(request.user).count()
    return render(
        request,
        "core/home.html",
        {"roles": roles, "campaigns": campaigns, "org_count": org_count},
    )

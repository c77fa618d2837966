from django.urls import path

from . import views, views_accounts, views_manage, views_posts, views_roster
from .views_choose import choose, choose_members

app_name = "orgs"
urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="organization_list"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="organization_detail"),
    path("<int:pk>/add/", views_manage.organization_add, name="organization_add"),
    path("<int:pk>/edit/", views_manage.organization_edit, name="organization_edit"),
    path("<int:pk>/roles/", views_manage.roles, name="roles"),
    path("<int:pk>/posts/", views_posts.org_posts, name="posts"),
    path("posts/<int:pk>/end/", views_posts.post_end, name="post_end"),
    path("roles/<int:pk>/revoke/", views_manage.role_revoke, name="role_revoke"),
    path("leadership/", views.LeadershipView.as_view(), name="leadership"),
    path("members/", views.MemberListView.as_view(), name="member_list"),
    path("members/<int:pk>/", views.MemberDetailView.as_view(), name="member_detail"),
    path("members/import/", views_roster.roster_import, name="roster_import"),
    path("members/import/confirm/", views_roster.roster_import_confirm, name="roster_import_confirm"),
    path("members/export/", views_roster.roster_export, name="roster_export"),
    path("members/accounts/", views_accounts.accounts_create, name="accounts_create"),
    path("password/", views_accounts.password_change, name="password_change"),
    path("choose/", choose, name="choose"),
    path("choose/members/", choose_members, name="choose_members"),
]

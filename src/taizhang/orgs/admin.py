"""Django admin for every orgs model (superusers set up the tree, posts, teams and roles)."""

from django.contrib import admin
from treebeard.admin import TreeAdmin
from treebeard.forms import movenodeform_factory

from .models import (
    LeadershipMember,
    LeadershipTeam,
    Member,
    Organization,
    Position,
    RoleAssignment,
)


@admin.register(Organization)
class OrganizationAdmin(TreeAdmin):
    form = movenodeform_factory(Organization)
    list_display = ("name", "code", "kind")
    list_filter = ("kind",)
    search_fields = ("name", "code")


class PositionInline(admin.TabularInline):
    model = Position
    extra = 0
    autocomplete_fields = ("org",)


@admin.register(Member)
class MemberAdmin(admin.ModelAdmin):
    list_display = ("name", "org", "group", "status", "gender", "joined_on", "masked_phone", "is_active")
    list_filter = ("status", "is_active", "gender", "org")
    search_fields = ("name",)
    list_select_related = ("org", "group")
    autocomplete_fields = ("org", "group", "user")
    inlines = [PositionInline]


@admin.register(Position)
class PositionAdmin(admin.ModelAdmin):
    list_display = ("member", "org", "role", "started_on", "ended_on")
    list_filter = ("role",)
    search_fields = ("member__name", "org__name")
    list_select_related = ("member", "org")
    autocomplete_fields = ("member", "org")


class LeadershipMemberInline(admin.TabularInline):
    model = LeadershipMember
    extra = 0
    autocomplete_fields = ("member",)
    filter_horizontal = ("contact_branches",)


@admin.register(LeadershipTeam)
class LeadershipTeamAdmin(admin.ModelAdmin):
    list_display = ("name", "org")
    inlines = [LeadershipMemberInline]


@admin.register(LeadershipMember)
class LeadershipMemberAdmin(admin.ModelAdmin):
    list_display = ("title", "member", "team", "order")
    list_select_related = ("member", "team")
    autocomplete_fields = ("member",)
    filter_horizontal = ("contact_branches",)


@admin.register(RoleAssignment)
class RoleAssignmentAdmin(admin.ModelAdmin):
    list_display = ("user", "org", "role")
    list_filter = ("role",)
    search_fields = ("user__username", "org__name")
    list_select_related = ("user", "org")
    autocomplete_fields = ("user", "org")

"""The committee office manages organizations and roles of its subtree in the product
(issue 12 §2), audited and scoped; /admin is the superuser's."""

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.orgs import manage
from taizhang.orgs.models import Organization, RoleAssignment

from .factories import MemberFactory, UserFactory, grant


def test_add_and_edit_organizations(tree, staff, secretary_a):
    committee, (a, _b) = tree["committee"], tree["branches"]
    branch = manage.add_organization(committee, {"name": "新支部", "kind": "branch"}, actor=staff)
    assert (branch.code, branch.kind, Organization.objects.get_parent(branch).pk) == ("ZB03", "branch", committee.pk)
    assert LogEntry.objects.get_for_object(branch).filter(actor=staff).count() == 1
    assert Event.objects.filter(verb="add_child", object_id=committee.pk).count() == 1
    group = manage.add_organization(branch, {"name": "一组", "kind": "group"}, actor=staff)
    assert group.code == "ZB03-1"
    with pytest.raises(ValidationError, match="之下不能设立此类组织"):
        manage.add_organization(group, {"name": "x", "kind": "branch"}, actor=staff)
    with pytest.raises(ValidationError, match="编码 ZB01 已被使用"):
        manage.add_organization(committee, {"name": "x", "kind": "branch", "code": "ZB01"}, actor=staff)
    with pytest.raises(PermissionDenied):
        manage.add_organization(a, {"name": "x", "kind": "group"}, actor=secretary_a)
    manage.update_organization(branch, actor=staff, name="新名称", committee_elected_on=None)
    assert Organization.objects.get(pk=branch.pk).name == "新名称"


def test_grant_and_revoke_roles_in_scope(tree, staff, secretary_a):
    a, b = tree["branches"]
    member_user = UserFactory(username="dy1")
    MemberFactory(org=a, user=member_user)
    outsider = UserFactory(username="outsider")  # neither member nor role holder here
    assignment = manage.grant_role(a, member_user, "branch_committee", actor=staff)
    assert Event.objects.filter(verb="grant_role", object_id=a.pk).get().comment == "dy1 支委"
    with pytest.raises(ValidationError, match="已有该角色"):
        manage.grant_role(a, member_user, "branch_committee", actor=staff)
    with pytest.raises(PermissionDenied):
        manage.grant_role(a, outsider, "member", actor=staff)
    with pytest.raises(PermissionDenied):  # a secretary manages nothing
        manage.grant_role(a, member_user, "committee_staff", actor=secretary_a)
    with pytest.raises(ValidationError, match="不能取消自己的角色"):
        manage.revoke_role(RoleAssignment.objects.get(user=staff), actor=staff)
    manage.revoke_role(assignment, actor=staff)
    assert not RoleAssignment.objects.filter(pk=assignment.pk).exists()


def test_pages_and_scope(client, tree, staff):
    a, b = tree["branches"]
    office_a = UserFactory(username="office_a")
    grant(office_a, a, "committee_staff")
    member_user = UserFactory(username="dy2", first_name="王五")
    MemberFactory(org=a, user=member_user)
    client.force_login(office_a)
    url = reverse("orgs:roles", args=[a.pk])
    assert "王五 (dy2)" in client.get(url).content.decode()
    client.post(url, {"user": member_user.pk, "role": "branch_secretary"})
    assert RoleAssignment.objects.filter(user=member_user, org=a, role="branch_secretary").exists()
    assert client.get(reverse("orgs:roles", args=[b.pk])).status_code == 404
    response = client.post(reverse("orgs:organization_add", args=[a.pk]), {"name": "第三党小组", "kind": "group"})
    assert Organization.objects.get_parent(Organization.objects.get(name="第三党小组")).pk == a.pk
    assert response.status_code == 302
    assert client.post(reverse("orgs:organization_edit", args=[b.pk]), {"name": "x"}).status_code == 404


def test_admin_is_for_the_superuser_only(client, staff):
    staff.is_staff = True
    staff.save()
    client.force_login(staff)
    assert client.get("/admin/").status_code == 302  # to the admin login
    root = UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    assert client.get("/admin/").status_code == 200

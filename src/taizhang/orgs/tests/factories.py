"""factory-boy factories for organizations, members, users and roles; other apps reuse them.

Organizations are built through treebeard (``add_root`` / ``add_child``) so that ``path``,
``depth`` and ``numchild`` are right and scoping works::

    committee = CommitteeFactory()
    branch = BranchFactory(parent=committee)
    group = GroupFactory(parent=branch)
    member = MemberFactory(org=branch, group=group)
    user = UserFactory()
    grant(user, branch, "branch_secretary")
"""

from __future__ import annotations

import factory
from django.contrib.auth import get_user_model

from taizhang.core.scoping import clear_scope_cache
from taizhang.orgs.models import Member, MemberStatus, Organization, OrgKind, Position, RoleAssignment


class OrganizationFactory(factory.django.DjangoModelFactory):
    """An organization; ``parent=None`` makes a root (committee by default), otherwise a child
    of ``parent`` (kind defaults to the level below the parent)."""

    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"测试组织{n}")
    code = factory.Sequence(lambda n: f"T{n:04d}")
    kind = None
    parent = None

    @classmethod
    def _create(cls, model_class, *args, parent=None, **kwargs):
        if parent is None:
            kwargs["kind"] = kwargs.get("kind") or OrgKind.COMMITTEE
            return model_class.objects.add_root(kwargs)
        below = {OrgKind.COMMITTEE: OrgKind.BRANCH, OrgKind.GENERAL_BRANCH: OrgKind.BRANCH,
                 OrgKind.BRANCH: OrgKind.GROUP}
        kwargs["kind"] = kwargs.get("kind") or below.get(parent.kind, OrgKind.GROUP)
        # The manager re-reads (and locks) the parent, so a stale ``parent`` object is fine.
        return model_class.objects.add_child(parent, kwargs)


class CommitteeFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"测试机关党委{n}")
    kind = OrgKind.COMMITTEE


class BranchFactory(OrganizationFactory):
    """A branch; pass ``parent`` (a committee is created when omitted)."""

    name = factory.Sequence(lambda n: f"第{n}党支部")
    kind = OrgKind.BRANCH
    parent = factory.SubFactory(CommitteeFactory)


class GroupFactory(OrganizationFactory):
    name = factory.Sequence(lambda n: f"第{n}党小组")
    kind = OrgKind.GROUP
    parent = factory.SubFactory(BranchFactory)


class MemberFactory(factory.django.DjangoModelFactory):
    """A full member of a (new) branch with an invented name and phone number."""

    class Meta:
        model = Member

    org = factory.SubFactory(BranchFactory)
    name = factory.Sequence(lambda n: f"党员{n:03d}")
    gender = "male"
    status = MemberStatus.FULL
    phone = factory.Sequence(lambda n: f"138{n:08d}")


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position

    member = factory.SubFactory(MemberFactory)
    org = factory.SelfAttribute("member.org")
    role = "secretary"


class UserFactory(factory.django.DjangoModelFactory):
    """An active user with the password ``pw`` (or ``password=...``)."""

    class Meta:
        model = get_user_model()

    username = factory.Sequence(lambda n: f"user{n}")

    @classmethod
    def _create(cls, model_class, *args, password="pw", **kwargs):
        return model_class.objects.create_user(*args, password=password, **kwargs)


def grant(user, org: Organization, role: str) -> RoleAssignment:
    """Give ``user`` ``role`` (e.g. "branch_secretary", "committee_staff") on ``org``'s subtree."""
    assignment, _ = RoleAssignment.objects.get_or_create(user=user, org=org, role=role)
    clear_scope_cache(user)
    return assignment


def build_tree(branches: int = 2, groups: int = 2, code: str = "DW") -> dict:
    """A committee ``code`` with branches ``ZB01``… each with groups ``ZB01-1``…; returns
    {"committee": org, "branches": [org], "groups": {branch code: [org]}}."""
    committee = CommitteeFactory(name="测试党委", code=code)
    result = {"committee": committee, "branches": [], "groups": {}}
    for b in range(1, branches + 1):
        branch = BranchFactory(parent=committee, name=f"第{b}党支部", code=f"ZB{b:02d}")
        result["branches"].append(branch)
        result["groups"][branch.code] = [
            GroupFactory(parent=branch, name=f"第{g}党小组", code=f"ZB{b:02d}-{g}") for g in range(1, groups + 1)
        ]
    return result

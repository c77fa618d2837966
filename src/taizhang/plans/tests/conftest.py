"""Fixtures for the plans tests: a small organization tree with users holding roles."""

import pytest
from django.contrib.auth import get_user_model

from taizhang.orgs.models import Organization, OrgKind, RoleAssignment


def make_tree(branches: int = 3) -> dict:
    """A committee ``DW`` with ``branches`` branches ``ZB01``… each holding one party group."""
    objects = Organization.objects
    committee = objects.add_root(dict(name="测试党委", code="DW", kind=OrgKind.COMMITTEE))
    tree = {"committee": committee, "branches": []}
    for n in range(1, branches + 1):
        branch = objects.add_child(
            committee, dict(name=f"第{n}党支部", code=f"ZB{n:02d}", kind=OrgKind.BRANCH))
        objects.add_child(branch, dict(name=f"第{n}党小组", code=f"ZB{n:02d}G1", kind=OrgKind.GROUP))
        tree["branches"].append(branch)
    return tree


def user_with_role(username: str, org: Organization, role: str):
    user = get_user_model().objects.create_user(username=username, password="pw-123456!")
    RoleAssignment.objects.create(user=user, org=org, role=role)
    return user


@pytest.fixture
def tree(db):
    return make_tree()


@pytest.fixture
def office(tree):
    """Committee office staff: may import, publish and see everything under the committee."""
    return user_with_role("office", tree["committee"], "committee_staff")


@pytest.fixture
def secretary_a(tree):
    return user_with_role("sec_a", tree["branches"][0], "branch_secretary")


@pytest.fixture
def secretary_b(tree):
    return user_with_role("sec_b", tree["branches"][1], "branch_secretary")

"""Fixtures for the plans tests: a small organization tree with users holding roles."""

import pytest

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant

PASSWORD = "pw-123456!"


def make_tree(branches: int = 3) -> dict:
    """Committee ``DW`` with ``branches`` branches ``ZB01``… (第1党支部 …), one group each."""
    return build_tree(branches=branches, groups=1)


def user_with_role(username: str, org, role: str):
    """A user ``username`` (password :data:`PASSWORD`) holding ``role`` on ``org``."""
    user = UserFactory(username=username, password=PASSWORD)
    grant(user, org, role)
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

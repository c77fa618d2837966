"""Fixtures of the orgs tests: a small tree and users holding roles on it."""

import pytest

from .factories import UserFactory, build_tree, grant


@pytest.fixture
def tree(db):
    """Committee DW with branches ZB01 (第1党支部) and ZB02, each with groups -1 and -2."""
    return build_tree()


@pytest.fixture
def staff(tree):
    """A committee_staff user on DW (may manage the whole tree)."""
    user = UserFactory(username="staff")
    grant(user, tree["committee"], "committee_staff")
    return user


@pytest.fixture
def secretary_a(tree):
    """The branch_secretary of ZB01 (sees ZB01 only, may not import)."""
    user = UserFactory(username="sec_a")
    grant(user, tree["branches"][0], "branch_secretary")
    return user

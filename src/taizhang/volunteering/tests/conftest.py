"""Fixtures of the volunteering tests: two branches with a Party group each, members, users."""

import pytest

from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant


@pytest.fixture
def tree(db):
    return build_tree(branches=2, groups=1)


@pytest.fixture
def branch(tree):
    return tree["branches"][0]


@pytest.fixture
def other_branch(tree):
    return tree["branches"][1]


@pytest.fixture
def members(branch):
    return [MemberFactory(org=branch, name=name) for name in ("张一", "李二", "王三")]


@pytest.fixture
def outsider(other_branch):
    return MemberFactory(org=other_branch, name="赵外")


@pytest.fixture
def secretary(branch):
    user = UserFactory(username="sec_a")
    grant(user, branch, "branch_secretary")
    return user


@pytest.fixture
def office(tree):
    user = UserFactory(username="office")
    grant(user, tree["committee"], "committee_staff")
    return user

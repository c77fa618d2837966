"""Fixtures of the rectification tests: a committee with two branches, a leadership team,
the committee office and branch secretaries."""

import datetime as dt

import pytest

from taizhang.orgs.models import LeadershipMember, LeadershipTeam
from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant
from taizhang.rectification import services

PASSWORD = "pw-123456!"


@pytest.fixture(autouse=True)
def ledger_computed(settings):
    """The ledger's figures computed on every request (``ledgercache`` off): these tests
    write with ``QuerySet.update`` (no ``updated_at``) and count the computing queries;
    ``test_ledgercache.py`` turns the cache on."""
    settings.TAIZHANG_LEDGER_CACHE_SECONDS = 0


@pytest.fixture
def tree(db):
    tree = build_tree(branches=2, groups=1)
    team = LeadershipTeam.objects.create(org=tree["committee"], name="班子")
    tree["leaders"] = [
        LeadershipMember.objects.create(team=team, member=MemberFactory(org=tree["branches"][0], name=name),
                                        title=title, order=i)
        for i, (name, title) in enumerate([("李晓", "党委书记"), ("周宁", "党委副书记")], start=1)
    ]
    return tree


@pytest.fixture
def office(tree):
    user = UserFactory(username="office", password=PASSWORD)
    grant(user, tree["committee"], "committee_staff")
    return user


@pytest.fixture
def secretary_a(tree):
    user = UserFactory(username="sec_a", password=PASSWORD)
    grant(user, tree["branches"][0], "branch_secretary")
    return user


@pytest.fixture
def problem(tree):
    return services.create_problem(org=tree["branches"][0], source="基层调研",
                                   description="服务窗口午间无人值守，群众需等候")


@pytest.fixture
def measure(problem, tree):
    return services.add_measure(problem, measure="推行午间轮岗值班", deadline=dt.date(2030, 6, 28),
                                leader=tree["leaders"][1])

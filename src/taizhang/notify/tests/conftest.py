"""Fixtures of the notify tests: committee DW with branches ZB01 (A) and ZB02 (B), their
officers, the committee office, and a published campaign."""

import pytest

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant

from .helpers import make_campaign


@pytest.fixture
def tree(db):
    return build_tree(branches=2, groups=1)


@pytest.fixture
def people(tree):
    """sec_a (secretary of A, e-mail), com_a (committee member of A, no e-mail), sec_b
    (secretary of B, e-mail), office (committee staff, e-mail), member_a (plain member)."""
    a, b = tree["branches"]
    users = {
        "sec_a": UserFactory(username="sec_a", email="sec_a@example.org"),
        "com_a": UserFactory(username="com_a", email=""),
        "sec_b": UserFactory(username="sec_b", email="sec_b@example.org"),
        "office": UserFactory(username="office", email="office@example.org"),
        "member_a": UserFactory(username="member_a", email="m@example.org"),
    }
    grant(users["sec_a"], a, "branch_secretary")
    grant(users["com_a"], a, "branch_committee")
    grant(users["sec_b"], b, "branch_secretary")
    grant(users["office"], tree["committee"], "committee_staff")
    grant(users["member_a"], a, "member")
    return users


@pytest.fixture
def campaign(tree):
    return make_campaign(tree["committee"])


@pytest.fixture
def stub_hosts(settings):
    settings.NOTIFY_WEBHOOK_HOSTS = {"wecom": ["127.0.0.1"], "dingtalk": ["127.0.0.1"]}
    settings.TAIZHANG_BASE_URL = "https://tz.example.org"


@pytest.fixture
def send(django_capture_on_commit_callbacks):
    """``send(today, kinds=…)``: one reminder run whose after-commit deliveries (e-mail,
    webhooks, enqueued as huey tasks running inline in tests) really run."""
    from taizhang.notify import services

    def run(today, **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.send_reminders(today, **kwargs)

    return run

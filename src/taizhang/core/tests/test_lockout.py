"""A failed login never answers 500, even when the database is too busy to record it."""

import pytest
from axes.handlers.database import AxesDatabaseHandler
from axes.handlers.proxy import AxesProxyHandler
from axes.models import AccessAttempt
from django.db import OperationalError
from django.urls import reverse

from taizhang.core import lockout
from taizhang.orgs.tests.factories import UserFactory


@pytest.fixture
def busy(monkeypatch, db):
    """axes' database write fails with "database is locked" the first ``busy.times`` calls."""
    real = AxesDatabaseHandler.user_login_failed
    state = {"times": 99, "calls": 0}

    def flaky(self, *args, **kwargs):
        state["calls"] += 1
        if state["calls"] <= state["times"]:
            raise OperationalError("database is locked")
        return real(self, *args, **kwargs)

    monkeypatch.setattr(AxesDatabaseHandler, "user_login_failed", flaky)
    monkeypatch.setattr(lockout, "RETRY_PAUSE", 0)
    assert isinstance(AxesProxyHandler.get_implementation(force=True), lockout.BusyTolerantHandler)
    UserFactory(username="zhang", password="right-password-1")
    return state


def test_a_busy_database_gives_the_usual_answer_not_500(client, busy):
    response = client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
    assert response.status_code == 200
    assert "用户名或密码不正确" in response.content.decode()
    assert busy["calls"] == 2  # tried again once
    assert not AccessAttempt.objects.exists()  # that one failure is not counted


def test_the_retry_records_the_failure(client, busy):
    busy["times"] = 1
    response = client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
    assert response.status_code == 200
    assert AccessAttempt.objects.get(username="zhang").failures_since_start == 1


def test_other_database_errors_are_not_hidden(monkeypatch, db):
    def broken(self, *args, **kwargs):
        raise OperationalError("no such table: axes_accessattempt")

    monkeypatch.setattr(AxesDatabaseHandler, "user_login_failed", broken)
    handler = lockout.BusyTolerantHandler()
    with pytest.raises(OperationalError):
        handler.user_login_failed(None, {"username": "x"}, request=object())

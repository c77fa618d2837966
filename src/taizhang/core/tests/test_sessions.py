"""Idle sessions end after TAIZHANG_SESSION_IDLE_HOURS (default 8 h); the expiry is pushed
forward at most every TAIZHANG_SESSION_REFRESH_SECONDS instead of a write per request."""

import datetime as dt

import pytest
import time_machine
from django.conf import settings as django_settings
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from taizhang.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
START = dt.datetime(2024, 3, 4, 9, 0, tzinfo=dt.timezone.utc)


def session_writes(client, path="/tokens/"):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get(path)
    writes = [q for q in ctx.captured_queries
              if "django_session" in q["sql"] and q["sql"].startswith(("UPDATE", "INSERT"))]
    return response, len(writes)


def test_default_idle_time_is_eight_hours():
    assert django_settings.SESSION_COOKIE_AGE == 8 * 3600
    assert not django_settings.SESSION_SAVE_EVERY_REQUEST


def test_session_refreshed_at_most_every_five_minutes_and_ends_when_idle(client):
    user = UserFactory(username="idle", password="pw-123456!x")
    with time_machine.travel(START, tick=False) as clock:
        assert client.post("/login/", {"username": "idle", "password": "pw-123456!x"}).status_code == 302
        response, writes = session_writes(client)
        assert response.status_code == 200 and writes == 0  # the login stamped the refresh time
        # 100 page views within 4 minutes: not one session write.
        total = 0
        for _ in range(100):
            clock.shift(dt.timedelta(seconds=2))
            total += session_writes(client)[1]
        assert total == 0
        clock.shift(dt.timedelta(minutes=2))  # 5 min 20 s after login
        response, writes = session_writes(client)
        assert writes == 1
        assert response.cookies["sessionid"]["max-age"] == 8 * 3600
        # Active at 7 h 50 min after login (refreshed): still signed in.
        clock.shift(dt.timedelta(hours=7, minutes=40))
        assert client.get("/tokens/").status_code == 200
        # Then idle for 8 h 1 min: signed out.
        clock.shift(dt.timedelta(hours=8, minutes=1))
        assert timezone.now() > START
        response = client.get("/tokens/")
        assert response.status_code == 302 and "/login/" in response["Location"]
    assert user.pk


def test_anonymous_requests_create_no_session(client):
    response, writes = session_writes(client, "/login/")
    assert response.status_code == 200 and writes == 0

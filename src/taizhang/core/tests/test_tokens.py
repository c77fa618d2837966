"""Personal API tokens: expire, die with a password change, listed and revoked by their
owner only, and a locked-out account is told so on the token endpoint (issue 13 §3)."""

import datetime as dt

import pytest
import time_machine
from django.contrib.auth.forms import PasswordChangeForm
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from rest_framework.test import APIClient

from taizhang.core import tokens
from taizhang.core.models import ApiToken
from taizhang.orgs.tests.factories import UserFactory

pytestmark = pytest.mark.django_db
PASSWORD = "pw-123456!x"


@pytest.fixture
def user():
    return UserFactory(username="api_u", password=PASSWORD)


def obtain(client, username="api_u", password=PASSWORD, **extra):
    return client.post("/api/token/", {"username": username, "password": password, **extra})


def test_token_issued_hashed_named_and_expires_after_configured_days(user, settings):
    settings.TAIZHANG_TOKEN_DAYS = 30
    client = APIClient()
    response = obtain(client, name="统计脚本")
    assert response.status_code == 200
    key = response.data["token"]
    token = ApiToken.objects.get(user=user)
    assert token.name == "统计脚本" and token.prefix == key[:8]
    assert token.key_hash == tokens.hash_key(key) and key not in token.key_hash
    assert abs(token.expires_at - timezone.now() - dt.timedelta(days=30)) < dt.timedelta(minutes=1)
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/tokens/").status_code == 200
    with time_machine.travel(timezone.now() + dt.timedelta(days=30, minutes=1)):
        expired = client.get("/api/tokens/")
    assert expired.status_code == 401
    assert "过期" in expired.data["detail"]


def test_bearer_keyword_and_last_used_written_at_most_once_a_minute(user):
    _token, key = tokens.issue_token(user, actor=user, name="a")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Bearer {key}")
    assert client.get("/api/tokens/").status_code == 200
    first = ApiToken.objects.get().last_used_at
    assert first is not None
    with CaptureQueriesContext(connection) as ctx:
        assert client.get("/api/tokens/").status_code == 200
    assert not [q for q in ctx.captured_queries if q["sql"].startswith("UPDATE")]
    assert ApiToken.objects.get().last_used_at == first


def test_several_tokens_listed_and_revoked_by_owner_only(user):
    other = UserFactory(username="other", password=PASSWORD)
    _t1, key1 = tokens.issue_token(user, actor=user, name="一")
    t2, key2 = tokens.issue_token(user, actor=user, name="二")
    theirs, _k = tokens.issue_token(other, actor=other, name="他人")
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key1}")
    listed = client.get("/api/tokens/").data["results"]
    assert sorted(row["name"] for row in listed) == ["一", "二"]
    assert all("key_hash" not in row and "token" not in row for row in listed)
    assert client.delete(f"/api/tokens/{theirs.pk}/").status_code == 404
    assert client.delete(f"/api/tokens/{t2.pk}/").status_code == 204
    assert set(ApiToken.objects.values_list("name", flat=True)) == {"一", "他人"}
    client.credentials(HTTP_AUTHORIZATION=f"Token {key2}")
    assert client.get("/api/tokens/").status_code == 401


def test_password_change_revokes_every_token(user):
    _t, key = tokens.issue_token(user, actor=user, name="a")
    tokens.issue_token(user, actor=user, name="b")
    form = PasswordChangeForm(user, {"old_password": PASSWORD, "new_password1": "new-pw-98765!x",
                                     "new_password2": "new-pw-98765!x"})
    assert form.is_valid(), form.errors
    form.save()
    assert ApiToken.objects.filter(user=user).count() == 0
    client = APIClient()
    client.credentials(HTTP_AUTHORIZATION=f"Token {key}")
    assert client.get("/api/tokens/").status_code == 401


def test_wrong_password_400_and_locked_out_account_told_so(user, settings):
    settings.AXES_FAILURE_LIMIT = 3
    client = APIClient()
    for _ in range(2):
        response = obtain(client, password="wrong")
        assert response.status_code == 400 and "不正确" in response.data["detail"]
    assert obtain(client, password="wrong").status_code in (400, 429)
    locked = obtain(client)  # the right password, but the account is locked
    assert locked.status_code == 429
    assert "锁定" in locked.data["detail"]
    assert ApiToken.objects.count() == 0


def test_token_page_issues_shows_key_once_and_revokes(client, user):
    other = UserFactory(username="other", password=PASSWORD)
    theirs, _k = tokens.issue_token(other, actor=other, name="他人令牌")
    client.force_login(user)
    page = client.post("/tokens/", {"name": "办公室电脑"})
    assert page.status_code == 200
    token = ApiToken.objects.get(user=user)
    body = page.content.decode()
    assert "办公室电脑" in body and "他人令牌" not in body
    key = body.split('id="new-token" class="user-select-all">')[1].split("<")[0]
    assert tokens.hash_key(key) == token.key_hash
    assert key not in client.get("/tokens/").content.decode()
    assert client.post(f"/tokens/{theirs.pk}/revoke/").status_code == 404
    assert client.post(f"/tokens/{token.pk}/revoke/").status_code == 302
    assert not ApiToken.objects.filter(user=user).exists()
    assert ApiToken.objects.filter(pk=theirs.pk).exists()


def test_token_page_queries_constant(client, user):
    client.force_login(user)

    def count():
        with CaptureQueriesContext(connection) as ctx:
            assert client.get("/tokens/").status_code == 200
        return len(ctx.captured_queries)

    tokens.issue_token(user, actor=user, name="a")
    few = count()
    for i in range(10):
        tokens.issue_token(user, actor=user, name=f"t{i}")
    assert count() == few

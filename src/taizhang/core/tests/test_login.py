"""Login throttling (django-axes): after 5 failures the account is locked with a Chinese page."""

from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory


def test_lockout_after_five_failures_shows_a_chinese_page(client, db):
    UserFactory(username="zhang", password="right-password-1")
    for _ in range(4):
        response = client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
        assert "用户名或密码不正确" in response.content.decode()
    locked = client.post(reverse("login"), {"username": "zhang", "password": "wrong"})
    assert locked.status_code == 429
    assert "登录失败次数过多" in locked.content.decode()
    again = client.post(reverse("login"), {"username": "zhang", "password": "right-password-1"})
    assert "登录失败次数过多" in again.content.decode()  # locked even with the right password

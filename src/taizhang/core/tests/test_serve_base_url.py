"""The site's address in e-mails, robot messages and calendar feeds follows ``taizhang serve
--host/--port`` (``make run PORT=8011``) unless ``TAIZHANG_BASE_URL`` is set explicitly,
which wins (new-user pass, issue 12: feeds kept port 8000)."""

import pytest
from django.core.management import call_command

from taizhang.core.management.commands import serve


@pytest.fixture
def served(monkeypatch, settings, tmp_path):
    from gunicorn.app.base import BaseApplication

    settings.STATIC_ROOT = tmp_path
    seen = {}
    monkeypatch.setattr(BaseApplication, "run", lambda app: seen.update(base_url=settings.TAIZHANG_BASE_URL))
    monkeypatch.delenv("TAIZHANG_BASE_URL", raising=False)
    return seen


def test_the_default_follows_the_port(served, settings):
    settings.TAIZHANG_HTTPS = False
    call_command("serve", "--no-worker", "--port", "8011")
    assert served["base_url"] == "http://127.0.0.1:8011"
    assert serve.worker_env()["TAIZHANG_BASE_URL"] == "http://127.0.0.1:8011"  # the worker sends the mails


def test_all_interfaces_use_the_address_users_type(served, settings):
    settings.TAIZHANG_HTTPS = False
    settings.ALLOWED_HOSTS = ["192.168.1.10", "localhost"]
    call_command("serve", "--no-worker", "--host", "0.0.0.0", "--port", "8011")
    assert served["base_url"] == "http://192.168.1.10:8011"
    settings.ALLOWED_HOSTS = ["*"]
    assert serve.default_base_url("0.0.0.0", 8011) == "http://127.0.0.1:8011"
    assert serve.default_base_url("::1", 80) == "http://[::1]:80"


def test_an_explicit_base_url_wins(served, settings, monkeypatch):
    monkeypatch.setenv("TAIZHANG_BASE_URL", "https://dj.example.cn")
    settings.TAIZHANG_BASE_URL = "https://dj.example.cn"
    call_command("serve", "--no-worker", "--port", "8011")
    assert served["base_url"] == "https://dj.example.cn"

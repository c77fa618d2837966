"""TAIZHANG_HTTPS=1 (behind a TLS reverse proxy): `check --deploy` is clean at WARNING level,
cookies are Secure, HTTP is redirected, HSTS is sent (issue 13 §3)."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

SRC = Path(__file__).resolve().parents[3]


def run_check(tmp_path, **env):
    environment = {key: value for key, value in os.environ.items()
                   if key not in {"PYTEST_VERSION", "DJANGO_SETTINGS_MODULE", "DEBUG", "SECRET_KEY",
                                  "DJANGO_ALLOW_ASYNC_UNSAFE"}}  # set by the browser tests
    environment.update({
        "PYTHONPATH": str(SRC), "TAIZHANG_VAR_DIR": str(tmp_path), "DEBUG": "0",
        "SECRET_KEY": secrets.token_urlsafe(60), "ALLOWED_HOSTS": "taizhang.example.internal",
        **env,
    })
    return subprocess.run(
        [sys.executable, "-m", "taizhang.cli", "check", "--deploy", "--fail-level", "WARNING"],
        env=environment, capture_output=True, text=True, timeout=120)


def test_check_deploy_clean_under_taizhang_https(tmp_path):
    result = run_check(tmp_path, TAIZHANG_HTTPS="1")
    assert result.returncode == 0, result.stderr + result.stdout
    assert "no issues" in result.stdout


def test_check_deploy_names_what_is_missing_without_it(tmp_path):
    result = run_check(tmp_path, TAIZHANG_HTTPS="0")
    assert result.returncode == 1
    for code in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert code in result.stderr


@pytest.fixture
def https(settings):
    settings.SESSION_COOKIE_SECURE = settings.CSRF_COOKIE_SECURE = True
    settings.SECURE_SSL_REDIRECT = True
    settings.SECURE_REDIRECT_EXEMPT = [r"^health/$"]
    settings.SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    settings.SECURE_HSTS_SECONDS = 31536000


@pytest.mark.django_db
def test_https_settings_redirect_hsts_and_secure_cookies(client, https, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    plain = client.get("/login/")
    assert plain.status_code == 301 and plain["Location"] == "https://testserver/login/"
    behind_proxy = client.get("/login/", HTTP_X_FORWARDED_PROTO="https")
    assert behind_proxy.status_code == 200
    assert behind_proxy["Strict-Transport-Security"] == "max-age=31536000"
    assert behind_proxy.cookies["csrftoken"]["secure"]
    # A monitor on the host itself may ask over plain HTTP.
    assert client.get("/health/?format=json").status_code == 200

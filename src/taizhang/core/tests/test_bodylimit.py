"""Request bodies are capped before they are read, and web workers are recycled (issue 13 §4)."""

import io
import os
import socket
import subprocess
import sys
import time
from pathlib import Path
from wsgiref.util import setup_testing_defaults

import pytest
from django.core.management import call_command

from taizhang.core.bodylimit import BodyLimit

SRC = Path(__file__).resolve().parents[3]


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")


def call(app, **environ):
    setup_testing_defaults(environ)
    environ.setdefault("wsgi.input", Unreadable())
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    body = b"".join(app(environ, start_response))
    return seen["status"], seen["headers"], body.decode()


def inner(environ, start_response):
    start_response("200 OK", [("Content-Type", "text/plain")])
    return [b"ok"]


def test_a_declared_length_over_the_cap_is_refused_unread():
    status, headers, body = call(BodyLimit(inner, 1024 * 1024), REQUEST_METHOD="POST",
                                 CONTENT_LENGTH=str(600 * 1024 * 1024))
    assert status.startswith("413") and "上限 1 MB" in body and headers["Connection"] == "close"


def test_bodies_within_the_cap_pass_and_bad_lengths_are_400():
    app = BodyLimit(inner, 1024)
    assert call(app, REQUEST_METHOD="POST", CONTENT_LENGTH="1024")[0] == "200 OK"
    assert call(app, REQUEST_METHOD="GET")[0] == "200 OK"
    assert call(app, REQUEST_METHOD="POST", CONTENT_LENGTH="abc")[0].startswith("400")
    assert call(app, REQUEST_METHOD="POST", CONTENT_LENGTH="-5")[0].startswith("400")


def test_the_site_is_wrapped_with_the_setting(settings, db):
    from taizhang.wsgi import application

    assert isinstance(application, BodyLimit)
    assert settings.TAIZHANG_MAX_REQUEST_BYTES == settings.TAIZHANG_MAX_UPLOAD_BYTES + 1024 * 1024
    settings.TAIZHANG_MAX_REQUEST_BYTES = 2048
    status, _headers, body = call(application, REQUEST_METHOD="POST", PATH_INFO="/login/",
                                  CONTENT_LENGTH="2049")
    assert status.startswith("413") and "上传文件过大" in body  # the site's page (test_upload_limit_page)


def test_serve_configures_gunicorn_limits_and_recycling(monkeypatch, settings, tmp_path):
    from gunicorn.app.base import BaseApplication

    settings.STATIC_ROOT = tmp_path
    settings.TAIZHANG_MAX_REQUESTS, settings.TAIZHANG_MAX_REQUESTS_JITTER = 500, 50
    seen = {}

    def run(app):
        app.load_config()
        seen.update(max_requests=app.cfg.max_requests, jitter=app.cfg.max_requests_jitter,
                    line=app.cfg.limit_request_line, fields=app.cfg.limit_request_fields)

    monkeypatch.setattr(BaseApplication, "run", run)
    call_command("serve", "--no-worker", "--port", "8124")
    assert seen == {"max_requests": 500, "jitter": 50, "line": 8190, "fields": 100}


SERVER = """
import sys
from gunicorn.app.base import BaseApplication
import django
django.setup()
from taizhang.core.management.commands.serve import gunicorn_config
from taizhang.wsgi import application

class Server(BaseApplication):
    def load_config(self):
        config = gunicorn_config("127.0.0.1", int(sys.argv[1]), 1)
        config.update(max_requests=2, max_requests_jitter=0, accesslog=None)
        for name, value in config.items():
            self.cfg.set(name, value)
    def load(self):
        return application

Server().run()
"""


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _post_huge(port: int) -> tuple[str, float]:
    """Declare a 600 MB body, send 10 bytes of it; the status line and how long it took."""
    start = time.perf_counter()
    with socket.create_connection(("127.0.0.1", port), timeout=20) as conn:
        conn.sendall(b"POST /rectification/import/ HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                     b"Content-Type: multipart/form-data; boundary=x\r\n"
                     b"Content-Length: 629145600\r\n\r\n0123456789")
        status = conn.makefile("rb").readline().decode().strip()
    return status, time.perf_counter() - start


@pytest.mark.skipif(sys.platform == "win32", reason="gunicorn")
def test_gunicorn_refuses_a_huge_upload_at_once_and_recycles_its_worker(tmp_path):
    port = _free_port()
    env = {**os.environ, "TAIZHANG_VAR_DIR": str(tmp_path), "DJANGO_SETTINGS_MODULE": "taizhang.settings",
           "PYTHONPATH": str(SRC)}
    env.pop("DATABASE_URL", None)
    server = subprocess.Popen([sys.executable, "-c", SERVER, str(port)], env=env,
                              stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 90  # a loaded machine starts Django slowly
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                break
            except OSError:
                if server.poll() is not None or time.monotonic() > deadline:
                    server.kill()
                    pytest.fail(f"gunicorn did not start: {server.communicate()[1][-3000:]}")
                time.sleep(0.2)
        answers = [_post_huge(port) for _ in range(3)]
    finally:
        server.terminate()
        log = server.communicate(timeout=30)[1]
    assert [status for status, _ in answers] == ["HTTP/1.1 413 Request Entity Too Large"] * 3
    assert max(seconds for _, seconds in answers) < 5  # not waiting for 600 MB
    assert "Autorestarting worker after current request" in log  # max_requests=2 recycled it

"""An upload over the size limit (new-user pass, issue 12): a Chinese page in the site's
layout, like 404/403, naming the limit, with status 413 and the body still unread; the import
and upload forms state the limit beside their file field."""

import io
from wsgiref.util import setup_testing_defaults

from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant


class Unreadable(io.RawIOBase):
    def read(self, *args):
        raise AssertionError("the body was read")


def _call(app, **environ):
    """``app`` called as a WSGI server would, without closing the test's database connection
    at the request's start and end (as Django's test client does: on PostgreSQL the closed
    connection had made the page a 500)."""
    setup_testing_defaults(environ)
    environ.setdefault("wsgi.input", Unreadable())
    seen = {}

    def start_response(status, headers):
        seen["status"], seen["headers"] = status, dict(headers)

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        response = app(environ, start_response)
        body = b"".join(response)
        getattr(response, "close", lambda: None)()
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)
    return seen["status"], seen["headers"], body.decode()


def test_over_the_limit_gets_the_sites_413_page(client, db, settings):
    from taizhang.wsgi import application

    settings.TAIZHANG_MAX_UPLOAD_BYTES = 3 * 1024 * 1024
    settings.TAIZHANG_MAX_REQUEST_BYTES = 4 * 1024 * 1024
    tree = build_tree()
    user = UserFactory(username="office")
    grant(user, tree["committee"], "committee_staff")
    client.force_login(user)
    session = client.cookies[settings.SESSION_COOKIE_NAME].value
    status, headers, body = _call(
        application, REQUEST_METHOD="POST", PATH_INFO=reverse("orgs:roster_import"),
        CONTENT_LENGTH=str(600 * 1024 * 1024), CONTENT_TYPE="multipart/form-data; boundary=x",
        HTTP_COOKIE=f"{settings.SESSION_COOKIE_NAME}={session}", HTTP_HOST="testserver",
        HTTP_REFERER="http://testserver" + reverse("orgs:roster_import"))
    assert status.startswith("413")
    assert headers["Content-Type"].startswith("text/html") and headers["Connection"] == "close"
    assert "<title>上传文件过大 · 台账</title>" in body
    assert "文件大小上限为 3 MB" in body
    assert 'class="navbar' in body and "office" in body  # the site's layout, signed in
    assert f'href="{reverse("orgs:roster_import")}"' in body  # back to the form
    # Signed out: the same page (no menu), still 413.
    status, headers, body = _call(application, REQUEST_METHOD="POST", PATH_INFO="/login/",
                                  CONTENT_LENGTH=str(600 * 1024 * 1024))
    assert status.startswith("413") and "文件大小上限为 3 MB" in body


def test_import_and_upload_forms_state_the_limit(client, db, settings):
    settings.TAIZHANG_MAX_UPLOAD_BYTES = 20 * 1024 * 1024
    tree = build_tree()
    user = UserFactory(username="office")
    grant(user, tree["committee"], "committee_staff")
    client.force_login(user)
    for url in (reverse("orgs:roster_import"), reverse("rectification:import"), reverse("reports:templates")):
        html = client.get(url).content.decode()
        assert "文件大小上限 20 MB" in html, url

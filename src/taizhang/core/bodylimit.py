"""Refuse a request body that is too large before any of it is read (issue 13 §4).

Django checks an upload's size only after the whole body has been received (and spooled to
a temporary file); a hostile 600 MB upload costs a worker its memory and disk for as long
as it takes to send. :class:`BodyLimit` wraps the WSGI application (``taizhang.wsgi``):
a request whose ``Content-Length`` is over ``settings.TAIZHANG_MAX_REQUEST_BYTES`` is
answered 413 at once, before Django or the application reads a byte of the body; a body
without a length (chunked) is not read by Django at all. The default cap is the upload
limit (``TAIZHANG_MAX_UPLOAD_BYTES``) plus 1 MB for the form's other fields.

When the application knows the refusal (:class:`RefusedBodyMiddleware` in the site's
middleware), the answer is its Chinese page in the site's layout (``templates/413.html``,
naming the upload limit): BodyLimit hands the request on with an empty body and the
``taizhang.body_refused`` key, and the middleware answers before any view runs. Otherwise
(another WSGI app) it is a short plain-text answer. Either way the connection is closed.
"""

from __future__ import annotations

import io

REFUSED_KEY = "taizhang.body_refused"


class BodyLimit:
    """WSGI middleware: ``BodyLimit(app, max_bytes)``; ``max_bytes`` None reads the setting
    ``TAIZHANG_MAX_REQUEST_BYTES`` on each request (so tests can change it)."""

    def __init__(self, app, max_bytes: int | None = None):
        self.app, self.max_bytes = app, max_bytes

    def limit(self) -> int:
        """The cap in bytes."""
        if self.max_bytes is not None:
            return self.max_bytes
        from django.conf import settings

        return settings.TAIZHANG_MAX_REQUEST_BYTES

    def __call__(self, environ, start_response):
        """Answer 413 for a declared length over the cap (400 for an unreadable one), else
        pass the request on untouched."""
        declared = environ.get("CONTENT_LENGTH") or ""
        try:
            length = int(declared) if declared.strip() else 0
        except ValueError:
            return self.refuse(start_response, "400 Bad Request", "Content-Length 无效。")
        if length < 0:
            return self.refuse(start_response, "400 Bad Request", "Content-Length 无效。")
        limit = self.limit()
        if length > limit:
            page = self.refusal_page(environ, limit)
            if page is not None:
                headers, body = page
                start_response("413 Request Entity Too Large", headers)
                return [body]
            return self.refuse(start_response, "413 Request Entity Too Large",
                               f"请求过大：上限 {limit / (1024 * 1024):g} MB。")
        return self.app(environ, start_response)

    def refusal_page(self, environ, limit: int):
        """The application's own 413 page for this request, its body left unread: the app is
        called with an empty body and ``environ[REFUSED_KEY] = limit``; (headers, body) when
        it answered 413 (Content-Length fixed, ``Connection: close``), else None."""
        inner = dict(environ, CONTENT_LENGTH="0")
        inner["wsgi.input"] = io.BytesIO(b"")
        inner[REFUSED_KEY] = limit
        seen = {}

        def capture(status, headers, exc_info=None):
            seen["status"], seen["headers"] = status, headers
            return lambda data: None

        result = self.app(inner, capture)
        try:
            body = b"".join(result)
        finally:
            close = getattr(result, "close", None)
            if close is not None:
                close()
        if not str(seen.get("status", "")).startswith("413"):
            return None
        headers = [(k, v) for k, v in seen["headers"] if k.lower() not in ("content-length", "connection")]
        return headers + [("Content-Length", str(len(body))), ("Connection", "close")], body

    @staticmethod
    def refuse(start_response, status: str, text: str):
        """A short plain-text answer; the connection is closed (the unread body is not drained)."""
        body = (text + "\n").encode("utf-8")
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body))), ("Connection", "close")])
        return [body]


class RefusedBodyMiddleware:
    """Django middleware (after the authentication middleware): a request that
    :class:`BodyLimit` refused gets ``templates/413.html`` in the site's layout — the upload
    limit (``TAIZHANG_MAX_UPLOAD_BYTES``) in MB and a link back to the page it came from (same
    host only) — with status 413, before any view runs."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if REFUSED_KEY not in request.META:
            return self.get_response(request)
        from django.conf import settings
        from django.shortcuts import render
        from django.utils.http import url_has_allowed_host_and_scheme

        back = request.META.get("HTTP_REFERER", "")
        if not url_has_allowed_host_and_scheme(back, allowed_hosts={request.get_host()},
                                               require_https=request.is_secure()):
            back = ""
        if back:
            from urllib.parse import urlsplit

            parts = urlsplit(back)
            back = parts.path + (f"?{parts.query}" if parts.query else "")
        return render(request, "413.html", {
            "limit_mb": f"{settings.TAIZHANG_MAX_UPLOAD_BYTES / (1024 * 1024):g}", "back": back}, status=413)

"""Refuse a request body that is too large before any of it is read (issue 13 §4).

Django checks an upload's size only after the whole body has been received (and spooled to
a temporary file); a hostile 600 MB upload costs a worker its memory and disk for as long
as it takes to send. :class:`BodyLimit` wraps the WSGI application (``taizhang.wsgi``):
a request whose ``Content-Length`` is over ``settings.TAIZHANG_MAX_REQUEST_BYTES`` is
answered 413 at once, before Django or the application reads a byte of the body; a body
without a length (chunked) is not read by Django at all. The default cap is the upload
limit (``TAIZHANG_MAX_UPLOAD_BYTES``) plus 1 MB for the form's other fields.
"""

from __future__ import annotations


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
            return self.refuse(start_response, "413 Request Entity Too Large",
                               f"请求过大：上限 {limit / (1024 * 1024):g} MB。")
        return self.app(environ, start_response)

    @staticmethod
    def refuse(start_response, status: str, text: str):
        """A short plain-text answer; the connection is closed (the unread body is not drained)."""
        body = (text + "\n").encode("utf-8")
        start_response(status, [("Content-Type", "text/plain; charset=utf-8"),
                                ("Content-Length", str(len(body))), ("Connection", "close")])
        return [body]

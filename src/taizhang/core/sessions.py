"""Idle sessions end (issue 13 §3): a signed-in session expires ``SESSION_COOKIE_AGE``
seconds (``TAIZHANG_SESSION_IDLE_HOURS``, default 8 hours) after its last refresh.

``SESSION_SAVE_EVERY_REQUEST`` would do the same with one database write per page view (on
SQLite, the write lock on every read). This middleware marks the session modified only when
its last refresh is older than ``TAIZHANG_SESSION_REFRESH_SECONDS`` (default 300), so a
session is written at most once in five minutes and ends between ``idle`` minus five minutes
and ``idle`` after the last request. Anonymous sessions are never created or touched.
"""

from __future__ import annotations

import time

from django.conf import settings
from django.contrib.auth.signals import user_logged_in
from django.dispatch import receiver

REFRESHED_KEY = "_tz_refreshed"


@receiver(user_logged_in, dispatch_uid="taizhang-session-refreshed-at-login")
def stamp_login(sender, request, user, **kwargs):
    """A login saves the session anyway: stamp the refresh time there, so the first page
    after it writes nothing."""
    session = getattr(request, "session", None)
    if session is not None:
        session[REFRESHED_KEY] = int(time.time())


class IdleSessionMiddleware:
    """Push a signed-in session's expiry forward at most every few minutes (see module)."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        session = getattr(request, "session", None)
        # After the view: a login has just written the session (and a logout emptied it).
        if session is not None and not session.modified and session.get("_auth_user_id"):
            now = int(time.time())
            if now - int(session.get(REFRESHED_KEY, 0)) >= settings.TAIZHANG_SESSION_REFRESH_SECONDS:
                session[REFRESHED_KEY] = now  # marks it modified: SessionMiddleware saves it
        return response

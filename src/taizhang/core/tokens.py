"""Personal API tokens: issue, authenticate, expire, revoke (issue 13 §3).

Replaces DRF's ``authtoken`` (one key per user, stored in clear, never expiring, surviving a
password change) with :class:`taizhang.core.models.ApiToken`: a user may hold several named
tokens (one per script or device, revoked one by one), only the key's SHA-256 is stored,
each expires after ``TAIZHANG_TOKEN_DAYS`` (default 30) and all of a user's tokens are
deleted when the password changes. Clients send ``Authorization: Token <key>`` (or
``Bearer <key>``), as with DRF's token scheme.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import secrets

from auditlog.context import set_actor
from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from rest_framework import exceptions
from rest_framework.authentication import BaseAuthentication, get_authorization_header

from .models import ApiToken

# last_used_at is written at most this often per token (a write per API call would take
# SQLite's write lock on every read request).
LAST_USED_RESOLUTION = dt.timedelta(minutes=1)


def hash_key(key: str) -> str:
    """The stored form of a key: its SHA-256 in hex (keys are 256-bit random, no salt needed)."""
    return hashlib.sha256(key.encode()).hexdigest()


def token_lifetime() -> dt.timedelta:
    """How long a new token lives: ``TAIZHANG_TOKEN_DAYS`` days (setting, default 30)."""
    return dt.timedelta(days=settings.TAIZHANG_TOKEN_DAYS)


def issue_token(user, *, actor, name: str = "") -> tuple[ApiToken, str]:
    """Create a token for ``user`` named ``name`` (default "API"); returns ``(token, key)``.

    The key is returned only here: it is not stored. ``actor`` is recorded in the audit
    trail (the user themself on the token endpoint or the token page)."""
    key = secrets.token_urlsafe(32)
    with set_actor(actor), transaction.atomic():
        token = ApiToken.objects.create(
            user=user, name=(name or "API")[:60], prefix=key[:8], key_hash=hash_key(key),
            expires_at=timezone.now() + token_lifetime())
    return token, key


def revoke_token(token: ApiToken, *, actor) -> None:
    """Delete one token (audited). Raises ``PermissionDenied`` unless ``actor`` owns it or is
    a superuser."""
    if token.user_id != actor.pk and not actor.is_superuser:
        raise exceptions.PermissionDenied(_("只能撤销自己的令牌。"))
    with set_actor(actor):
        token.delete()


def revoke_all(user, *, actor=None) -> int:
    """Delete every token of ``user`` (after a password change); returns how many."""
    with set_actor(actor or user):
        deleted = 0
        for token in ApiToken.objects.filter(user=user):
            token.delete()  # one by one: each deletion lands in the audit trail
            deleted += 1
    return deleted


class TokenAuthentication(BaseAuthentication):
    """DRF authentication by ``Authorization: Token <key>`` / ``Bearer <key>``.

    Returns ``None`` without such a header (the next class, session auth, is tried); raises
    ``AuthenticationFailed`` for an unknown, expired or inactive user's token."""

    keywords = (b"token", b"bearer")

    def authenticate(self, request):
        parts = get_authorization_header(request).split()
        if not parts or parts[0].lower() not in self.keywords:
            return None
        if len(parts) != 2:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。"))
        try:
            key = parts[1].decode()
        except UnicodeError:
            raise exceptions.AuthenticationFailed(_("令牌格式不正确。")) from None
        token = ApiToken.objects.select_related("user").filter(key_hash=hash_key(key)).first()
        now = timezone.now()
        if token is None or not token.user.is_active:
            raise exceptions.AuthenticationFailed(_("令牌无效或已被撤销。"))
        if token.expires_at <= now:
            raise exceptions.AuthenticationFailed(_("令牌已过期，请重新获取。"))
        if token.last_used_at is None or now - token.last_used_at >= LAST_USED_RESOLUTION:
            ApiToken.objects.filter(pk=token.pk).update(last_used_at=now)
        return token.user, token

    def authenticate_header(self, request):
        return "Token"


class RevokeTokensOnPasswordChange:
    """A password "validator" that validates nothing: Django calls ``password_changed`` on
    every configured validator after a user's new password is saved (``set_password`` then
    ``save``: the password change form, the admin, ``changepassword``), and this one deletes
    the user's API tokens there (issue 13 §3: a token must not outlive the password)."""

    def validate(self, password, user=None):
        return None

    def password_changed(self, password, user=None):
        if user is not None and user.pk is not None:
            revoke_all(user)

    def get_help_text(self):
        return _("修改密码后，您的全部 API 令牌随即失效。")


class TokenAuthenticationScheme(OpenApiAuthenticationExtension):
    """Describes :class:`TokenAuthentication` in the OpenAPI schema (``Authorization: Token``)."""

    target_class = "taizhang.core.tokens.TokenAuthentication"
    name = "tokenAuth"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": "Authorization",
                "description": "Token <key> (POST /api/token/; expires, see TAIZHANG_TOKEN_DAYS)"}

"""Accounts for members in bulk from the roster (issue 12 §2).

- :func:`create_accounts`: the office picks members (or all of a branch) and a username rule
  (:data:`RULES`: the member's mobile number or member code); each member without an
  account gets one with a one-time password, the ``member`` role on the member's branch, and
  must change the password at first sign-in (``AccountState``); the passwords are handed
  out once as an Excel sheet (:func:`issued_sheet`) and never stored in clear;
- :class:`ForcePasswordChangeMiddleware` sends such a user to the password change page
  until the password is changed (the sign-in marks the session: no query per request);
- :func:`member_saved` (a ``post_save`` receiver): a member who leaves the roster
  (``is_active`` false) loses access (the account is deactivated, with an
  ``account_disabled`` event on the member); coming back restores an account that was made
  from the roster.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from taizhang.core.audit import audit_actor
from taizhang.core.excel import Column, xlsx_response
from taizhang.core.scoping import MANAGE, can
from taizhang.core.history import masked
from taizhang.core.status import record_event

from .models import AccountState, Member, Role, RoleAssignment

RULES = {"phone": gettext_lazy("手机号"), "code": gettext_lazy("党员编号")}
PASSWORD_ALPHABET = "abcdefghjkmnpqrstuvwxyz23456789"  # no 0/O, 1/l/i: read off paper
PASSWORD_LENGTH = 10


def member_code(member: Member) -> str:
    """The member's code used as a username: ``dy`` and the member's id on 6 digits
    (``dy000042``); stable, never reused."""
    return f"dy{member.pk:06d}"


def username_for(member: Member, rule: str) -> str | None:
    """The username of ``member`` under ``rule`` ("phone": the 11-digit mobile number;
    "code": :func:`member_code`), or None when the member has no usable mobile number.
    ``ValueError`` for an unknown rule."""
    if rule == "code":
        return member_code(member)
    if rule != "phone":
        raise ValueError(f"unknown username rule: {rule}")
    digits = re.sub(r"\D", "", member.phone or "")
    return digits if re.fullmatch(r"1\d{10}", digits) else None


def one_time_password() -> str:
    """A random one-time password of :data:`PASSWORD_LENGTH` unambiguous characters."""
    return "".join(secrets.choice(PASSWORD_ALPHABET) for _ in range(PASSWORD_LENGTH))


@dataclass
class Issued:
    """One member's outcome: ``username`` and ``password`` when an account was made, else
    ``reason`` (why it was skipped)."""

    member: Member
    username: str = ""
    password: str = ""
    reason: str = ""


@transaction.atomic
def create_accounts(members, rule: str, *, actor) -> list[Issued]:
    """Create accounts for ``members`` (Member rows; those with an account or off the roster
    are skipped with a reason) with usernames by ``rule`` (a key of :data:`RULES`). Each
    account gets a one-time password, the ``member`` role on the member's branch and must
    change the password at first sign-in. ``PermissionDenied`` when ``actor`` does not
    manage every member's branch (the committee office of the subtree); ``ValidationError``
    for an unknown rule. Atomic; audited with ``actor`` (users, roles, members) and an
    ``account_created`` event per member. Returns one :class:`Issued` per member, in order."""
    if rule not in RULES:
        raise ValidationError({"rule": _("未知的用户名规则。")})
    members = list(members)
    for member in members:
        if not can(actor, MANAGE, member.org):
            raise PermissionDenied(_("只能为您管理的组织的党员开通账号。"))
    User = get_user_model()
    wanted = {m.pk: username_for(m, rule) for m in members}
    taken = set(User.objects.filter(username__in=[u for u in wanted.values() if u])
                .values_list("username", flat=True))
    result = []
    with audit_actor(actor):
        for member in members:
            username = wanted[member.pk]
            if member.user_id:
                result.append(Issued(member, reason=_("已有账号")))
            elif not member.is_active:
                result.append(Issued(member, reason=_("不在册")))
            elif not username:
                result.append(Issued(member, reason=_("没有可用的手机号")))
            elif username in taken:
                result.append(Issued(member, reason=_("用户名 %(u)s 已被使用") % {"u": username}))
            else:
                taken.add(username)
                password = one_time_password()
                user = User(username=username, first_name=member.name[:150], is_active=True)
                user.set_password(password)
                user.save()
                RoleAssignment.objects.create(user=user, org=member.org, role=Role.MEMBER)
                AccountState.objects.create(user=user, must_change_password=True, from_roster=True)
                member.user = user
                member.save(update_fields=["user", "updated_at"])
                record_event(member, "account_created", actor=actor, comment=masked(username))
                result.append(Issued(member, username=username, password=password))
    return result


def issued_sheet(issued: list[Issued], filename: str):
    """The one-time passwords as an Excel sheet to hand out (党组织, 姓名, 用户名, 初始密码,
    说明); members skipped are listed with the reason. Returns a download response."""
    columns = [Column("党组织", 20), Column("姓名", 12), Column("用户名", 16),
               Column("初始密码（首次登录须修改）", 24), Column("说明", 24)]
    rows = ([i.member.org.name, i.member.name, i.username, i.password, i.reason] for i in issued)
    return xlsx_response(filename, "账号", columns, rows)


def must_change(user) -> bool:
    """Whether ``user`` still has to replace a one-time password (one query)."""
    return AccountState.objects.filter(user_id=user.pk, must_change_password=True).exists()


@transaction.atomic
def password_changed(user) -> None:
    """The user set a password of their own: the first-login obligation is met."""
    AccountState.objects.filter(user_id=user.pk, must_change_password=True).update(
        must_change_password=False)


SESSION_KEY = "taizhang_must_change_password"


def on_login(sender, request, user, **kwargs) -> None:
    """``user_logged_in`` receiver: mark the session of a user with a one-time password, so
    the middleware needs no query per request."""
    if request is not None and hasattr(request, "session") and must_change(user):
        request.session[SESSION_KEY] = True


class ForcePasswordChangeMiddleware:
    """Sends a signed-in user whose password is still a one-time one (marked in the session
    at sign-in, :func:`on_login`) to the password change page: every page but that one,
    sign-out, language, static files, the API and the health check."""

    ALLOWED_PREFIXES = ("/static/", "/logout/", "/i18n/", "/api/", "/health/")

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        session = getattr(request, "session", None)
        if session is not None and session.get(SESSION_KEY):
            target = reverse("orgs:password_change")
            if request.path != target and not request.path.startswith(self.ALLOWED_PREFIXES):
                return redirect(target)
        return self.get_response(request)


def member_saved(sender, instance: Member, **kwargs) -> None:
    """Keep the account in step with the roster: a member off the roster cannot sign in; one
    back on the roster gets an account made from the roster back."""
    if not instance.user_id:
        return
    user = get_user_model().objects.filter(pk=instance.user_id).first()
    if user is None:
        return
    if not instance.is_active and user.is_active:
        user.is_active = False
        user.save(update_fields=["is_active"])
        record_event(instance, "account_disabled", comment=masked(user.username))
    elif (instance.is_active and not user.is_active
          and AccountState.objects.filter(user_id=user.pk, from_roster=True).exists()):
        user.is_active = True
        user.save(update_fields=["is_active"])
        record_event(instance, "account_enabled", comment=masked(user.username))

"""The one-time form token of ``core.badinput`` for hand-written views (not
``ObjectEditView``) whose POST makes something: an urging, a notice, a hand-added task.

A page renders :meth:`OneTimePost.token` as the hidden ``form_token``; its view calls
:meth:`OneTimePost.replayed` first (a replay of a used token is sent to what the first POST
made, nothing is written) and :meth:`OneTimePost.consume` inside the transaction of its
write (a concurrent replay rolls back and raises :class:`~taizhang.core.generic.DoubleSubmit`).
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpResponseRedirect
from django.utils.translation import gettext as _

from .badinput import FORM_TOKEN_FIELD, consume_form_token, issue_form_token, used_form_token
from .generic import DoubleSubmit


class OneTimePost:
    """The one-time token of one request's form. ``message``: what a replay is told (a
    translated string; default the record forms' 该表单已提交过…)."""

    def __init__(self, request, message: str | None = None):
        self.request = request
        self.posted = request.POST.get(FORM_TOKEN_FIELD) if request.method == "POST" else None
        self.message = message or _("该表单已提交过，未重复新增；以下是已保存的记录。")
        self._token = None

    def token(self) -> str:
        """The hidden field's value: the posted token (kept when the form is shown again
        with errors), else a new one."""
        if self._token is None:
            self._token = self.posted or issue_form_token()
        return self._token

    def replayed(self) -> HttpResponseRedirect | None:
        """A redirect to the first POST's result, with :attr:`message`, when this POST's
        token was used already; None otherwise (also for a GET or no token)."""
        done = used_form_token(self.posted)
        return self.redirect(done) if done else None

    def consume(self, url: str) -> None:
        """Record that this POST made the object at ``url``; call inside the write's
        transaction. Raises ``DoubleSubmit`` (with the first one's URL) when a concurrent
        POST used the token first, so the caller's transaction rolls back."""
        if not consume_form_token(self.posted, url):
            raise DoubleSubmit(used_form_token(self.posted))

    def redirect(self, url: str) -> HttpResponseRedirect:
        """Send a replay to ``url`` (the first result) with :attr:`message`."""
        messages.info(self.request, self.message)
        return HttpResponseRedirect(url)

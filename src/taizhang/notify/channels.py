"""Delivery channels: e-mail digests (Django's mail backends) and group-robot webhooks.

Webhook message formats follow each platform's documented JSON:

- WeCom group robot (企业微信群机器人): POST ``{"msgtype": "markdown", "markdown":
  {"content": …}}`` to ``https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=…``; the
  content is at most 4096 bytes of UTF-8; the reply is ``{"errcode": 0, "errmsg": "ok"}``.
- DingTalk custom robot (钉钉自定义机器人): POST ``{"msgtype": "markdown", "markdown":
  {"title": …, "text": …}}`` to ``https://oapi.dingtalk.com/robot/send?access_token=…``; with
  the optional signing secret (加签) the URL gets ``&timestamp=<ms>&sign=<s>`` where
  ``s = urlencode(base64(HMAC-SHA256(key=secret, msg=f"{timestamp}\\n{secret}")))``; the
  reply is ``{"errcode": 0, "errmsg": "ok"}``.

Both platforms limit a robot to about 20 messages a minute, which is why a run posts one
digest per robot rather than one message per reminder.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import json
import time
import urllib.error
import urllib.parse
import urllib.request

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils.translation import gettext as _

WECOM_MAX_BYTES = 4096
DINGTALK_MAX_BYTES = 18000  # DingTalk accepts ~20 000 bytes; stay below


class WebhookError(Exception):
    """A robot did not accept a message: network error, HTTP error or a non-zero errcode."""


def absolute_url(path: str) -> str:
    """``path`` (site-relative) prefixed with ``TAIZHANG_BASE_URL`` for e-mail and robots."""
    if not path or "://" in path:
        return path
    return settings.TAIZHANG_BASE_URL.rstrip("/") + path


def _fit(lines: list[str], header: str, limit: int, more: str) -> str:
    """Join ``header`` and as many ``lines`` as fit in ``limit`` UTF-8 bytes, then ``more``
    (formatted with the number left out) when some had to be dropped."""
    text = header
    for n, line in enumerate(lines):
        candidate = f"{text}\n{line}"
        left_after = len(lines) - n - 1
        reserve = len(("\n" + more % {"n": left_after}).encode()) if left_after else 0
        if len(candidate.encode()) + reserve > limit:
            return f"{text}\n{more % {'n': len(lines) - n}}"
        text = candidate
    return text


def digest_lines(reminders) -> list[str]:
    """One markdown line per reminder: ``- [subject](absolute url)`` and its body quoted."""
    lines = []
    for r in reminders:
        link = absolute_url(r.url)
        title = f"[{r.subject}]({link})" if link else r.subject
        lines.append(f"- {title}\n  > {r.body}" if r.body else f"- {title}")
    return lines


def digest_title(reminders) -> str:
    """The heading of a digest: the one subject, or a count."""
    if len(reminders) == 1:
        return reminders[0].subject
    return _("【台账】%(n)d 条工作提醒") % {"n": len(reminders)}


def wecom_payload(title: str, lines: list[str]) -> dict:
    """A WeCom markdown message of ``title`` and ``lines``, cut to 4096 UTF-8 bytes."""
    content = _fit(lines, f"**{title}**", WECOM_MAX_BYTES, _("……另有 %(n)d 条，请登录台账查看。"))
    return {"msgtype": "markdown", "markdown": {"content": content}}


def dingtalk_payload(title: str, lines: list[str]) -> dict:
    """A DingTalk markdown message (``title`` is what the chat list shows)."""
    text = _fit(lines, f"#### {title}", DINGTALK_MAX_BYTES, _("……另有 %(n)d 条，请登录台账查看。"))
    return {"msgtype": "markdown", "markdown": {"title": title[:64], "text": text}}


def dingtalk_sign(secret: str, timestamp_ms: int) -> str:
    """DingTalk's signature for ``timestamp_ms``: base64 HMAC-SHA256, not yet URL-encoded."""
    string_to_sign = f"{timestamp_ms}\n{secret}".encode()
    digest = hmac.new(secret.encode(), string_to_sign, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def dingtalk_signed_url(url: str, secret: str, timestamp_ms: int | None = None) -> str:
    """``url`` with ``timestamp`` and ``sign`` appended (DingTalk 加签); unchanged without a
    secret. ``timestamp_ms``: milliseconds since the epoch (default now)."""
    if not secret:
        return url
    timestamp_ms = timestamp_ms if timestamp_ms is not None else int(time.time() * 1000)
    query = urllib.parse.urlencode({"timestamp": timestamp_ms,
                                    "sign": dingtalk_sign(secret, timestamp_ms)})
    return f"{url}{'&' if '?' in url else '?'}{query}"


def post_json(url: str, payload: dict, timeout: float | None = None) -> dict:
    """POST ``payload`` as UTF-8 JSON to ``url`` and return the decoded JSON reply.

    Raises :class:`WebhookError` on a network error, a non-2xx status, a reply that is not
    JSON, or a reply whose ``errcode`` is not 0 (both platforms' error convention).
    """
    timeout = timeout or settings.NOTIFY_WEBHOOK_TIMEOUT
    data = json.dumps(payload, ensure_ascii=False).encode()
    request = urllib.request.Request(url, data=data, method="POST",
                                     headers={"Content-Type": "application/json; charset=utf-8"})
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:  # noqa: S310 (host checked)
            body = response.read(65536)
    except urllib.error.HTTPError as exc:
        raise WebhookError(f"HTTP {exc.code}") from exc
    except (urllib.error.URLError, OSError) as exc:
        raise WebhookError(f"network error: {exc}") from exc
    try:
        reply = json.loads(body.decode() or "{}")
    except ValueError as exc:
        raise WebhookError("reply is not JSON") from exc
    if reply.get("errcode", 0) != 0:
        raise WebhookError(f"errcode {reply.get('errcode')}: {reply.get('errmsg', '')}")
    return reply


def post_to_robot(webhook, title: str, lines: list[str]) -> dict:
    """Post a digest to ``webhook`` (an ``OrgWebhook``) in its platform's format."""
    if webhook.kind == "dingtalk":
        return post_json(dingtalk_signed_url(webhook.url, webhook.secret),
                         dingtalk_payload(title, lines))
    return post_json(webhook.url, wecom_payload(title, lines))


def send_email_digest(address: str, reminders) -> None:
    """One plain-text e-mail to ``address`` listing ``reminders`` (subject, body, link).

    Uses Django's configured mail backend; raises whatever the backend raises."""
    lines = []
    for r in reminders:
        lines.append(f"· {r.subject}")
        if r.body:
            lines.append(f"  {r.body}")
        if r.url:
            lines.append(f"  {absolute_url(r.url)}")
    lines.append("")
    lines.append(_("本邮件由台账系统自动发送；可在“通知设置”中关闭邮件提醒。"))
    EmailMessage(subject=digest_title(reminders), body="\n".join(lines),
                 from_email=settings.DEFAULT_FROM_EMAIL, to=[address]).send()

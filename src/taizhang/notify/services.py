"""Every write of the notify app: computing and sending reminders, reading notices,
group-robot configuration and the calendar-feed token.

Sending follows DESIGN.md "Background work": :func:`send_reminders` writes the
``Reminder`` rows (the "sent once" ledger) and the in-app notices in one transaction, and
only after it commits enqueues the e-mail and webhook deliveries as huey tasks
(:mod:`taizhang.notify.tasks`), which are idempotent: they send only rows still pending.
"""

from __future__ import annotations

import datetime as dt
import logging
import uuid
from collections import defaultdict
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import MANAGE, can

from .models import Channel, DeliveryStatus, Notice, NotifyProfile, OrgWebhook, Reminder, new_feed_token
from .registry import RunContext, get_kinds

logger = logging.getLogger(__name__)


@dataclass
class Planned:
    """One reminder row to create (before the run knows whether it exists already)."""

    kind: str
    content_type_id: int
    object_id: int
    key: str
    channel: str
    recipient_key: str
    org_id: int
    subject: str
    body: str
    url: str
    user: object = None
    webhook: OrgWebhook | None = None

    @property
    def unique(self) -> tuple:
        return (self.kind, self.content_type_id, self.object_id, self.key, self.recipient_key,
                self.channel)


@dataclass
class RunResult:
    """What one run did (or, for a dry run, would do): new reminder rows per kind and
    channel, and the rows themselves (``planned``) for printing."""

    today: dt.date
    dry_run: bool
    counts: dict[tuple[str, str], int] = field(default_factory=lambda: defaultdict(int))
    planned: list[Planned] = field(default_factory=list)
    skipped_existing: int = 0

    @property
    def total(self) -> int:
        return sum(self.counts.values())

    def summary(self) -> str:
        parts = [f"{kind}/{channel}: {n}" for (kind, channel), n in sorted(self.counts.items())]
        verb = "would send" if self.dry_run else "sent"
        return (f"{self.today:%Y-%m-%d}: {verb} {self.total} new reminder(s)"
                + (f" ({', '.join(parts)})" if parts else "")
                + f"; {self.skipped_existing} already sent before")


def _email_users(users) -> set[int]:
    """Ids of ``users`` who get e-mail: an address, and not opted out in their profile."""
    with_address = [u.pk for u in users if u.email]
    opted_out = set(NotifyProfile.objects.filter(user_id__in=with_address, email_enabled=False)
                    .values_list("user_id", flat=True))
    return {pk for pk in with_address if pk not in opted_out}


def plan_reminders(today: dt.date, kinds: list[str] | None = None) -> list[Planned]:
    """Every reminder row the declared kinds want today (existing ones included).

    ``kinds`` limits the run to those kind names (``KeyError`` for an unknown name).
    """
    ctx = RunContext(today=today)
    messages = []
    for kind in get_kinds(kinds):
        messages.extend((kind, message) for message in kind.collect(ctx))
    return plan_messages(messages)


def plan_messages(messages: list[tuple]) -> list[Planned]:
    """The reminder rows of ``messages`` ([(ReminderKind, registry.Message)]): a notice and
    (for users with an address who did not opt out) an e-mail per recipient, and a post to
    each enabled group robot of the message's organization, as the kind's channels say."""
    if not messages:
        return []
    all_users = {u.pk: u for _k, m in messages for u in m.recipients}
    emailable = _email_users(all_users.values())
    org_ids = {m.org.pk for _k, m in messages}
    webhooks = defaultdict(list)
    for hook in OrgWebhook.objects.filter(org_id__in=org_ids, enabled=True).order_by("pk"):
        webhooks[hook.org_id].append(hook)

    planned = []
    for kind, m in messages:
        ct = ContentType.objects.get_for_model(m.target)
        base = dict(kind=kind.name, content_type_id=ct.pk, object_id=m.target.pk, key=m.key,
                    org_id=m.org.pk, subject=m.subject[:300], body=m.body, url=m.url)
        for user in m.recipients:
            if Channel.NOTICE in kind.channels:
                planned.append(Planned(channel=Channel.NOTICE, recipient_key=f"user:{user.pk}",
                                       user=user, **base))
            if Channel.EMAIL in kind.channels and user.pk in emailable:
                planned.append(Planned(channel=Channel.EMAIL, recipient_key=f"user:{user.pk}",
                                       user=user, **base))
        if Channel.WEBHOOK in kind.channels:
            for hook in webhooks.get(m.org.pk, []):
                planned.append(Planned(channel=Channel.WEBHOOK, recipient_key=f"webhook:{hook.pk}",
                                       webhook=hook, **base))
    return planned


def _existing(planned: list[Planned]) -> set[tuple]:
    """Unique keys among ``planned`` that already have a Reminder row (one query per kind
    and content type)."""
    groups = defaultdict(set)
    for p in planned:
        groups[(p.kind, p.content_type_id)].add(p.object_id)
    found = set()
    for (kind, ct_id), object_ids in groups.items():
        found.update(Reminder.objects.filter(kind=kind, content_type_id=ct_id,
                                             object_id__in=object_ids)
                     .values_list("kind", "content_type_id", "object_id", "key",
                                  "recipient_key", "channel"))
    return found


def send_reminders(today: dt.date | None = None, kinds: list[str] | None = None,
                   dry_run: bool = False, channels: tuple[str, ...] | None = None) -> RunResult:
    """Compute today's reminders and send the ones not sent before.

    ``today``: a calendar date in Asia/Shanghai (default: today there). ``kinds``: kind
    names to run (default: every declared kind). ``dry_run``: compute and report, write
    nothing. ``channels``: only these channels (default: every channel of each kind; the
    others are left for a later run). Creates the ``Reminder`` rows and the in-app ``Notice`` rows in one
    transaction; e-mail and webhook deliveries are enqueued after commit, one task per
    recipient address / robot (a digest of that run's reminders). Safe to run again and
    concurrently: the unique constraint skips what exists, and only rows this run created
    (marked by a batch id) are delivered.
    """
    today = today or timezone.localdate()
    planned = plan_reminders(today, kinds)
    if channels is not None:
        planned = [p for p in planned if p.channel in channels]
    return _send_planned(planned, today, dry_run)


def send_messages(kind_name: str, messages: list, today: dt.date | None = None) -> RunResult:
    """Send ``messages`` (``registry.Message`` rows made by the caller, e.g. an urging or a
    notice from the office) as reminder kind ``kind_name`` on its channels, now: the same
    ledger, notices, e-mail and group-robot deliveries as :func:`send_reminders` (each
    (target, key, recipient, channel) still once). ``KeyError`` for an undeclared kind."""
    kind = get_kinds([kind_name])[0]
    return _send_planned(plan_messages([(kind, m) for m in messages]),
                         today or timezone.localdate(), dry_run=False)


def _send_planned(planned: list[Planned], today: dt.date, dry_run: bool) -> RunResult:
    """Write the rows of ``planned`` not written before (see :func:`send_reminders`)."""
    existing = _existing(planned)
    seen = set()
    new = []
    for p in planned:
        if p.unique in existing or p.unique in seen:
            continue
        seen.add(p.unique)
        new.append(p)
    result = RunResult(today=today, dry_run=dry_run, planned=new,
                       skipped_existing=len(planned) - len(new))
    for p in new:
        result.counts[(p.kind, p.channel)] += 1
    if dry_run or not new:
        return result

    batch = uuid.uuid4().hex
    with transaction.atomic():
        Reminder.objects.bulk_create(
            [Reminder(kind=p.kind, content_type_id=p.content_type_id, object_id=p.object_id,
                      key=p.key, channel=p.channel, recipient_key=p.recipient_key,
                      user=p.user, webhook=p.webhook, org_id=p.org_id, subject=p.subject,
                      body=p.body, url=p.url, batch=batch) for p in new],
            batch_size=500, ignore_conflicts=True,  # a concurrent run wrote it: skip
        )
        created = list(Reminder.objects.filter(batch=batch).order_by("pk"))
        _deliver_notices([r for r in created if r.channel == Channel.NOTICE])
        _enqueue_deliveries(created)
    if len(created) != len(new):  # another run won the race for some rows
        result.counts = defaultdict(int)
        for r in created:
            result.counts[(r.kind, r.channel)] += 1
    logger.info("reminders: %s", result.summary())
    return result


IMMEDIATE_KINDS = {"returned": "returned", "submitted": "review_waiting"}
"""Kinds sent as soon as their event commits, by the status the event moves to."""


def send_immediate_notices(kinds: list[str], today: dt.date | None = None) -> RunResult:
    """Write the in-app notices of ``kinds`` now, synchronously (no network, no worker).

    Called right after a return or a submission commits (:mod:`.signals`), so the secretary
    or the committee office sees the notice at once instead of at the next daily run. Goes
    through the ``Reminder`` ledger like every run, so each notice is still sent once; the
    e-mail and webhook rows of the same kinds are left to the huey task
    (``tasks.run_reminders``), which skips the notices written here."""
    return send_reminders(today, kinds=kinds, channels=(Channel.NOTICE,))


def _deliver_notices(rows: list[Reminder]) -> None:
    """In-app channel: one Notice per reminder row, written in the sender's transaction."""
    if not rows:
        return
    now = timezone.now()
    Notice.objects.bulk_create([Notice(user_id=r.user_id, title=r.subject, body=r.body,
                                       url=r.url, reminder=r) for r in rows], batch_size=500)
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=DeliveryStatus.SENT, sent_at=now, attempts=1)


def _enqueue_deliveries(rows: list[Reminder]) -> None:
    """After commit, enqueue one e-mail task per user and one webhook task per robot."""
    from . import tasks

    by_user, by_hook = defaultdict(list), defaultdict(list)
    for r in rows:
        if r.channel == Channel.EMAIL:
            by_user[r.user_id].append(r.pk)
        elif r.channel == Channel.WEBHOOK:
            by_hook[r.webhook_id].append(r.pk)
    for ids in by_user.values():
        transaction.on_commit(lambda ids=ids: tasks.deliver_email(ids))
    for hook_id, ids in by_hook.items():
        transaction.on_commit(lambda hook_id=hook_id, ids=ids: tasks.deliver_webhook(hook_id, ids))


# --- notices -------------------------------------------------------------------------

def mark_read(user, notice_ids: list[int] | None = None) -> int:
    """Mark ``user``'s notices read (the given ids, or all unread); returns how many.

    Ids of other users' notices are ignored (a user can never touch another's notice)."""
    notices = Notice.objects.restrict(user).unread()
    if notice_ids is not None:
        notices = notices.filter(pk__in=notice_ids)
    return notices.update(read_at=timezone.now())


# --- notification settings and feed token --------------------------------------------

def profile_for(user) -> NotifyProfile:
    """``user``'s notification profile, created with a fresh feed token on first use."""
    profile, _created = NotifyProfile.objects.get_or_create(user=user)
    return profile


def regenerate_feed_token(user) -> NotifyProfile:
    """Replace ``user``'s calendar-feed token: every feed URL given out before stops working."""
    profile = profile_for(user)
    profile.feed_token = new_feed_token()
    profile.token_created_at = timezone.now()
    profile.save(update_fields=["feed_token", "token_created_at"])
    return profile


def set_email_enabled(user, enabled: bool) -> NotifyProfile:
    """Turn reminder e-mails on or off for ``user`` (in-app notices always arrive)."""
    profile = profile_for(user)
    profile.email_enabled = enabled
    profile.save(update_fields=["email_enabled"])
    return profile


# --- group robots --------------------------------------------------------------------

def allowed_webhook_hosts(kind: str) -> list[str]:
    """Hosts a robot of ``kind`` may post to (setting ``NOTIFY_WEBHOOK_HOSTS``).

    Defaults to the platforms' own API hosts, so an org manager cannot make the server post
    to an arbitrary (e.g. intranet) address; an intranet relay can be added in settings."""
    return list(settings.NOTIFY_WEBHOOK_HOSTS.get(kind, []))


def validate_webhook_url(kind: str, url: str) -> None:
    """Raise ``ValidationError`` unless ``url`` is http(s) on an allowed host for ``kind``."""
    parts = urlsplit(url)
    host = (parts.hostname or "").lower()
    if parts.scheme not in ("https", "http") or host not in allowed_webhook_hosts(kind):
        raise ValidationError(
            _("Webhook 地址必须指向 %(hosts)s。") % {"hosts": "、".join(allowed_webhook_hosts(kind))
                                                   or _("（未配置允许的地址）")})


def save_webhook(user, webhook: OrgWebhook) -> OrgWebhook:
    """Create or update ``webhook`` after checking the "manage" action on its org (raises
    ``PermissionDenied``) and its address (raises ``ValidationError``). Audited."""
    if not can(user, MANAGE, webhook.org):
        raise PermissionDenied(_("您无权管理该组织的群机器人。"))
    if webhook.pk:
        stored = OrgWebhook.objects.get(pk=webhook.pk)
        if not can(user, MANAGE, stored.org):
            raise PermissionDenied(_("您无权管理该组织的群机器人。"))
    validate_webhook_url(webhook.kind, webhook.url)
    if webhook.kind != "dingtalk":
        webhook.secret = ""
    webhook.save()
    return webhook


def delete_webhook(webhook: OrgWebhook, *, actor) -> None:
    """Delete ``webhook`` (``actor`` needs "manage" on its org; raises ``PermissionDenied``).
    Audited with ``actor``."""
    if not can(actor, MANAGE, webhook.org):
        raise PermissionDenied(_("您无权管理该组织的群机器人。"))
    with audit_actor(actor):
        webhook.delete()


def send_test_message(user, webhook: OrgWebhook) -> None:
    """Enqueue (after commit) a test post to ``webhook`` so its manager can check it works."""
    from . import tasks

    if not can(user, MANAGE, webhook.org):
        raise PermissionDenied(_("您无权管理该组织的群机器人。"))
    transaction.on_commit(lambda: tasks.deliver_test(webhook.pk))


# --- deliveries (run by huey tasks; idempotent) ---------------------------------------

def _pending(ids: list[int], channel: str):
    return list(Reminder.objects.filter(pk__in=ids, channel=channel,
                                        status=DeliveryStatus.PENDING).order_by("pk"))


def _record_failure(rows: list[Reminder], error: str, max_attempts: int) -> bool:
    """Count a failed attempt on ``rows``; mark them failed at ``max_attempts``. Returns
    True when another attempt should follow."""
    attempts = max(r.attempts for r in rows) + 1
    final = attempts >= max_attempts
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(
        attempts=attempts, error=error[:1000],
        status=DeliveryStatus.FAILED if final else DeliveryStatus.PENDING)
    return not final


def _record_success(rows: list[Reminder]) -> None:
    Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), error="",
        attempts=max(r.attempts for r in rows) + 1)


class DeliveryFailed(Exception):
    """A delivery attempt failed and should be retried (huey retries the task)."""


def deliver_email(reminder_ids: list[int]) -> int:
    """Send the still-pending e-mail reminders among ``reminder_ids`` as one digest per
    recipient; returns the number of reminders sent. A second call sends nothing.

    A mail backend error is logged and counted on the rows; raises :class:`DeliveryFailed`
    (so huey retries) until ``NOTIFY_MAX_ATTEMPTS`` attempts, then the rows are "failed"."""
    from .channels import send_email_digest

    rows = _pending(reminder_ids, Channel.EMAIL)
    by_user = defaultdict(list)
    for r in rows:
        by_user[r.user_id].append(r)
    sent = 0
    retry = False
    users = get_user_model().objects.in_bulk(list(by_user))
    for user_id, group in by_user.items():
        user = users.get(user_id)
        if user is None or not user.email:
            Reminder.objects.filter(pk__in=[r.pk for r in group]).update(
                status=DeliveryStatus.FAILED, error="no e-mail address")
            continue
        try:
            send_email_digest(user.email, group)
        except Exception as exc:  # any backend error: log, count, retry later
            logger.warning("e-mail to user %s failed: %s", user_id, exc)
            retry |= _record_failure(group, str(exc), settings.NOTIFY_MAX_ATTEMPTS)
            continue
        _record_success(group)
        sent += len(group)
    if retry:
        raise DeliveryFailed("some e-mails failed; will retry")
    return sent


def deliver_webhook(webhook_id: int, reminder_ids: list[int]) -> int:
    """Post the still-pending webhook reminders among ``reminder_ids`` to robot
    ``webhook_id`` as one digest; returns the number sent (0 when nothing is pending, the
    robot was deleted or disabled). Failures are logged and counted; raises
    :class:`DeliveryFailed` for huey to retry until ``NOTIFY_MAX_ATTEMPTS``."""
    from .channels import WebhookError, digest_lines, digest_title, post_to_robot

    rows = [r for r in _pending(reminder_ids, Channel.WEBHOOK) if r.webhook_id == webhook_id]
    if not rows:
        return 0
    webhook = OrgWebhook.objects.filter(pk=webhook_id, enabled=True).first()
    if webhook is None:
        Reminder.objects.filter(pk__in=[r.pk for r in rows]).update(
            status=DeliveryStatus.FAILED, error="robot removed or disabled")
        return 0
    try:
        validate_webhook_url(webhook.kind, webhook.url)
        post_to_robot(webhook, digest_title(rows), digest_lines(rows))
    except (WebhookError, ValidationError) as exc:
        logger.warning("webhook %s (%s) failed: %s", webhook_id, webhook.kind, exc)
        if _record_failure(rows, str(exc), settings.NOTIFY_MAX_ATTEMPTS):
            raise DeliveryFailed(f"webhook {webhook_id}: {exc}") from exc
        return 0
    _record_success(rows)
    return len(rows)


def deliver_test(webhook_id: int) -> bool:
    """Post a test message to robot ``webhook_id``; True when the platform accepted it.
    Errors are logged, never raised (a test is not retried)."""
    from .channels import WebhookError, post_to_robot

    webhook = OrgWebhook.objects.filter(pk=webhook_id).first()
    if webhook is None:
        return False
    try:
        validate_webhook_url(webhook.kind, webhook.url)
        post_to_robot(webhook, _("【台账】群机器人测试消息"),
                      [_("%(org)s 的群机器人已接入台账，工作提醒将发送到本群。") % {"org": webhook.org.name}])
    except (WebhookError, ValidationError) as exc:
        logger.warning("test post to webhook %s failed: %s", webhook_id, exc)
        return False
    return True

"""Background tasks of the notify app (huey, DESIGN.md "Background work").

``taizhang worker`` runs the consumer, which imports this module (and every app's
``tasks.py``). Every task is idempotent: the daily run skips reminders already in the
ledger, deliveries send only rows still pending. Tasks that deliver are enqueued by
:mod:`taizhang.notify.services` only after the writing transaction commits.
"""

from __future__ import annotations

import datetime as dt
import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from taizhang.core.workdays import is_workday

from . import services

logger = logging.getLogger(__name__)


def reminder_time() -> tuple[int, int]:
    """(hour, minute) of the daily run from ``NOTIFY_REMINDER_TIME`` ("HH:MM", local time of
    ``TIME_ZONE``, Asia/Shanghai; huey runs with ``utc=False`` and Django sets the process
    time zone to ``TIME_ZONE``). Raises ``ValueError`` for a malformed value."""
    hour, minute = (int(part) for part in settings.NOTIFY_REMINDER_TIME.split(":"))
    if not (0 <= hour < 24 and 0 <= minute < 60):
        raise ValueError(f"NOTIFY_REMINDER_TIME out of range: {settings.NOTIFY_REMINDER_TIME}")
    return hour, minute


_HOUR, _MINUTE = reminder_time()


def run_daily(today: dt.date | None = None):
    """The daily reminder run: skipped on non-working days (holidays and weekends per the
    Chinese calendar, ``NOTIFY_WORKDAYS_ONLY``), so nobody is urged on a holiday; what fell
    due meanwhile is sent on the next working day. Returns the run result or None."""
    today = today or timezone.localdate()
    if settings.NOTIFY_WORKDAYS_ONLY and not is_workday(today):
        logger.info("reminders: %s is not a working day, nothing sent", today)
        return None
    with HUEY.lock_task("notify-send-reminders"):
        return services.send_reminders(today)


@db_periodic_task(crontab(minute=str(_MINUTE), hour=str(_HOUR)), name="notify.daily_reminders")
def daily_reminders():
    """Every day at NOTIFY_REMINDER_TIME: compute and send reminders (see :func:`run_daily`)."""
    result = run_daily()
    return result.total if result else 0


@db_task(name="notify.run_reminders")
def run_reminders(kinds: list[str]):
    """Run the named reminder kinds now (e.g. "returned" right after a return)."""
    with HUEY.lock_task("notify-send-reminders"):
        return services.send_reminders(kinds=kinds).total


@db_task(retries=settings.NOTIFY_MAX_ATTEMPTS - 1, retry_delay=settings.NOTIFY_RETRY_DELAY,
         name="notify.deliver_email")
def deliver_email(reminder_ids: list[int]):
    """Send pending e-mail reminders (one digest per recipient); retried on failure."""
    return services.deliver_email(reminder_ids)


@db_task(retries=settings.NOTIFY_MAX_ATTEMPTS - 1, retry_delay=settings.NOTIFY_RETRY_DELAY,
         name="notify.deliver_webhook")
def deliver_webhook(webhook_id: int, reminder_ids: list[int]):
    """Post pending reminders to one group robot as a digest; retried on failure."""
    return services.deliver_webhook(webhook_id, reminder_ids)


@db_task(name="notify.deliver_test")
def deliver_test(webhook_id: int):
    """Post a test message to a group robot (not retried)."""
    return services.deliver_test(webhook_id)

"""Background tasks of core (huey, run by ``taizhang worker``): the daily backup, the daily
pruning of used one-time form tokens (:func:`core.badinput.prune_form_tokens`), the daily
removal of old job files (:func:`prune_job_files`) and the large imports and exports of
:mod:`taizhang.core.jobs`.

At ``TAIZHANG_BACKUP_TIME`` (local "HH:MM", default 02:30) the worker writes
``TAIZHANG_VAR_DIR/backups/taizhang-YYYYmmdd-HHMMSS.tar.gz`` and keeps the newest
``TAIZHANG_BACKUP_KEEP`` (default 7). ``TAIZHANG_BACKUP_KEEP=0`` turns the daily backup off.
"""

from __future__ import annotations

import logging
from pathlib import Path

from django.conf import settings
from huey import crontab
from huey.contrib.djhuey import HUEY, db_periodic_task, db_task

from .backup import create_backup, prune_backups
from .badinput import prune_form_tokens

logger = logging.getLogger(__name__)
_HOUR, _MINUTE = (int(part) for part in settings.TAIZHANG_BACKUP_TIME.split(":"))


def run_daily_backup() -> Path | None:
    """Write one backup into ``var/backups`` and prune to ``TAIZHANG_BACKUP_KEEP`` archives;
    returns the archive, or None when the daily backup is off (keep 0)."""
    keep = settings.TAIZHANG_BACKUP_KEEP
    if keep <= 0:
        return None
    with HUEY.lock_task("core-daily-backup"):
        path, _manifest = create_backup()
        removed = prune_backups(path.parent, keep)
    logger.info("daily backup %s written, %d old ones removed", path, len(removed))
    return path


@db_periodic_task(crontab(minute=str(_MINUTE), hour=str(_HOUR)), name="core.daily_backup")
def daily_backup():
    """Every day at TAIZHANG_BACKUP_TIME: :func:`run_daily_backup`."""
    path = run_daily_backup()
    return str(path) if path else ""


@db_periodic_task(crontab(minute="10", hour="3"), name="core.prune_form_tokens")
def prune_used_form_tokens():
    """Every day at 03:10: forget used one-time form tokens older than two days."""
    return prune_form_tokens()


def prune_job_files(days: int | None = None) -> int:
    """Remove the folders of finished background jobs (imports and exports, ``core.jobs``)
    older than ``days`` (default ``TAIZHANG_JOB_KEEP_DAYS``); returns how many."""
    from .jobs import prune

    days = settings.TAIZHANG_JOB_KEEP_DAYS if days is None else days
    return prune(days * 24 * 3600)


@db_periodic_task(crontab(minute="20", hour="3"), name="core.prune_job_files")
def prune_old_job_files():
    """Every day at 03:20: :func:`prune_job_files`."""
    return prune_job_files()


@db_task(name="core.run_job")
def run_job(job_id: str):
    """Run a queued import job (:func:`taizhang.core.jobs.execute`); returns its status."""
    from .jobs import execute

    return execute(job_id)["status"]

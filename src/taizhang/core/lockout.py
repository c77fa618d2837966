"""Login throttling that never turns a failed login into a server error (issue 13 §1).

django-axes records every failed login in the database. When that write cannot get the
database (SQLite busy beyond its timeout while a long write runs; PostgreSQL unable to take
a lock in time), axes' database handler raises and the login page answers 500. This handler
tries the write again once after a short pause and, if the database is still busy, logs a
warning and lets the login page answer as for any failed login ("用户名或密码不正确"): the
visitor is not told about the server, and only that one failure goes uncounted.
Settings: ``AXES_HANDLER = "taizhang.core.lockout.BusyTolerantHandler"``.
"""

from __future__ import annotations

import logging
import time

from axes.handlers.database import AxesDatabaseHandler
from django.db import OperationalError, transaction

logger = logging.getLogger(__name__)

RETRY_PAUSE = 0.5  # seconds before the one retry


def is_busy(error: OperationalError) -> bool:
    """True for the errors of a database that is busy, not broken: SQLite's "database is
    locked"/"database table is locked", PostgreSQL's lock or statement timeouts."""
    text = str(error).lower()
    return "locked" in text or "lock timeout" in text or "canceling statement" in text


class BusyTolerantHandler(AxesDatabaseHandler):
    """axes' database handler whose failed-login record survives a busy database."""

    def user_login_failed(self, sender, credentials: dict, request=None, **kwargs):
        """Record the failure (axes), inside a savepoint; on a busy database retry once,
        then log and give up on this one record. Other database errors are raised."""
        for attempt in (1, 2):
            try:
                with transaction.atomic():
                    return super().user_login_failed(sender, credentials, request, **kwargs)
            except OperationalError as error:
                if not is_busy(error):
                    raise
                if attempt == 2:
                    logger.warning("failed login not recorded, the database is busy: %s", error)
                    return None
                time.sleep(RETRY_PAUSE)
        return None

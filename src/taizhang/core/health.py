"""``/health/``: the site's health for a monitor or a reverse proxy (django-health-check).

Answers the status of the database (``SELECT 1``), the upload storage (a probe file saved,
read back and deleted under MEDIA_ROOT) and the background-job queue (huey's storage
answers). Anonymous, never cached, and it shows no data: only each check's name and
"OK" or a short reason. JSON with ``?format=json`` or ``Accept: application/json``, plain
text with ``?format=text``; HTTP 500 when a check fails (issue 13 §2).
"""

from __future__ import annotations

import dataclasses

from health_check.base import HealthCheck
from health_check.exceptions import ServiceUnavailable
from health_check.views import HealthCheckView


@dataclasses.dataclass
class JobQueue(HealthCheck):
    """The huey queue (``var/huey.sqlite3`` or Redis) answers a count of pending jobs.

    Raises ``ServiceUnavailable`` naming the storage class when it does not (the message
    carries no address or path)."""

    def run(self):
        from huey.contrib.djhuey import HUEY

        try:
            HUEY.pending_count()
        except Exception as exc:  # any storage error (sqlite3, redis) means "down"
            raise ServiceUnavailable(f"{type(HUEY.storage).__name__}: {type(exc).__name__}") from exc


class HealthView(HealthCheckView):
    """The checks of ``/health/``: database, default file storage, job queue."""

    checks = (
        "health_check.checks.Database",
        "health_check.checks.Storage",
        JobQueue,
    )

"""Background report jobs (huey): a long report is made by ``taizhang worker``, never in a
web request; its page shows the progress and the file when ready (issue 11 §3)."""

from __future__ import annotations

import logging

from django.conf import settings
from django.utils import timezone
from huey import crontab
from huey.contrib.djhuey import db_periodic_task, db_task

logger = logging.getLogger(__name__)


def run_job(job_id: int) -> None:
    """Make the report of job ``job_id`` with the rights of the user who asked for it,
    storing progress as it goes. Idempotent: a job already done or failed is left alone."""
    import tempfile
    from pathlib import Path

    from django.core.files import File

    from .generate import write_file
    from .kinds import get_kind
    from .models import JobStatus, ReportJob
    from .params import resolve

    job = ReportJob.objects.select_related("requested_by").filter(pk=job_id).first()
    if job is None or job.status in (JobStatus.DONE, JobStatus.FAILED):
        return

    def progress(percent: int) -> None:
        ReportJob.objects.filter(pk=job.pk).update(progress=percent)

    ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.RUNNING, progress=5)
    try:
        kind = get_kind(job.kind)
        params = resolve(kind, job.params, job.requested_by)
        with tempfile.TemporaryDirectory(prefix="taizhang-job-") as tmp:
            path = Path(tmp) / f"report.{job.fmt}"
            name = write_file(kind, params, job.fmt, path, progress=progress)
            job.refresh_from_db()
            with path.open("rb") as handle:
                job.file.save(name, File(handle), save=False)
    except Exception as exc:  # any failure is shown on the job's page, not lost in a log
        logger.exception("report job %s failed", job.pk)
        ReportJob.objects.filter(pk=job.pk).update(status=JobStatus.FAILED, message=str(exc)[:2000],
                                                   finished_at=timezone.now())
        return
    job.filename, job.status, job.progress, job.finished_at = name, JobStatus.DONE, 100, timezone.now()
    job.save(update_fields=["file", "filename", "status", "progress", "finished_at"])


@db_task(name="reports.run_report_job")
def run_report_job(job_id: int):
    """The worker's entry point: :func:`run_job`."""
    run_job(job_id)


def prune_jobs(days: int | None = None) -> int:
    """Delete report jobs finished (done or failed) more than ``days`` ago (default
    ``TAIZHANG_JOB_KEEP_DAYS``) with their files; returns how many. A job still queued or
    running is kept whatever its age."""
    import datetime as dt

    from .models import JobStatus, ReportJob

    days = settings.TAIZHANG_JOB_KEEP_DAYS if days is None else days
    old = ReportJob.objects.filter(status__in=(JobStatus.DONE, JobStatus.FAILED),
                                   finished_at__lt=timezone.now() - dt.timedelta(days=days))
    count = 0
    for job in old.iterator():
        if job.file:
            job.file.delete(save=False)
        job.delete()
        count += 1
    return count


@db_periodic_task(crontab(minute="25", hour="3"), name="reports.prune_jobs")
def prune_old_jobs():
    """Every day at 03:25: :func:`prune_jobs`."""
    return prune_jobs()

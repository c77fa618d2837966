"""Background report jobs (huey): a long report is made by ``taizhang worker``, never in a
web request; its page shows the progress and the file when ready (issue 11 §3)."""

from __future__ import annotations

import logging

from django.utils import timezone
from huey.contrib.djhuey import db_task

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

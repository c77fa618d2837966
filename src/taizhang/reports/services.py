"""Writes of the reports app (audited): uploading and removing templates, starting jobs."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.base import ContentFile
from django.db import transaction

from taizhang.core.audit import audit_actor
from taizhang.core.scoping import MANAGE, can
from taizhang.core.uploads import check_upload

from . import templating
from .kinds import get_kind
from .models import ReportJob, ReportTemplate


def upload_template(data: dict, *, actor) -> ReportTemplate:
    """Store an office's template ``data`` = {"kind", "org", "file" (UploadedFile)} after
    checking it (``templating.check_template``); replaces the org's earlier template of that
    report. Raises ``PermissionDenied`` unless ``actor`` manages ``org``, and
    ``ValidationError`` with every reason (each naming the file and the placeholder)."""
    kind, org, upload = get_kind(data["kind"]), data["org"], data["file"]
    if not can(actor, MANAGE, org):
        raise PermissionDenied
    check_upload(upload, {".docx"})
    name = upload.name.rsplit("/", 1)[-1]
    try:
        content = templating.check_template(upload.read(), kind.schema, name=name)
    except templating.TemplateRefused as exc:
        raise ValidationError(exc.errors) from None
    with transaction.atomic(), audit_actor(actor):
        ReportTemplate.objects.filter(org=org, kind=kind.code).delete()
        template = ReportTemplate(org=org, kind=kind.code, name=name, uploaded_by=actor)
        template.file.save(name, ContentFile(content), save=False)
        template.save()
    return template


def delete_template(template: ReportTemplate, *, actor) -> None:
    """Remove an uploaded template (the report falls back to the next one up, or the
    shipped one). Raises ``PermissionDenied`` unless ``actor`` manages its org."""
    if not can(actor, MANAGE, template.org):
        raise PermissionDenied
    with transaction.atomic(), audit_actor(actor):
        template.file.delete(save=False)
        template.delete()


def start_job(kind_code: str, fmt: str, raw: dict, org, *, actor) -> ReportJob:
    """Queue a report for the worker (``reports.tasks.run_report_job``) after the commit;
    ``raw`` are the page's parameters, ``org`` the organization it covers."""
    from .tasks import run_report_job

    job = ReportJob.objects.create(org=org, kind=kind_code, fmt=fmt, params=raw, requested_by=actor)
    transaction.on_commit(lambda: run_report_job(job.pk))
    return job

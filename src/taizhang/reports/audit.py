"""Uploaded report templates are audited (who uploaded or removed which template)."""

from auditlog.registry import auditlog

from .models import ReportTemplate

auditlog.register(ReportTemplate, exclude_fields=["file"])

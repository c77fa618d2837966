"""Register core business models with the audit trail."""

from auditlog.registry import auditlog

from .models import Attachment

auditlog.register(Attachment, exclude_fields=["file"])

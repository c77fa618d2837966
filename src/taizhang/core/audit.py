"""Register core business models with the audit trail."""

from auditlog.registry import auditlog

from .models import ApiToken, Attachment

auditlog.register(Attachment, exclude_fields=["file"])
auditlog.register(ApiToken, exclude_fields=["key_hash", "last_used_at"])

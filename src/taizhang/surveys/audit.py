"""Register the office's models with the audit trail (django-auditlog).

Responses, answers and tokens are deliberately not registered: an audit entry keeps the
client's address, and the respondents are anonymous (issue 10 §5)."""

from auditlog.registry import auditlog

from .models import Survey

auditlog.register(Survey, exclude_fields=["response_count"])

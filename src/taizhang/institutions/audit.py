"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Institution, TypicalCase

auditlog.register(Institution, m2m_fields={"problems", "measures"})
auditlog.register(TypicalCase)

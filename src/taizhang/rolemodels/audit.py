"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import Objection, RoleModel

auditlog.register(RoleModel)
auditlog.register(Objection)

"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    Assignment,
    Campaign,
    EvidenceRule,
    Occurrence,
    Plan,
    PlanImport,
    PlanItem,
    PlanReview,
)

auditlog.register(Campaign)
auditlog.register(Plan, exclude_fields=["diagnostics"])
auditlog.register(PlanItem)
auditlog.register(EvidenceRule)  # rule edits change statuses: who changed a rule is kept
auditlog.register(Assignment)
auditlog.register(Occurrence)
auditlog.register(PlanImport, exclude_fields=["draft"])
auditlog.register(PlanReview)

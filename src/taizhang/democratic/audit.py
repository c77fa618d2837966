"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import ExamReview, ExamVersion, LifeMeeting, Opinion, SelfExamination, Statement, Supervision

for model in (Opinion, SelfExamination, LifeMeeting, Statement, Supervision, ExamVersion, ExamReview):
    auditlog.register(model)

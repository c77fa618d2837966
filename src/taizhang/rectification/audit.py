"""Register this app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import ExtensionRequest, Problem, ProblemListReview, ProblemSource, ProgressUpdate, Rectification

auditlog.register(ProblemSource)
auditlog.register(Problem)
# ``version`` and the derived dates change with every save; they are not news for a reader.
auditlog.register(Rectification, exclude_fields=["version", "due_workday", "effective_due",
                                                 "updated_at", "created_at"])
auditlog.register(ProgressUpdate)
auditlog.register(ExtensionRequest)
auditlog.register(ProblemListReview)

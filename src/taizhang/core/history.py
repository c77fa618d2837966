"""The audit trail of one object, for the "history" panel of detail pages."""

from auditlog.models import LogEntry


def history_for(obj, limit: int = 50):
    """Return the newest ``limit`` audit entries of ``obj`` (who, when, what changed)."""
    return (
        LogEntry.objects.get_for_object(obj)
        .select_related("actor")
        .order_by("-timestamp")[:limit]
    )

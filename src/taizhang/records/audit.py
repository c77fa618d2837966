"""Register the records app's business models with the audit trail (django-auditlog)."""

from auditlog.registry import auditlog

from .models import (
    Attendance,
    ElectionResult,
    Lecture,
    Meeting,
    Motion,
    Reading,
    ResearchVisit,
    SelfStudy,
    StudyAttendance,
    StudySession,
    Suggestion,
    Talk,
)

auditlog.register(Meeting, exclude_fields=["sign_in_token"])
auditlog.register(Attendance)
auditlog.register(Motion)
auditlog.register(ElectionResult)
auditlog.register(StudySession, m2m_fields={"readings"})
auditlog.register(StudyAttendance)
auditlog.register(Reading)
auditlog.register(SelfStudy)
auditlog.register(Lecture)
auditlog.register(ResearchVisit)
auditlog.register(Talk)
auditlog.register(Suggestion)

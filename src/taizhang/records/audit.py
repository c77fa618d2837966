"""Register the records app's business models with the audit trail (django-auditlog).

The rows that belong to a record (attendance of a meeting or study session, a meeting's
motions and election results) are not registered: they are written in bulk, a constant
number of queries per save, which auditlog's per-row signals would neither see nor allow
(a registered model is deleted row by row). Their changes are audited on the record
instead, one entry per change with before/after texts ("出席情况", "出席变动", "表决事项",
"选举结果"), so the record's history panel shows them (``services.set_attendance``,
``services.set_motions``, ``services.set_election_results``, ``services.sign_in``); a
deleted record's entry keeps what they were (``services.delete_record``).
"""

from auditlog.registry import auditlog

from .models import (
    Lecture,
    Meeting,
    Reading,
    ResearchVisit,
    SelfStudy,
    StudySession,
    Suggestion,
    Talk,
)

auditlog.register(Meeting, exclude_fields=["sign_in_token"])
auditlog.register(StudySession, m2m_fields={"readings"})
auditlog.register(Reading)
auditlog.register(SelfStudy)
auditlog.register(Lecture, m2m_fields={"co_speakers"})
auditlog.register(ResearchVisit)
auditlog.register(Talk)
auditlog.register(Suggestion)

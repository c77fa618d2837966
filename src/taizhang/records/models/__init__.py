"""Models of the records app (DESIGN.md glossary): the real records of work, entered once."""

from .activity import MemberActivity
from .attendance import AttendanceBase, AttendanceStatus, AttendedRecord, attach_counts, count_expressions
from .meetings import (
    TEAM_KINDS,
    THREE_MEETINGS_ONE_LECTURE,
    Attendance,
    AttendedQuerySet,
    ElectionResult,
    Meeting,
    MeetingKind,
    Motion,
    MotionKind,
    STORED_COUNTS,
    stored_count_expressions,
    stored_count_values,
)
from .film import FilmViewing
from .study import Reading, SelfStudy, StudyAttendance, StudyKind, StudySession, StudyTheme
from .work import (
    Lecture,
    LectureKind,
    ReportStatus,
    ResearchMethod,
    ResearchVisit,
    Suggestion,
    SuggestionStatus,
    Talk,
    TalkMode,
    TalkPurpose,
    TalkRelation,
)

__all__ = [
    "TEAM_KINDS", "THREE_MEETINGS_ONE_LECTURE", "Attendance", "AttendanceBase", "AttendanceStatus",
    "AttendedQuerySet", "AttendedRecord", "MemberActivity", "ElectionResult", "FilmViewing", "Lecture", "LectureKind", "Meeting",
    "MeetingKind", "Motion", "MotionKind", "Reading", "ReportStatus", "ResearchMethod",
    "ResearchVisit", "SelfStudy", "StudyAttendance", "StudyKind", "StudySession", "StudyTheme",
    "Suggestion", "SuggestionStatus", "Talk", "TalkMode", "TalkPurpose", "TalkRelation",
    "STORED_COUNTS", "attach_counts", "count_expressions", "stored_count_expressions", "stored_count_values",
]

"""Endpoints of the records app, registered on the project API router."""

from . import views

routes = [
    ("meetings", views.MeetingViewSet),
    ("attendance", views.AttendanceViewSet),
    ("study-sessions", views.StudySessionViewSet),
    ("study-attendance", views.StudyAttendanceViewSet),
    ("readings", views.ReadingViewSet),
    ("self-studies", views.SelfStudyViewSet),
    ("lectures", views.LectureViewSet),
    ("research-visits", views.ResearchVisitViewSet),
    ("talks", views.TalkViewSet),
    ("suggestions", views.SuggestionViewSet),
]

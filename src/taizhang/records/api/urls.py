"""Endpoints of the records app, registered on the project API router: one per registered
record kind (``records.sources``, prefix ``api_prefix``), plus the read-only attendance rows
and the reading list."""

from taizhang.core.sources import sources

from . import views

routes = [
    *[(source.api_prefix, views.viewset_for(source)) for source in sources("records")],
    ("attendance", views.AttendanceViewSet),
    ("study-attendance", views.StudyAttendanceViewSet),
    ("readings", views.ReadingViewSet),
]

"""Endpoints of the notify app, registered on the project API router."""

from . import views

routes = [
    ("notices", views.NoticeViewSet),
]

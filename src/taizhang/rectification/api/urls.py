"""Endpoints of the rectification app, registered on the project API router."""

from . import views

routes = [
    ("problems", views.ProblemViewSet),
    ("rectifications", views.RectificationViewSet),
    ("progress-updates", views.ProgressUpdateViewSet),
]

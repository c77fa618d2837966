"""Endpoints of the evaluation app, registered on the project's API router."""

from . import views

routes = [
    ("appraisals", views.AppraisalViewSet),
]

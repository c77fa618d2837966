"""Endpoints of the plans app, registered on the project's API router."""

from . import views

routes = [
    ("campaigns", views.CampaignViewSet),
    ("plan-items", views.PlanItemViewSet),
    ("assignments", views.AssignmentViewSet),
    ("occurrences", views.OccurrenceViewSet),
]

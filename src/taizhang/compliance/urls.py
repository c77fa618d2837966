from django.urls import path

from . import views

app_name = "compliance"

urlpatterns = [
    path("", views.overview, name="overview"),
    path("export/", views.export, name="export"),
    path("rules/", views.rules, name="rules"),
    path("calendar/<int:pk>/", views.calendar, name="calendar"),
]

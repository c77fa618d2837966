"""URLs of the reports app."""

from django.urls import path

from . import views

app_name = "reports"

urlpatterns = [
    path("", views.report_index, name="index"),
    path("templates/", views.template_list, name="templates"),
    path("templates/<int:pk>/", views.template_download, name="template_download"),
    path("templates/<int:pk>/delete/", views.template_delete, name="template_delete"),
    path("templates/shipped/<slug:kind>/", views.shipped_download, name="shipped_template"),
    path("jobs/<int:pk>/", views.job_detail, name="job_detail"),
    path("jobs/<int:pk>/download/", views.job_download, name="job_download"),
    path("<slug:kind>/", views.report_page, name="report"),
    path("<slug:kind>/download/<str:fmt>/", views.report_download, name="download"),
    path("<slug:kind>/job/<str:fmt>/", views.job_start, name="job_start"),
]

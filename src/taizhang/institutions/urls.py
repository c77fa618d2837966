"""URLs of the institutions app (建章立制, 典型案例)."""

from django.urls import path

from . import views

app_name = "institutions"

urlpatterns = [
    path("", views.InstitutionListView.as_view(), name="institution_list"),
    path("add/", views.InstitutionEditView.as_view(), name="institution_add"),
    path("export/", views.InstitutionExportView.as_view(), name="institution_export"),
    path("<int:pk>/", views.InstitutionDetailView.as_view(), name="institution_detail"),
    path("<int:pk>/edit/", views.InstitutionEditView.as_view(), name="institution_edit"),
    path("<int:pk>/delete/", views.InstitutionDeleteView.as_view(), name="institution_delete"),
    path("cases/", views.CaseListView.as_view(), name="case_list"),
    path("cases/add/", views.CaseEditView.as_view(), name="case_add"),
    path("cases/export/", views.CaseExportView.as_view(), name="case_export"),
    path("cases/<int:pk>/", views.CaseDetailView.as_view(), name="case_detail"),
    path("cases/<int:pk>/edit/", views.CaseEditView.as_view(), name="case_edit"),
    path("cases/<int:pk>/delete/", views.CaseDeleteView.as_view(), name="case_delete"),
]

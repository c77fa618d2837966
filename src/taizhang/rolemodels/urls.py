"""URLs of the role models app (先进典型)."""

from django.urls import path

from . import views

app_name = "rolemodels"

urlpatterns = [
    path("", views.RoleModelListView.as_view(), name="rolemodel_list"),
    path("add/", views.RoleModelEditView.as_view(), name="rolemodel_add"),
    path("export/", views.RoleModelExportView.as_view(), name="rolemodel_export"),
    path("<int:pk>/", views.RoleModelDetailView.as_view(), name="rolemodel_detail"),
    path("<int:pk>/edit/", views.RoleModelEditView.as_view(), name="rolemodel_edit"),
    path("<int:pk>/delete/", views.RoleModelDeleteView.as_view(), name="rolemodel_delete"),
    path("<int:pk>/move/<str:name>/", views.rolemodel_move, name="rolemodel_move"),
    path("<int:pk>/objection/", views.objection_add, name="objection_add"),
    path("objection/<int:pk>/handle/", views.objection_handle, name="objection_handle"),
    path("campaign/<int:campaign_pk>/publicity/", views.publicity, name="publicity"),
]

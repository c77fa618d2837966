"""URLs of the evaluation app (民主评议党员; the committee view across branches)."""

from django.urls import path

from . import views

app_name = "evaluation"

urlpatterns = [
    path("", views.AppraisalListView.as_view(), name="appraisal_list"),
    path("add/", views.AppraisalEditView.as_view(), name="appraisal_add"),
    path("branches/", views.branch_life_view, name="branch_life"),
    path("export/", views.AppraisalExportView.as_view(), name="appraisal_export"),
    path("<int:pk>/", views.AppraisalDetailView.as_view(), name="appraisal_detail"),
    path("<int:pk>/edit/", views.AppraisalEditView.as_view(), name="appraisal_edit"),
]

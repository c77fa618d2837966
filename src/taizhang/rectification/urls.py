from django.urls import path

from . import views, views_io

app_name = "rectification"
urlpatterns = [
    path("", views.LedgerView.as_view(), name="ledger"),
    path("problems/", views.ProblemListView.as_view(), name="problem_list"),
    path("problems/add/", views.ProblemEditView.as_view(), name="problem_add"),
    path("problems/similar/", views.problem_similar, name="problem_similar"),
    path("problems/review/<int:org_pk>/", views.list_review, name="list_review"),
    path("problems/<int:pk>/", views.ProblemDetailView.as_view(), name="problem_detail"),
    path("problems/<int:pk>/edit/", views.ProblemEditView.as_view(), name="problem_edit"),
    path("problems/<int:pk>/dossier.docx", views_io.problem_docx, name="problem_docx"),
    path("problems/<int:problem_pk>/measures/add/", views.MeasureEditView.as_view(), name="measure_add"),
    path("measures/<int:pk>/", views.MeasureDetailView.as_view(), name="measure_detail"),
    path("measures/<int:pk>/edit/", views.MeasureEditView.as_view(), name="measure_edit"),
    path("measures/<int:pk>/updates/add/", views.update_add, name="update_add"),
    path("measures/<int:pk>/move/<str:name>/", views.measure_transition, name="measure_transition"),
    path("measures/<int:pk>/extension/", views.extension_request, name="extension_request"),
    path("extensions/<int:pk>/decide/", views.extension_decide, name="extension_decide"),
    path("export.xlsx", views_io.export_xlsx, name="export_xlsx"),
    path("export.csv", views_io.export_csv, name="export_csv"),
    path("export.docx", views_io.export_docx, name="export_docx"),
    path("import/", views_io.import_upload, name="import"),
    path("import/confirm/", views_io.import_confirm, name="import_confirm"),
]

"""URLs of the surveys app (群众满意度测评): office pages and the public answer page."""

from django.urls import path

from . import views, views_public

app_name = "surveys"

urlpatterns = [
    path("", views.SurveyListView.as_view(), name="survey_list"),
    path("add/", views.SurveyEditView.as_view(), name="survey_add"),
    path("export/", views.SurveyExportView.as_view(), name="survey_export"),
    path("<int:pk>/", views.SurveyDetailView.as_view(), name="survey_detail"),
    path("<int:pk>/edit/", views.SurveyEditView.as_view(), name="survey_edit"),
    path("<int:pk>/delete/", views.SurveyDeleteView.as_view(), name="survey_delete"),
    path("<int:pk>/results.xlsx", views.survey_results_export, name="survey_results_export"),
    path("<int:pk>/tokens/", views.survey_tokens, name="survey_tokens"),
    path("<int:pk>/tokens/issue/", views.survey_tokens_issue, name="survey_tokens_issue"),
    path("response/<int:pk>/problem/", views.opinion_to_problem, name="opinion_to_problem"),
    path("t/<str:token>/", views_public.answer, name="answer"),
]

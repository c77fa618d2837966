"""URLs of the democratic app (民主生活会: opinions, materials, talk matrix, meetings)."""

from django.urls import path

from . import views, views_meeting

app_name = "democratic"

urlpatterns = [
    path("", views_meeting.LifeMeetingListView.as_view(), name="meeting_list"),
    path("add/", views_meeting.LifeMeetingEditView.as_view(), name="meeting_add"),
    path("export/", views_meeting.LifeMeetingExportView.as_view(), name="meeting_export"),
    path("<int:pk>/", views_meeting.LifeMeetingDetailView.as_view(), name="meeting_detail"),
    path("<int:pk>/edit/", views_meeting.LifeMeetingEditView.as_view(), name="meeting_edit"),
    path("<int:pk>/delete/", views_meeting.LifeMeetingDeleteView.as_view(), name="meeting_delete"),
    path("<int:pk>/statements/", views_meeting.statements, name="meeting_statements"),
    path("matrix/", views.matrix, name="matrix"),
    path("matrix/<int:org>/supervisions/add/", views.supervision_add, name="supervision_add"),
    path("supervisions/<int:pk>/delete/", views.supervision_delete, name="supervision_delete"),
    path("opinions/", views.OpinionListView.as_view(), name="opinion_list"),
    path("opinions/add/", views.OpinionEditView.as_view(), name="opinion_add"),
    path("opinions/export/", views.OpinionExportView.as_view(), name="opinion_export"),
    path("opinions/<int:pk>/", views.OpinionDetailView.as_view(), name="opinion_detail"),
    path("opinions/<int:pk>/edit/", views.OpinionEditView.as_view(), name="opinion_edit"),
    path("opinions/<int:pk>/delete/", views.OpinionDeleteView.as_view(), name="opinion_delete"),
    path("opinions/<int:pk>/problem/", views.opinion_problem, name="opinion_problem"),
    path("exams/", views.ExamListView.as_view(), name="exam_list"),
    path("exams/add/", views.ExamEditView.as_view(), name="exam_add"),
    path("exams/export/", views.ExamExportView.as_view(), name="exam_export"),
    path("exams/<int:pk>/", views.ExamDetailView.as_view(), name="exam_detail"),
    path("exams/<int:pk>/edit/", views.ExamEditView.as_view(), name="exam_edit"),
    path("exams/<int:pk>/delete/", views.ExamDeleteView.as_view(), name="exam_delete"),
    path("exams/<int:pk>/move/", views.exam_move, name="exam_move"),
    path("exams/<int:pk>/versions/<int:number>/file/", views.exam_version_file, name="exam_version_file"),
]

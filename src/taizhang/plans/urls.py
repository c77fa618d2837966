from django.urls import path

from . import views

app_name = "plans"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path("<int:pk>/board/", views.board, name="board"),
    path("assignments/<int:pk>/", views.AssignmentDetailView.as_view(), name="assignment_detail"),
]

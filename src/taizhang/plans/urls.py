from django.urls import path

from . import views, views_levels, views_work

app_name = "plans"
urlpatterns = [
    path("", views.CampaignListView.as_view(), name="campaign_list"),
    path("import/", views.import_upload, name="import"),
    path("import/<int:pk>/", views.import_preview, name="import_preview"),
    path("import/<int:pk>/layout/", views.import_layout, name="import_layout"),
    path("<int:pk>/", views.CampaignDetailView.as_view(), name="campaign_detail"),
    path("<int:pk>/edit/", views.campaign_edit, name="campaign_edit"),
    path("<int:pk>/publish/", views.campaign_publish, name="campaign_publish"),
    path("<int:pk>/derive/", views_levels.derive, name="derive"),
    path("<int:pk>/items/add/", views_levels.item_add, name="item_add"),
    path("<int:pk>/review/", views_levels.plan_review, name="plan_review"),
    path("<int:pk>/board/", views.board, name="board"),
    path("<int:pk>/board/export/", views.board_export, name="board_export"),
    path("<int:pk>/dashboard/", views.dashboard, name="dashboard"),
    path("assignments/<int:pk>/", views_work.assignment_detail, name="assignment_detail"),
    path("items/<int:pk>/edit/", views_work.item_edit, name="item_edit"),
    path("review/", views_work.review_queue, name="review_queue"),
    path("review/bulk/", views_work.review_bulk, name="review_bulk"),
    path("work/<str:kind>/<int:pk>/submit/", views_work.submit, name="submit"),
    path("work/<str:kind>/<int:pk>/<str:action>/", views_work.decide, name="decide"),
]

"""URLs of the notify app (mounted at /notify/)."""

from django.urls import path

from . import views, views_announcements, views_urging

app_name = "notify"
urlpatterns = [
    path("", views.NoticeListView.as_view(), name="notice_list"),
    path("<int:pk>/read/", views.notice_read, name="notice_read"),
    path("read-all/", views.notice_read_all, name="notice_read_all"),
    path("settings/", views.notify_settings, name="settings"),
    path("webhooks/", views.WebhookListView.as_view(), name="webhook_list"),
    path("webhooks/add/", views.WebhookEditView.as_view(), name="webhook_add"),
    path("webhooks/<int:pk>/edit/", views.WebhookEditView.as_view(), name="webhook_edit"),
    path("webhooks/<int:pk>/delete/", views.WebhookDeleteView.as_view(), name="webhook_delete"),
    path("webhooks/<int:pk>/test/", views.webhook_test, name="webhook_test"),
    path("announcements/", views_announcements.announcement_list, name="announcement_list"),
    path("announcements/add/", views_announcements.announcement_add, name="announcement_add"),
    path("announcements/<int:pk>/", views_announcements.announcement_detail, name="announcement_detail"),
    path("announcements/<int:pk>/files/<int:file_pk>/", views_announcements.announcement_file,
         name="announcement_file"),
    path("urge/", views_urging.urge_board, name="urge_board"),
    path("urge/<str:kind>/<int:pk>/", views_urging.urge, name="urge"),
    path("urgings/", views_urging.UrgingListView.as_view(), name="urging_list"),
    path("urgings/<int:pk>/", views_urging.urging_detail, name="urging_detail"),
    path("feed/<str:token>.ics", views.feed_user, name="feed_user"),
    path("feed/<str:token>/org/<int:org_id>.ics", views.feed_org, name="feed_org"),
]

"""Root URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from taizhang.core import views as core_views
from taizhang.core import views_attachments, views_jobs, views_tokens
from taizhang.core.health import HealthView

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    # Django's set_language (POST language=zh-hans|en, next=...) at /i18n/setlang/.
    path("i18n/", include("django.conf.urls.i18n")),
    path("orgs/", include("taizhang.orgs.urls")),
    path("plans/", include("taizhang.plans.urls")),
    path("records/", include("taizhang.records.urls")),
    path("rectification/", include("taizhang.rectification.urls")),
    path("notify/", include("taizhang.notify.urls")),
    path("compliance/", include("taizhang.compliance.urls")),
    path("democratic/", include("taizhang.democratic.urls")),
    path("evaluation/", include("taizhang.evaluation.urls")),
    path("rolemodels/", include("taizhang.rolemodels.urls")),
    path("institutions/", include("taizhang.institutions.urls")),
    path("surveys/", include("taizhang.surveys.urls")),
    path("volunteering/", include("taizhang.volunteering.urls")),
    path("reports/", include("taizhang.reports.urls")),
    path("attachments/add/<int:content_type_id>/<int:object_id>/",
         views_attachments.attachment_add, name="attachment_add"),
    path("attachments/<int:pk>/", views_attachments.attachment_download, name="attachment_download"),
    path("attachments/<int:pk>/delete/", views_attachments.attachment_delete, name="attachment_delete"),
    path("api/", include("taizhang.api_urls")),
    path("health/", HealthView.as_view(), name="health"),
    path("jobs/", views_jobs.job_list, name="jobs"),
    path("jobs/<str:job_id>/", views_jobs.job_detail, name="job_detail"),
    path("jobs/<str:job_id>/download/", views_jobs.job_download, name="job_download"),
    path("tokens/", views_tokens.token_list, name="api_tokens"),
    path("tokens/<int:pk>/revoke/", views_tokens.token_revoke, name="api_token_revoke"),
    path("admin/", admin.site.urls),
]

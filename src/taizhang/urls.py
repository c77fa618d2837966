"""Root URL configuration."""

from django.contrib import admin
from django.contrib.auth import views as auth_views
from django.urls import include, path

from taizhang.core import views as core_views

urlpatterns = [
    path("", core_views.home, name="home"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("orgs/", include("taizhang.orgs.urls")),
    path("plans/", include("taizhang.plans.urls")),
    path("admin/", admin.site.urls),
]

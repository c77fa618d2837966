"""The REST API: one router for every app's routes, the OpenAPI schema and offline docs.

Each app lists its endpoints in ``<app>/api/urls.py`` as ``routes = [(prefix, viewset)]``.
"""

from django.urls import include, path
from drf_spectacular.views import SpectacularAPIView, SpectacularRedocView, SpectacularSwaggerSplitView
from rest_framework.routers import DefaultRouter

from taizhang.compliance.api.urls import routes as compliance_routes
from taizhang.core.views_tokens import ApiTokenViewSet, ObtainTokenView
from taizhang.democratic.api.urls import routes as democratic_routes
from taizhang.evaluation.api.urls import routes as evaluation_routes
from taizhang.institutions.api.urls import routes as institution_routes
from taizhang.notify.api.urls import routes as notify_routes
from taizhang.plans.api.urls import routes as plan_routes
from taizhang.records.api.urls import routes as record_routes
from taizhang.rectification.api.urls import routes as rectification_routes
from taizhang.rolemodels.api.urls import routes as rolemodel_routes
from taizhang.surveys.api.urls import routes as survey_routes
from taizhang.volunteering.api.urls import routes as volunteering_routes

router = DefaultRouter()
for prefix, viewset in [*plan_routes, *record_routes, *rectification_routes, *notify_routes,
                       *compliance_routes, *evaluation_routes, *rolemodel_routes, *institution_routes,
                       *volunteering_routes, *survey_routes, *democratic_routes]:
    router.register(prefix, viewset)
router.register("tokens", ApiTokenViewSet, basename="apitoken")

urlpatterns = [
    path("", include(router.urls)),
    path("token/", ObtainTokenView.as_view(), name="api_token"),
    path("schema/", SpectacularAPIView.as_view(), name="api_schema"),
    # The split view serves Swagger UI's start-up script as a file: no inline script (CSP).
    path("docs/", SpectacularSwaggerSplitView.as_view(url_name="api_schema"), name="api_docs"),
    path("redoc/", SpectacularRedocView.as_view(url_name="api_schema"), name="api_redoc"),
]

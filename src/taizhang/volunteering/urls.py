"""URLs of the volunteering app: for each registered kind (:mod:`.sources`)
``<slug>_list|add|detail|edit|delete|export``, plus the per-member hours page and ledger."""

from django.urls import path

from taizhang.core.sources import sources

from . import views

app_name = "volunteering"


def _kind_urls(kind) -> list:
    v, slug = views.views_for(kind), kind.slug
    return [
        path(f"{slug}/", v["list"], name=f"{slug}_list"),
        path(f"{slug}/add/", v["add"], name=f"{slug}_add"),
        path(f"{slug}/export/", v["export"], name=f"{slug}_export"),
        path(f"{slug}/<int:pk>/", v["detail"], name=f"{slug}_detail"),
        path(f"{slug}/<int:pk>/edit/", v["edit"], name=f"{slug}_edit"),
        path(f"{slug}/<int:pk>/delete/", v["delete"], name=f"{slug}_delete"),
    ]


urlpatterns = [
    *[u for kind in sources("volunteering") for u in _kind_urls(kind)],
    path("hours/", views.HoursView.as_view(), name="hours"),
    path("hours/export/", views.HoursExportView.as_view(), name="hours_export"),
]

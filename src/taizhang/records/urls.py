"""URLs of the records app: for each registered record kind (``records.sources``)
``<slug>_list|add|detail|edit|delete|export``, plus QR sign-in,
the attendance ledger, suggestion handling, members' own forms and the reading list."""

from django.urls import path

from taizhang.core.sources import Source

from . import views, views_extra
from .forms import ReadingForm

app_name = "records"


def _kind_urls(slug: str, kind) -> list:
    edit = views.AttendedEditView if kind.options.get("attended") else views.RecordEditView
    v = views.views_for(kind, edit_view=edit)
    return [
        path(f"{slug}/", v["list"], name=f"{slug}_list"),
        path(f"{slug}/add/", v["add"], name=f"{slug}_add"),
        path(f"{slug}/export/", v["export"], name=f"{slug}_export"),
        path(f"{slug}/<int:pk>/", v["detail"], name=f"{slug}_detail"),
        path(f"{slug}/<int:pk>/edit/", v["edit"], name=f"{slug}_edit"),
        path(f"{slug}/<int:pk>/delete/", v["delete"], name=f"{slug}_delete"),
    ]


_reading = Source("reading", "records.Reading", "", "reading", form=ReadingForm)
_reading_views = views.views_for(_reading)

urlpatterns = [
    *[u for slug, kind in views.kinds().items() for u in _kind_urls(slug, kind)],
    path("meeting/<int:pk>/qr.svg", views_extra.meeting_qr, name="meeting_qr"),
    path("meeting/<int:pk>/sign-in/", views_extra.meeting_sign_in_toggle, name="meeting_sign_in_toggle"),
    path("attendance/export/", views_extra.attendance_export, name="attendance_export"),
    path("sign-in/<str:token>/", views_extra.sign_in, name="sign_in"),
    path("suggestion/<int:pk>/handle/", views_extra.suggestion_handle, name="suggestion_handle"),
    path("suggestion/<int:pk>/answer/", views_extra.suggestion_answer, name="suggestion_answer"),
    path("my/suggestion/", views_extra.my_suggestion, name="my_suggestion"),
    path("my/self-study/", views_extra.my_self_study, name="my_self_study"),
    path("my/micro-lecture/", views_extra.my_micro_lecture, name="my_micro_lecture"),
    path("reading/", views_extra.ReadingListView.as_view(add_url_name="records:reading_add"),
         name="reading_list"),
    path("reading/add/", _reading_views["add"], name="reading_add"),
    path("reading/<int:pk>/edit/", _reading_views["edit"], name="reading_edit"),
    path("reading/<int:pk>/delete/", _reading_views["delete"], name="reading_delete"),
]

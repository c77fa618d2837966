"""The evidence kind of the surveys app, declared once (``core.sources``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from .exports import LEDGER

R = "taizhang.surveys."

SOURCES = [
    Source(
        code="survey", model="surveys.Survey", label=_("群众满意度测评"), slug="survey", menu=_("满意度测评"),
        date_field="start", form=R + "forms.SurveyForm", table=R + "tables.SurveyTable",
        filterset=R + "filtersets.SurveyFilterSet", serializer=R + "api.serializers.SurveySerializer",
        viewset=R + "api.views.SurveyViewSet", ledger=LEDGER, api_prefix="surveys", pages="own",
        urls={action: f"surveys:survey_{action}" for action in ("list", "detail", "add", "edit", "delete", "export")},
        # Seed 四.2 "开展群众满意度测评" (and 二.5's 听取群众意见): a survey of the organization
        # that started in the window and has been answered at least once (a survey nobody
        # answered proves no 测评). The importer emits the code ``survey``.
        evidence=(Evidence("survey", _("群众满意度测评"), filters=(("response_count__gt", 0),),
                           in_words=_("本组织在期间内开展了群众满意度测评并收到答卷")),),
        sample=R + "testing.sample_survey",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``SurveysConfig.ready``)."""
    register(*SOURCES)

"""The evidence kinds of the institutions app, each declared once (``core.sources``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from . import exports
from .models import COUNTED_ACTIONS

R = "taizhang.institutions."


def _urls(slug: str) -> dict:
    return {action: f"institutions:{slug}_{action}" for action in ("list", "detail", "add", "edit", "delete", "export")}


SOURCES = [
    Source(
        code="institution", model="institutions.Institution", label=_("建章立制"), slug="institution",
        menu=_("建章立制"), form=R + "forms.InstitutionForm", table=R + "tables.InstitutionTable",
        filterset=R + "filtersets.InstitutionFilterSet", serializer=R + "api.serializers.InstitutionSerializer",
        viewset=R + "api.views.InstitutionViewSet", ledger=exports.INSTITUTION_LEDGER,
        api_prefix="institutions", pages="own", urls=_urls("institution"),
        # Seed 二.14 "以制度形式固定下来，建立健全……制度机制" and 三.6 "抓好建章立制": a rule or
        # mechanism made or revised (not abolished) by the organization in the window.
        evidence=(Evidence("institution", _("建章立制"), filters=(("action__in", tuple(str(a) for a in COUNTED_ACTIONS)),),
                           in_words=_("本组织在期间内制定或修订了制度机制")),),
        sample=R + "testing.sample_institution",
    ),
    Source(
        code="typical_case", model="institutions.TypicalCase", label=_("典型案例和经验做法"), slug="case",
        menu=_("典型案例"), form=R + "forms.TypicalCaseForm", table=R + "tables.TypicalCaseTable",
        filterset=R + "filtersets.TypicalCaseFilterSet", serializer=R + "api.serializers.TypicalCaseSerializer",
        viewset=R + "api.views.TypicalCaseViewSet", ledger=exports.CASE_LEDGER, related=("org", "institution"),
        api_prefix="typical-cases", pages="own", urls=_urls("case"),
        # Seed 二.14 "及时发现典型案例和成功经验，进行总结推广": offered as a rule's kind; the importer
        # does not suggest it (二.14 stays 建章立制), so no keywords.
        evidence=(Evidence("typical_case", _("典型案例和经验做法"),
                           in_words=_("本组织在期间内总结了典型案例或经验做法")),),
        sample=R + "testing.sample_case",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``InstitutionsConfig.ready``)."""
    register(*SOURCES)

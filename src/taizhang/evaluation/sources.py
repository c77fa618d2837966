"""The evidence kinds of the evaluation app, each declared once (``core.sources``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from . import exports

SOURCES = [
    Source(
        code="appraisal", model="evaluation.Appraisal", label=_("民主评议"), slug="appraisal",
        date_field="rated_on", person_fields=("member",),
        form="taizhang.evaluation.forms.AppraisalForm", table="taizhang.evaluation.tables.AppraisalTable",
        filterset="taizhang.evaluation.filtersets.AppraisalFilterSet",
        serializer="taizhang.evaluation.api.serializers.AppraisalSerializer",
        viewset="taizhang.evaluation.api.views.AppraisalViewSet", ledger=exports.LEDGER,
        related=("org", "member"), api_prefix="appraisals", pages="own",
        urls={"list": "evaluation:appraisal_list", "detail": "evaluation:appraisal_detail",
              "add": "evaluation:appraisal_add", "edit": "evaluation:appraisal_edit",
              "export": "evaluation:appraisal_export", "delete": None},
        # Seed 三.6 "开展民主评议党员": the branch has graded its members (domain-rules §1.2).
        # Suggested per member where a 检视整改 task names it (三.6 "开展民主评议党员").
        evidence=(Evidence("appraisal", _("民主评议党员"), person="member", keywords=("民主评议",),
                           replaces=("rectification",), suggest_per="each_member"),),
        sample="taizhang.evaluation.testing.sample_appraisal",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``EvaluationConfig.ready``)."""
    register(*SOURCES)

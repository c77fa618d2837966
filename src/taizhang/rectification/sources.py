"""The evidence kinds of the rectification app, each declared once (``core.sources``):
problems (问题清单), rectification measures (整改措施) and their progress updates (整改进展).

Their pages are the app's own (problem list, ledger, measure pages), named in ``urls``; the
ledger export is the merged-cell 整改台账 (``exports.write_ledger_xlsx``).
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

R = "taizhang.rectification."

SOURCES = [
    Source(
        code="problem", model="rectification.Problem", label=_("问题"), slug="problem",
        date_field="found_on",
        form=R + "forms.ProblemForm", table=R + "tables.ProblemTable",
        filterset=R + "filtersets.ProblemFilterSet", serializer=R + "api.serializers.ProblemSerializer",
        viewset=R + "api.views.ProblemViewSet", api_prefix="problems", pages="own",
        urls={"list": "rectification:problem_list", "detail": "rectification:problem_detail",
              "add": "rectification:problem_add", "edit": "rectification:problem_edit",
              "export": "rectification:export_xlsx", "delete": None},
        # Seed 二.7 "形成问题清单": the organization has recorded problems in the period.
        evidence=(Evidence("problem", _("问题清单"), counter=R + "evidence.count_problems",
                           in_words=_("本组织在期间内登记了问题（问题清单）")),),
        sample=R + "testing.sample_problem",
    ),
    Source(
        code="rectification", model="rectification.Rectification", label=_("整改措施"),
        slug="measure", date_field="effective_due",
        form=R + "forms.MeasureForm", filterset=R + "filtersets.LedgerFilterSet",
        serializer=R + "api.serializers.RectificationSerializer",
        viewset=R + "api.views.RectificationViewSet", api_prefix="rectifications", pages="own",
        urls={"list": "rectification:ledger", "detail": "rectification:measure_detail",
              "edit": "rectification:measure_edit", "export": "rectification:export_xlsx",
              "add": None, "delete": None},
        # Seed 二.8 "认真开展检视整改": every measure due by the task's deadline is rectified.
        evidence=(Evidence("rectification", _("整改措施"), counter=R + "evidence.count_rectified",
                           in_words=_("本组织到期的整改措施全部完成（已完成、已核验或已销号）")),),
        sample=R + "testing.sample_measure",
    ),
    Source(
        code="progress_update", model="rectification.ProgressUpdate", label=_("整改进展"),
        slug="update", date_field="reported_on", org_field="rectification__org",
        serializer=R + "api.serializers.ProgressUpdateSerializer",
        viewset=R + "api.views.ProgressUpdateViewSet", api_prefix="progress-updates", pages="own",
        urls={"list": "rectification:ledger"},
        # Seed 二.10 "跟踪检视整改落实情况…逐一进行跟踪反馈": every open measure has a progress
        # update each month until it is done. The wording replaces the importer's
        # "rectification"; a measure's change (created, done) moves it too.
        evidence=(Evidence("rectification_tracking", _("跟踪整改落实"),
                           counter=R + "evidence.count_tracking", reads=("rectification",),
                           keywords=("跟踪反馈", "跟踪[^，,。；;]{0,6}整改"), replaces=("rectification",),
                           in_words=_("每项未完成的整改措施每月都有整改进展，直至完成")),),
        sample=R + "testing.sample_update",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``RectificationConfig.ready``)."""
    register(*SOURCES)

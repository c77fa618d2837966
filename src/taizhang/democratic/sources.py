"""The record kinds of the democratic app, each declared once (``core.sources``).

- ``opinion`` (征求意见): its code ``democratic_preparation`` is seed 二.9's whole preparation
  (opinions, the complete talk matrix, approved materials; ``evidence.count_preparation``),
  re-evaluated when a talk or a material changes (``reads``).
- ``self_examination`` (对照检查材料): code ``self_examination``, an approved material.
- ``life_meeting`` (民主生活会): code ``democratic_life_meeting`` (seed 二.12), the meeting with
  its report submitted. The records app's Meeting of that kind is only its attendance.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from . import exports

R = "taizhang.democratic."


def _urls(slug: str) -> dict:
    return {action: f"democratic:{slug}_{action}" for action in ("list", "detail", "add", "edit", "delete", "export")}


SOURCES = [
    Source(
        code="opinion", model="democratic.Opinion", label=_("征求意见"), slug="opinion", menu=_("征求意见"),
        form=R + "forms.OpinionForm", table=R + "tables.OpinionTable", filterset=R + "filtersets.OpinionFilterSet",
        serializer=R + "api.serializers.OpinionSerializer", viewset=R + "api.views.OpinionViewSet",
        ledger=exports.OPINION_LEDGER, related=("org", "addressee__member"), api_prefix="opinions",
        pages="own", urls=_urls("opinion"),
        evidence=(Evidence("democratic_preparation", _("民主生活会会前准备"), counter=R + "evidence.count_preparation",
                           reads=("talk", "self_examination"),
                           in_words=_("征求意见，谈心谈话全覆盖，班子和个人对照检查材料审核通过")),),
        sample=R + "testing.sample_opinion",
    ),
    Source(
        code="self_examination", model="democratic.SelfExamination", label=_("对照检查材料"), slug="exam", menu=_("对照检查材料"),
        form=R + "forms.SelfExaminationForm", table=R + "tables.SelfExaminationTable",
        filterset=R + "filtersets.SelfExaminationFilterSet", serializer=R + "api.serializers.SelfExaminationSerializer",
        viewset=R + "api.views.SelfExaminationViewSet", ledger=exports.EXAM_LEDGER, related=("org", "leader__member"),
        api_prefix="self-examinations", pages="own", urls=_urls("exam"),
        evidence=(Evidence("self_examination", _("对照检查材料"), filters=(("status", "approved"),),
                           in_words=_("对照检查材料审核通过")),),
        sample=R + "testing.sample_exam",
    ),
    Source(
        code="life_meeting", model="democratic.LifeMeeting", label=_("民主生活会"), slug="meeting", menu=_("民主生活会"),
        form=R + "forms.LifeMeetingForm", table=R + "tables.LifeMeetingTable",
        filterset=R + "filtersets.LifeMeetingFilterSet", serializer=R + "api.serializers.LifeMeetingSerializer",
        viewset=R + "api.views.LifeMeetingViewSet", ledger=exports.MEETING_LEDGER, related=("org", "team"),
        api_prefix="life-meetings", pages="own", urls=_urls("meeting"),
        # MS: the meeting, then the 情况报告 and the record to the superior (domain-rules §2).
        evidence=(Evidence("democratic_life_meeting", _("民主生活会"), filters=(("reported_on__isnull", False),),
                           in_words=_("召开民主生活会并报送情况报告和会议记录")),),
        sample=R + "testing.sample_life_meeting",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``DemocraticConfig.ready``)."""
    register(*SOURCES)

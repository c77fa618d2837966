"""The record kinds of the records app, each declared once (``core.sources``; issue 9 §1).

Their pages (``records:<slug>_list|add|detail|edit|delete|export``), API routes, Excel
ledgers, menu entries, evidence codes and the generated view tests all come from these
entries. Registered from :meth:`RecordsConfig.ready`.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from . import exports, filtersets, forms, tables
from .api import serializers
from .kinds import plain_source
from .models import FilmViewing, LectureKind, MeetingKind

API = "taizhang.records.api.views."

# Seed 三.6 "开展检视整改。召开专题组织生活会…": the meeting is a part of a 检视整改 task
# (``plans.evidence.suggest_rules``).
# Seed 二.13 "安排部署专题组织生活会…": a committee's rule is met by its branches' meetings
# (``records.evidence.count_organizational_life_meetings``).
SUGGESTED = {MeetingKind.ORGANIZATIONAL_LIFE_MEETING: {
    "keywords": ("组织生活会",), "replaces": ("rectification",), "rolls_up": True,
    "counter": "taizhang.records.evidence.count_organizational_life_meetings",
    "in_words": _("支部：召开专题组织生活会；党委：所属各支部均已召开")}}

SOURCES = [
    Source(
        code="meeting", model="records.Meeting", label=_("会议"), slug="meeting", menu=_("三会一课"),
        person_fields=("host", "recorder"),
        form=forms.MeetingForm, table=tables.MeetingTable, filterset=filtersets.MeetingFilterSet,
        serializer=serializers.MeetingSerializer, viewset=API + "MeetingViewSet",
        ledger=exports.MEETING_LEDGER, related=("org", "host", "recorder", "team"),
        api_prefix="meetings",
        # One evidence code per meeting kind, labelled by the model's own choices. The
        # 民主生活会's code is declared by the app that keeps its record (the meeting with its
        # report; the Meeting of that kind is only its attendance).
        evidence=tuple(Evidence(kind.value, kind.label, filters=(("kind", kind.value),),
                                add_query=f"?kind={kind.value}", **SUGGESTED.get(kind, {}))
                       for kind in MeetingKind if kind != MeetingKind.DEMOCRATIC_LIFE_MEETING),
        options={"detail_template": "records/meeting_detail.html", "counts": True, "attended": True},
        sample="taizhang.records.testing.sample_meeting",
    ),
    Source(
        code="study", model="records.StudySession", label=_("集中学习"), slug="study", menu=_("学习"),
        person_fields=("leader",),
        form=forms.StudySessionForm, table=tables.StudySessionTable,
        filterset=filtersets.StudySessionFilterSet, serializer=serializers.StudySessionSerializer,
        viewset=API + "StudySessionViewSet", ledger=exports.STUDY_LEDGER, related=("org", "leader"),
        api_prefix="study-sessions",
        # Seed 二.3: "结合理论学习中心组学习，每月安排1天集中学习" — a committee's central-group
        # study is its concentrated study, so it counts for a 集中学习 rule too.
        evidence=(Evidence("study_session", _("集中学习"), also=("central_group_study",)),),
        options={"detail_template": "records/study_detail.html", "counts": True, "attended": True},
        sample="taizhang.records.testing.sample_study",
    ),
    Source(
        code="selfstudy", model="records.SelfStudy", label=_("个人自学"), slug="selfstudy",
        menu=_("个人自学"), person_fields=("member",),
        form=forms.SelfStudyForm, table=tables.SelfStudyTable, filterset=filtersets.SelfStudyFilterSet,
        serializer=serializers.SelfStudySerializer, viewset=API + "SelfStudyViewSet",
        ledger=exports.SELF_STUDY_LEDGER, related=("org", "member", "reading"),
        api_prefix="self-studies",
        evidence=(Evidence("self_study", _("个人自学"), person="member"),),
    ),
    Source(
        code="lecture", model="records.Lecture", label=_("党课"), slug="lecture", menu=_("党课"),
        person_fields=("speaker", "co_speakers"),
        form=forms.LectureForm, table=tables.LectureTable, filterset=filtersets.LectureFilterSet,
        serializer=serializers.LectureSerializer, viewset=API + "LectureViewSet",
        ledger=exports.LECTURE_LEDGER, related=("org", "speaker", "audience", "meeting"),
        api_prefix="lectures",
        # One session with several speakers is one record that counts for each of them.
        evidence=(
            # A 党课 rule (书记讲党课, seed 三.2（2）; 二.4) is met by a 党课, not a 微党课.
            Evidence("lecture", _("党课"), filters=(("kind", LectureKind.LECTURE.value),),
                     person="speaker", people="co_speakers"),
            Evidence("micro_lecture", _("微党课"), filters=(("kind", LectureKind.MICRO_LECTURE.value),),
                     person="speaker", people="co_speakers", add_query="?kind=micro_lecture"),
        ),
    ),
    Source(
        code="research", model="records.ResearchVisit", label=_("调研"), slug="research",
        menu=_("调研"), person_fields=("leader",),
        form=forms.ResearchVisitForm, table=tables.ResearchVisitTable,
        filterset=filtersets.ResearchVisitFilterSet, serializer=serializers.ResearchVisitSerializer,
        viewset=API + "ResearchVisitViewSet", ledger=exports.RESEARCH_LEDGER, related=("org", "leader"),
        api_prefix="research-visits",
        evidence=(Evidence("research_visit", _("调查研究"), person="leader"),),
    ),
    Source(
        code="talk", model="records.Talk", label=_("谈心谈话"), slug="talk", menu=_("谈心谈话"),
        person_fields=("party_a", "party_b"),
        form=forms.TalkForm, table=tables.TalkTable, filterset=filtersets.TalkFilterSet,
        serializer=serializers.TalkSerializer, viewset=API + "TalkViewSet",
        ledger=exports.TALK_LEDGER, related=("org", "party_a", "party_b"), api_prefix="talks",
        evidence=(Evidence("talk", _("谈心谈话"), person="party_a"),),
    ),
    Source(
        code="suggestion", model="records.Suggestion", label=_("意见建议"), slug="suggestion",
        menu=_("意见建议"), person_fields=("member",),
        form=forms.SuggestionForm, table=tables.SuggestionTable,
        filterset=filtersets.SuggestionFilterSet, serializer=serializers.SuggestionSerializer,
        viewset=API + "SuggestionViewSet", ledger=exports.SUGGESTION_LEDGER, related=("org", "member"),
        api_prefix="suggestions",
        evidence=(Evidence("suggestion", _("建言献策")),),
        options={"detail_template": "records/suggestion_detail.html"},
        sample="taizhang.records.testing.sample_suggestion",
    ),
    # Seed 三.2（2）"观看党员教育电视片": a plain kind, declared by this entry alone.
    plain_source(
        "film_viewing", FilmViewing, _("观看党员教育电视片"), "film", menu=_("观看电教片"),
        fields=("org", "title", "date", "place", "viewers", "notes"),
        search_fields=("title", "notes"), ledger_title="观看党员教育电视片台账",
        api_prefix="film-viewings",
        evidence=(Evidence("film_viewing", _("观看党员教育电视片"), keywords=("电视片", "电教片", "教育片")),),
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``RecordsConfig.ready``)."""
    register(*SOURCES)

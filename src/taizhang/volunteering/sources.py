"""The evidence kinds of the volunteering app, each declared once (``core.sources``).

Seed 三.4 "开展“立足岗位作贡献”活动：设立党员示范岗…组建党员志愿服务队，结合在职党员进社区，开展结对
共建等活动" asks a branch for both a post and volunteer activities: the importer suggests
``model_post`` (示范岗, its first keyword) and the ``keywords`` below make
``plans.evidence.suggest_rules`` add the ``volunteer_activity`` rule for 志愿服务 (and the
reverse), so the task is completed when the branch has a post **and** an activity in the
campaign. A post counts on the day it was set up (``start``). 进社区报到 is context of the
activities in the seed, not a separate obligation: its code is offered for a rule an office
adds itself (per member: every member registered), never suggested.
"""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from . import exports, filtersets, forms, tables
from .api import serializers

API = "taizhang.volunteering.api.views."
TESTING = "taizhang.volunteering.testing."

SOURCES = [
    Source(
        code="model_post", model="volunteering.ModelPost", label=_("党员示范岗"), slug="post",
        menu=_("党员示范岗"), date_field="start", person_fields=("member",),
        form=forms.ModelPostForm, table=tables.ModelPostTable, filterset=filtersets.ModelPostFilterSet,
        serializer=serializers.ModelPostSerializer, viewset=API + "ModelPostViewSet",
        ledger=exports.POST_LEDGER, related=("org", "member"), api_prefix="model-posts",
        evidence=(Evidence("model_post", _("党员示范岗"), person="member", keywords=("示范岗",),
                           in_words=_("本组织设立党员示范岗")),),
        sample=TESTING + "sample_model_post",
    ),
    Source(
        code="volunteer_activity", model="volunteering.VolunteerActivity", label=_("志愿服务活动"),
        slug="activity", menu=_("志愿服务"), person_fields=(),
        form=forms.VolunteerActivityForm, table=tables.VolunteerActivityTable,
        filterset=filtersets.VolunteerActivityFilterSet, serializer=serializers.VolunteerActivitySerializer,
        viewset=API + "VolunteerActivityViewSet", ledger=exports.ACTIVITY_LEDGER, related=("org",),
        api_prefix="volunteer-activities",
        evidence=(Evidence("volunteer_activity", _("志愿服务"), people="participants",
                           keywords=("志愿服务",), in_words=_("本组织开展志愿服务活动")),),
        options={"list_template": "volunteering/activity_list.html"},
        sample=TESTING + "sample_volunteer_activity",
    ),
    Source(
        code="community_registration", model="volunteering.CommunityRegistration",
        label=_("在职党员进社区报到"), slug="registration", menu=_("进社区报到"),
        date_field="registered_on", person_fields=("member",),
        form=forms.CommunityRegistrationForm, table=tables.CommunityRegistrationTable,
        filterset=filtersets.CommunityRegistrationFilterSet,
        serializer=serializers.CommunityRegistrationSerializer,
        viewset=API + "CommunityRegistrationViewSet", ledger=exports.REGISTRATION_LEDGER,
        related=("org", "member"), api_prefix="community-registrations",
        evidence=(Evidence("community_registration", _("在职党员进社区报到"), person="member"),),
        sample=TESTING + "sample_community_registration",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``VolunteeringConfig.ready``)."""
    register(*SOURCES)

"""The evidence kind of the role models app, declared once (``core.sources``)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from taizhang.core.sources import Evidence, Source, register

from . import exports

R = "taizhang.rolemodels."

SOURCES = [
    Source(
        code="role_model", model="rolemodels.RoleModel", label=_("先进典型"), slug="rolemodel",
        menu=_("先进典型"), date_field="nominated_on", person_fields=("member",),
        form=R + "forms.RoleModelForm", table=R + "tables.RoleModelTable",
        filterset=R + "filtersets.RoleModelFilterSet", serializer=R + "api.serializers.RoleModelSerializer",
        viewset=R + "api.views.RoleModelViewSet", ledger=exports.LEDGER, related=("org", "member"),
        api_prefix="role-models", pages="own",
        urls={action: f"rolemodels:rolemodel_{action}"
              for action in ("list", "detail", "add", "edit", "delete", "export")},
        # Seed 二.11 (the committee 选树宣传) and 三.5 (a branch 推荐): one code, counted by the
        # level of the task's organization (rolemodels.evidence).
        evidence=(Evidence("role_model", _("学习身边榜样（先进典型）"), counter=R + "evidence.count_role_models",
                           in_words=_("党支部推荐了先进典型；党委选树并公示了先进典型")),),
        sample=R + "testing.sample_role_model",
    ),
]


def register_sources() -> None:
    """Register :data:`SOURCES` (from ``RoleModelsConfig.ready``)."""
    register(*SOURCES)

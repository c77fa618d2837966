from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RoleModelsConfig(AppConfig):
    """先进典型 (学习身边榜样): nominate → select → publicise → announce (seed 二.11, 三.5)."""

    name = "taizhang.rolemodels"
    label = "rolemodels"
    verbose_name = _("先进典型")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例先进典型"), "taizhang.rolemodels.sample.load_sample_role_models")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VolunteeringConfig(AppConfig):
    """立足岗位作贡献 (seed 三.4): 党员示范岗, 党员志愿服务 and 在职党员进社区报到."""

    name = "taizhang.volunteering"
    label = "volunteering"
    verbose_name = _("立足岗位作贡献")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例立足岗位作贡献"), "taizhang.volunteering.sample.load_sample_volunteering")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class SurveysConfig(AppConfig):
    """The masses' satisfaction survey with one-time anonymous links (seed 四.2, 二.5)."""

    name = "taizhang.surveys"
    label = "surveys"
    verbose_name = _("群众满意度测评")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例满意度测评"), "taizhang.surveys.sample.load_sample_surveys")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

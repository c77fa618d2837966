from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """建章立制 register and typical cases / good practices (seed 二.14, 三.6)."""

    name = "taizhang.institutions"
    label = "institutions"
    verbose_name = _("建章立制")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例建章立制"), "taizhang.institutions.sample.load_sample_institutions")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class InstitutionsConfig(AppConfig):
    """建章立制 register and typical cases / good practices (seed 二.14, 三.6)."""

    name = "taizhang.institutions"
    label = "institutions"
    verbose_name = _("建章立制")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

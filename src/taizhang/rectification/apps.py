from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RectificationConfig(AppConfig):
    """The problem list and the rectification ledger (问题清单 → 整改清单 → 滚动销号)."""

    name = "taizhang.rectification"
    label = "rectification"
    verbose_name = _("检视整改")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例问题与整改"), "taizhang.rectification.sample.load_sample_problems")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class EvaluationConfig(AppConfig):
    """民主评议党员: each member's yearly grade and its follow-up (domain-rules §1.2, §5 checks 12–14)."""

    name = "taizhang.evaluation"
    label = "evaluation"
    verbose_name = _("民主评议")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例民主评议"), "taizhang.evaluation.sample.load_sample_appraisals")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

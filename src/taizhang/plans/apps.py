from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PlansConfig(AppConfig):
    """Campaigns, plans (task lists), assignments, occurrences, the importer and the board."""

    name = "taizhang.plans"
    label = "plans"
    verbose_name = _("主题教育与任务清单")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例任务清单"), "taizhang.plans.sample.load_sample_plan")

    def ready(self):
        from . import audit, receivers  # noqa: F401  (audit trail; evidence re-evaluation)

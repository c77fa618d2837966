from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class DemocraticConfig(AppConfig):
    """民主生活会 before, during and after (seed 二.9, 二.12, 四.2; domain-rules §2, §5 checks 21–23):
    opinions gathered, the talk matrix, 对照检查材料 with review rounds, the meeting record."""

    name = "taizhang.democratic"
    label = "democratic"
    verbose_name = _("民主生活会")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = ("样例民主生活会", "taizhang.democratic.sample.load_sample_democratic")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from . import reminders  # noqa: F401  (the review's notice kinds, notify's registry)
        from .checks import register_checks
        from .sources import register_sources

        register_sources()
        register_checks()

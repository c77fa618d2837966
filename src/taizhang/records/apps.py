from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RecordsConfig(AppConfig):
    """The real records of work, entered once: meetings, study, lectures, visits, talks,
    suggestions (DESIGN.md step 4)."""

    name = "taizhang.records"
    label = "records"
    verbose_name = _("工作记录")

    #: (label, dotted path of ``fn(committee) -> str``): this app's part of ``load_sample``.
    sample_loader = (_("样例工作记录"), "taizhang.records.sample.load_sample_records")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from .sources import register_sources

        register_sources()

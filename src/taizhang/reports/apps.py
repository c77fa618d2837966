from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ReportsConfig(AppConfig):
    """Word/PDF reports from docxtpl templates (offices may upload their own) and archives
    (DESIGN.md ``reports/``; issue 11)."""

    name = "taizhang.reports"
    label = "reports"
    verbose_name = _("报告")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplianceConfig(AppConfig):
    """Organizational-life compliance: the rules of the regulations (domain-rules.md §5),
    checked for every branch and period (issue 5)."""

    name = "taizhang.compliance"
    label = "compliance"
    verbose_name = _("组织生活合规")

    def ready(self):
        # The "still missing before the period ends" reminder kind (notify's registry). notify
        # also autodiscovers ``reminders`` modules; importing here keeps it declared even if
        # this app is loaded before notify.
        from . import reminders  # noqa: F401
        from . import marks

        marks.connect()  # the receivers that mark changed organizations (issue 14)

from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """Organization tree, members, positions, the leadership team, roles, roster import."""

    name = "taizhang.orgs"
    label = "orgs"
    verbose_name = _("组织与党员")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)

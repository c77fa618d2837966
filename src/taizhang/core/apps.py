from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    """Shared mechanisms: base models, scoping, audit helpers, the working-day calendar."""

    name = "taizhang.core"
    label = "core"
    verbose_name = _("基础")

    def ready(self):
        from . import audit  # noqa: F401  (registers models with the audit trail)
        from . import sessions  # noqa: F401  (stamps a session's refresh time at login)

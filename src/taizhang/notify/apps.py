from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Reminders and notices: in-app, e-mail, WeCom/DingTalk webhooks, iCal feeds."""

    name = "taizhang.notify"
    label = "notify"
    verbose_name = _("提醒与通知")

    def ready(self):
        from django.utils.module_loading import autodiscover_modules

        from . import announcements, audit, published, reviews, signals, urging  # noqa: F401  (kinds, audit, receivers)

        # Reminder kinds are declared in any app's ``reminders.py`` (this app's included).
        autodiscover_modules("reminders")

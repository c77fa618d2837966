from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotifyConfig(AppConfig):
    """Reminders and notices: in-app, e-mail, WeCom/DingTalk webhooks, iCal feeds."""

    name = "taizhang.notify"
    label = "notify"
    verbose_name = _("提醒与通知")

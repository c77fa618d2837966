from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class OrgsConfig(AppConfig):
    """Organization tree, members, positions, the leadership team, roles, roster import."""

    name = "taizhang.orgs"
    label = "orgs"
    verbose_name = _("组织与党员")

    def ready(self):
        from django.db.models.signals import post_save

        from . import audit  # noqa: F401  (registers models with the audit trail)
        from django.contrib.auth.signals import user_logged_in

        from .accounts import member_saved, on_login
        from .models import Member

        post_save.connect(member_saved, sender=Member, dispatch_uid="orgs_member_account")
        user_logged_in.connect(on_login, dispatch_uid="orgs_one_time_password")

        from django.contrib import admin

        from .manage import superuser_only_admin

        admin.site.has_permission = superuser_only_admin  # /admin: the superuser only

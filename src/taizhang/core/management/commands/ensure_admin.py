"""``taizhang ensure_admin``: create the superuser ``admin`` once, printing its password once."""

import secrets

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _


class Command(BaseCommand):
    help = "Create a superuser 'admin' with a random password (printed once) if none exists."

    def add_arguments(self, parser):
        parser.add_argument("--username", default="admin")

    def handle(self, *args, username, **options):
        if not username.strip():
            raise CommandError(_("--username：账号名不能为空"))
        User = get_user_model()
        if User.objects.filter(username=username).exists():
            self.stdout.write(_("账号“%(username)s”已存在，密码未改动。") % {"username": username})
            return
        password = secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, password=password, email="")
        self.stdout.write(self.style.SUCCESS(
            _("已创建系统管理员“%(username)s”，密码：%(password)s\n"
              "（只显示这一次；可用 `taizhang changepassword %(username)s` 修改）")
            % {"username": username, "password": password}))

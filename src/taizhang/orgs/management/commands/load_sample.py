"""``taizhang load_sample [--if-empty]``: the project's invented sample data, every app's part
in dependency order: organizations and accounts (orgs), then each app that names a
``sample_loader`` in its AppConfig: the sample plan (published), a few months of records
(with deliberate gaps), problems and rectification measures, 民主评议 grades, role models,
rules made, model posts and volunteering."""

import secrets

from django.apps import apps
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

from taizhang.orgs.models import Organization
from taizhang.orgs.sample import create_demo_accounts, create_sample_orgs


class Command(BaseCommand):
    help = (
        "Load the sample data: city committee SW over unit committees DW and XW (2 small "
        "branches); committee DW with 6 branches, 12 Party groups, 80 invented members, "
        "the 7-person leadership team, demo accounts (one random password, printed once), the "
        "sample plan published, and records of Sep 2023 – Jan 2024 with deliberate gaps, and problems with "
        "rectification measures in every state, 党员示范岗 and 志愿服务."
    )

    def add_arguments(self, parser):
        parser.add_argument("--if-empty", action="store_true",
                            help="do nothing when any organization exists")

    def handle(self, *args, if_empty: bool, **options):
        if if_empty and Organization.objects.exists():
            self.stdout.write(_("已有组织数据，未加载样例数据。"))
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            try:
                sample = create_sample_orgs(with_city=True)
            except ValueError as exc:
                raise CommandError(_("样例数据已加载过：%(reason)s") % {"reason": exc}) from None
            accounts = create_demo_accounts(password)
        committee = sample["committee"]
        self.stdout.write(_(
            "市委 %(city)s（%(city_code)s）下辖党委 %(units)d 个：%(unit_names)s；"
            "另一单位党支部 %(unit_branches)d 个。本单位（%(code)s）："
        ) % {"city": sample["city"].name, "city_code": sample["city"].code, "units": len(sample["units"]),
             "unit_names": "、".join(f"{u.name}（{u.code}）" for u in sample["units"]),
             "unit_branches": len(sample["unit_branches"]), "code": committee.code})
        self.stdout.write(_(
            "组织 %(orgs)d 个（党委 1、党支部 %(branches)d、党小组 %(groups)d），"
            "党员 %(members)d 名（其中预备党员 %(probationary)d 名），"
            "职务 %(positions)d 个，领导班子 %(leaders)d 人，账号 %(accounts)d 个。"
        ) % {"orgs": 1 + len(sample["branches"]) + len(sample["groups"]),
             "branches": len(sample["branches"]), "groups": len(sample["groups"]),
             "members": sample["members"], "probationary": sample["probationary"],
             "positions": sample["positions"], "leaders": sample["leaders"], "accounts": len(accounts)})
        self.stdout.write(_("演示账号（密码只显示这一次，请妥善保存）："))
        for username, org_name, role in accounts:
            self.stdout.write(f"  {username:<8} {role}  {org_name}")
        self.stdout.write(_("密码：%(password)s") % {"password": password})
        # Every app's part, in INSTALLED_APPS order (dependency order): each app names its
        # loader in its AppConfig (``sample_loader``), so core imports no app above it.
        for config in apps.get_app_configs():
            loader = getattr(config, "sample_loader", None)
            if loader:
                label, path = loader
                self.stdout.write(f"{label}：{import_string(path)(committee)}")

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
            self.stdout.write("已有组织数据，未加载样例数据。(database not empty: sample data not loaded)")
            return
        password = secrets.token_urlsafe(12)
        with transaction.atomic():
            try:
                sample = create_sample_orgs(with_city=True)
            except ValueError as exc:
                raise CommandError(f"sample data already loaded: {exc}") from None
            accounts = create_demo_accounts(password)
        committee = sample["committee"]
        self.stdout.write(
            f"市委 {sample['city'].name}（{sample['city'].code}）下辖党委 {len(sample['units'])} 个："
            + "、".join(f"{u.name}（{u.code}）" for u in sample["units"])
            + f"；另一单位党支部 {len(sample['unit_branches'])} 个。本单位（{committee.code}）："
        )
        self.stdout.write(
            f"组织 {1 + len(sample['branches']) + len(sample['groups'])} 个"
            f"（党委 1、党支部 {len(sample['branches'])}、党小组 {len(sample['groups'])}），"
            f"党员 {sample['members']} 名（其中预备党员 {sample['probationary']} 名），"
            f"职务 {sample['positions']} 个，领导班子 {sample['leaders']} 人，账号 {len(accounts)} 个。"
        )
        self.stdout.write("演示账号（密码只显示这一次，请妥善保存）：")
        for username, org_name, role in accounts:
            self.stdout.write(f"  {username:<8} {role}  {org_name}")
        self.stdout.write(f"密码：{password}")
        # Every app's part, in INSTALLED_APPS order (dependency order): each app names its
        # loader in its AppConfig (``sample_loader``), so core imports no app above it.
        for config in apps.get_app_configs():
            loader = getattr(config, "sample_loader", None)
            if loader:
                label, path = loader
                self.stdout.write(f"{label}：{import_string(path)(committee)}")

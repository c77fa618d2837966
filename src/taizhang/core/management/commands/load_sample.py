"""``taizhang load_sample [--if-empty]``: the project's invented sample data, every app's part
in dependency order: organizations and accounts, the sample plan (published), a few months of
records (with deliberate gaps), problems and rectification measures, 2023 民主评议 grades."""

import secrets

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from taizhang.evaluation.sample import load_sample_appraisals
from taizhang.institutions.sample import load_sample_institutions
from taizhang.orgs.models import Organization
from taizhang.orgs.sample import create_demo_accounts, create_sample_orgs
from taizhang.plans.sample import load_sample_plan
from taizhang.records.sample import load_sample_records
from taizhang.rectification.sample import load_sample_problems
from taizhang.rolemodels.sample import load_sample_role_models
from taizhang.volunteering.sample import load_sample_volunteering


class Command(BaseCommand):
    help = (
        "Load the sample data: committee DW with 6 branches, 12 Party groups, 80 invented members, "
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
                sample = create_sample_orgs()
            except ValueError as exc:
                raise CommandError(f"sample data already loaded: {exc}") from None
            accounts = create_demo_accounts(password)
        committee = sample["committee"]
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
        self.stdout.write(f"样例任务清单：{load_sample_plan(committee)}")
        self.stdout.write(f"样例工作记录：{load_sample_records(committee)}")
        self.stdout.write(f"样例问题与整改：{load_sample_problems(committee)}")
        self.stdout.write(f"样例民主评议：{load_sample_appraisals(committee)}")
        self.stdout.write(f"样例先进典型：{load_sample_role_models(committee)}")
        self.stdout.write(f"样例建章立制：{load_sample_institutions(committee)}")
        self.stdout.write(f"样例立足岗位作贡献：{load_sample_volunteering(committee)}")

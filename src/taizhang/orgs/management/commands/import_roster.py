"""``taizhang import_roster FILE [--org CODE] [--dry-run]``: import a member roster (花名册)."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang.orgs.services import import_roster

from ._org_option import org_from_code


class Command(BaseCommand):
    help = (
        "Import a member roster (.xlsx, .xls or .csv in UTF-8/GBK) into an organization. The "
        "whole file is validated first: any bad row → every error is printed and nothing is "
        "written (exit status 1)."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", help="code of the organization (default: the only root)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")

    def handle(self, *args, file: str, org: str | None, dry_run: bool, **options):
        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}: file not found")
        target = org_from_code(org)
        result = import_roster(path, target, dry_run=dry_run)
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(result.errors)} 处错误，未写入任何数据")
        prefix = "（试运行，未写入）" if dry_run else ""
        self.stdout.write(
            f"{prefix}读取 {result.rows_read} 行：新增党员 {result.created} 名，更新 {result.updated} 名，"
            f"未变 {result.unchanged} 名；新增职务 {result.positions_added} 个，"
            f"结束职务 {result.positions_ended} 个；新建组织 {len(result.orgs_created)} 个"
        )
        for name in result.orgs_created:
            self.stdout.write(f"  新建组织：{name}")

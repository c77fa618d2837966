"""``taizhang import_roster FILE [--org CODE] [--dry-run]``: import a member roster (花名册)."""

from taizhang.core.commands import FileImportCommand
from taizhang.orgs.services import import_roster


class Command(FileImportCommand):
    help = (
        "Import a member roster (.xlsx, .xls or .csv in UTF-8/GBK) into an organization. The "
        "whole file is validated first: any bad row → every error is printed and nothing is "
        "written (exit status 1)."
    )

    def run_import(self, path, org, dry_run):
        return import_roster(path, org, dry_run=dry_run)

    def summary(self, result, dry_run):
        prefix = "（试运行，未写入）" if dry_run else ""
        lines = [
            f"{prefix}读取 {result.rows_read} 行：新增党员 {result.created} 名，更新 {result.updated} 名，"
            f"未变 {result.unchanged} 名；新增职务 {result.positions_added} 个，"
            f"结束职务 {result.positions_ended} 个；新建组织 {len(result.orgs_created)} 个"
        ]
        lines += [f"  新建组织：{name}" for name in result.orgs_created]
        return "\n".join(lines)

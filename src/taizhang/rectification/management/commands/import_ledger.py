"""``taizhang import_ledger FILE [--org CODE] [--dry-run]``: import a rectification ledger."""

from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from taizhang.orgs.management.commands._org_option import org_from_code
from taizhang.rectification.importer import import_ledger


class Command(BaseCommand):
    help = (
        "Import a problem/rectification ledger (.xlsx) into an organization's problem list. The "
        "whole file is validated first: on any error every bad row is printed and nothing is "
        "written (exit status 1). Re-importing the same file creates nothing new."
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
        result = import_ledger(path, target, dry_run=dry_run)
        for warning in result.warnings:
            self.stderr.write(f"提示：{warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(result.errors)} 处错误，未写入任何数据")
        self.stdout.write(result.summary())

"""``taizhang import_ledger FILE [--org CODE] [--dry-run]``: import a rectification ledger."""

from taizhang.core.commands import FileImportCommand
from taizhang.rectification.importer import import_ledger


class Command(FileImportCommand):
    help = (
        "Import a problem/rectification ledger (.xlsx) into an organization's problem list. The "
        "whole file is validated first: on any error every bad row is printed and nothing is "
        "written (exit status 1). Re-importing the same file creates nothing new."
    )

    def run_import(self, path, org, dry_run):
        return import_ledger(path, org, dry_run=dry_run)

    def summary(self, result, dry_run):
        return result.summary()

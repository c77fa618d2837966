"""``taizhang import_roster FILE [--org CODE] [--dry-run] [--new-org NAME …]``: import a member
roster (花名册)."""

from django.utils.translation import gettext as _

from taizhang.core.commands import FileImportCommand
from taizhang.orgs.services import import_roster


class Command(FileImportCommand):
    help = (
        "Import a member roster (.xlsx, .xls or .csv in UTF-8/GBK) into an organization. The "
        "whole file is validated first: any bad row → every error is printed and nothing is "
        "written (exit status 1). A branch or group the file names that does not exist is "
        "created only when confirmed with --new-org (as --dry-run names it); otherwise nothing "
        "is written."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument("--new-org", action="append", default=[], metavar="NAME",
                            help="confirm creating this organization, as --dry-run lists it "
                                 "(e.g. '第3党支部' or '第3党支部 / 第1党小组'); repeat for each")

    def handle(self, *args, new_org: list[str], **options):
        self.confirmed = set(new_org)
        return super().handle(*args, **options)

    def run_import(self, path, org, dry_run):
        """A dry run first: organizations the file would create must all be confirmed
        (``--new-org``), else the unconfirmed ones are the errors and nothing is written
        (issue 15 §2: a misspelt 所在支部 must not silently become a branch)."""
        preview = import_roster(path, org, dry_run=True)
        if dry_run or preview.errors:
            return preview
        unconfirmed = [name for name in preview.orgs_created if name not in self.confirmed]
        if unconfirmed:
            preview.errors += [_("将新建组织“%(name)s”：请核对名称；确需新建时加 --new-org \"%(name)s\" 重新导入")
                               % {"name": name} for name in unconfirmed]
            return preview
        return import_roster(path, org, dry_run=False)

    def summary(self, result, dry_run):
        prefix = _("（试运行，未写入）") if dry_run else ""
        lines = [prefix + _(
            "读取 %(rows)d 行：新增党员 %(created)d 名，更新 %(updated)d 名，未变 %(unchanged)d 名；"
            "新增职务 %(added)d 个，结束职务 %(ended)d 个；新建组织 %(orgs)d 个"
        ) % {"rows": result.rows_read, "created": result.created, "updated": result.updated,
             "unchanged": result.unchanged, "added": result.positions_added,
             "ended": result.positions_ended, "orgs": len(result.orgs_created)}]
        lines += [_("  新建组织：%(name)s") % {"name": name} for name in result.orgs_created]
        return "\n".join(lines)

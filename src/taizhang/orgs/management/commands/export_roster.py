"""``taizhang export_roster -o FILE.xlsx [--org CODE]``: export the roster, phones masked."""

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from taizhang.core.commands import output_path
from taizhang.orgs.services import export_roster

from ._org_option import org_from_code


class Command(BaseCommand):
    help = "Export the member roster of an organization's subtree to .xlsx (phone numbers masked)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the .xlsx file to write")
        parser.add_argument("--org", help="code of the organization (default: the only root)")

    def handle(self, *args, output: str, org: str | None, **options):
        output = str(output_path(output, (".xlsx",)))
        target = org_from_code(org)
        count = export_roster(output, org=target)
        self.stdout.write(_("已导出 %(count)d 名党员到 %(output)s") % {"count": count, "output": output})

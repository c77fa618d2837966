"""``taizhang export_ledger -o FILE.xlsx [--org CODE]``: export the rectification ledger
(.xlsx with merged problem cells; .csv or .docx when the file name ends so)."""

from pathlib import Path

from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from taizhang.core.commands import output_path
from taizhang.orgs.management.commands._org_option import org_from_code
from taizhang.rectification.exports import ledger_docx, write_ledger_csv, write_ledger_xlsx
from taizhang.rectification.ledger import export_queryset
from taizhang.rectification.models import Rectification


class Command(BaseCommand):
    help = "Export the rectification ledger of an organization's subtree (.xlsx; .csv/.docx by suffix)."

    def add_arguments(self, parser):
        parser.add_argument("-o", "--output", required=True, help="the file to write (.xlsx, .csv, .docx)")
        parser.add_argument("--org", help="code of the organization (default: the only root)")

    def handle(self, *args, output: str, org: str | None, **options):
        output = str(output_path(output, (".xlsx", ".csv", ".docx")))
        target = org_from_code(org)
        queryset = export_queryset(Rectification.objects.filter(org__path__startswith=target.path))
        suffix = Path(output).suffix.lower()
        if suffix == ".csv":
            with open(output, "w", encoding="utf-8", newline="") as handle:
                count = write_ledger_csv(handle, queryset)
        elif suffix == ".docx":
            ledger_docx(queryset).save(output)
            count = queryset.count()
        else:
            count = write_ledger_xlsx(output, queryset)
        self.stdout.write(_("已导出 %(count)d 项整改措施到 %(output)s") % {"count": count, "output": output})

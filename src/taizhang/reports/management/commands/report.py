"""``taizhang report KIND [--campaign ID] [--org CODE] [--meeting ID] [--year YYYY] -o FILE``:
write a report; the suffix of FILE (.docx, .pdf, .zip) picks the format."""

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.commands import output_path
from taizhang.core.office import ConversionError
from taizhang.reports.generate import FormatError, write_file
from taizhang.reports.kinds import KINDS, get_kind
from taizhang.reports.params import ParamError, resolve
from taizhang.reports.templating import OutputError


class Command(BaseCommand):
    help = "Write a report (Word .docx, PDF, or an archive .zip): " + ", ".join(KINDS)

    def add_arguments(self, parser):
        parser.add_argument("kind", help="one of: " + ", ".join(KINDS))
        parser.add_argument("--campaign", help="campaign id (summary: default the newest published)")
        parser.add_argument("--org", help="organization code (default: the campaign's, or every one)")
        parser.add_argument("--meeting", help="meeting id (meeting; dlm-report: the 民主生活会's id)")
        parser.add_argument("--year", help="year YYYY (archive; limits summary/problems to that year)")
        parser.add_argument("--record", action="append", default=[],
                            help="a record for the brief, as kind:id (meeting:12); repeatable")
        parser.add_argument("-o", "--output", required=True, help="FILE.docx, FILE.pdf or FILE.zip")

    def handle(self, *args, kind, output, **options):
        try:
            report = get_kind(kind)
        except KeyError as exc:
            raise CommandError(f"kind：{exc.args[0]}") from None
        path = output_path(output, tuple(f".{f}" for f in report.formats))
        raw = {key: options.get(key) for key in ("campaign", "org", "meeting", "year")}
        raw["records"] = options.get("record") or []
        try:
            params = resolve(report, raw)
            fmt = path.suffix.lower().lstrip(".")
            if fmt not in report.formats:
                raise FormatError(f"“{report.label}”不提供 .{fmt} 格式")
            write_file(report, params, fmt, path)
        except ParamError as exc:  # named by its option (--campaign, --org, --meeting …)
            raise CommandError(f"--{exc.param}：{exc}" if exc.param else str(exc)) from None
        except (FormatError, ConversionError, OutputError) as exc:
            raise CommandError(str(exc)) from None
        self.stdout.write(f"{path}：{report.label}，{path.stat().st_size // 1024 + 1} KB")

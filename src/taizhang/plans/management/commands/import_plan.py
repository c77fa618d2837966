"""``taizhang import_plan FILE [--json | --save [--org CODE]]``."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.commands import add_limit_arguments, file_limits
from taizhang.orgs.management.commands._org_option import org_from_code
from taizhang.orgs.models import OrgKind
from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.importer.model import LEVEL_ERROR, LEVEL_INFO, LEVEL_WARNING, DocumentError
from taizhang.plans.models import ItemKind

# How a diagnostic's level is printed (the preview page shows the same messages in Chinese).
LEVEL_NAMES = {LEVEL_ERROR: "错误", LEVEL_WARNING: "警告", LEVEL_INFO: "提示"}


class Command(BaseCommand):
    # Parsing needs no system checks (they load every URLconf and view); ``--json`` does not
    # even reach Django from the console script (``taizhang.cli.import_plan_json``).
    requires_system_checks = []
    help = (
        "Parse a task-list document (.txt/.md/.docx/.xlsx/.pdf, .doc/.wps via LibreOffice). "
        "--json prints the parsed tree and writes nothing; --save stores it as a campaign."
    )

    def add_arguments(self, parser):
        parser.add_argument("file")
        mode = parser.add_mutually_exclusive_group()
        mode.add_argument("--json", action="store_true", help="print the tree as JSON; write nothing")
        mode.add_argument("--save", action="store_true", help="store as a campaign; print its id")
        parser.add_argument("--org", help="code of the owning organization (default: the only root)")
        parser.add_argument("--sheet", help="read this workbook sheet (hidden ones too) instead of the visible ones")
        parser.add_argument("--column", action="append", default=[], metavar="N=ROLE",
                            help="the role of table column N (1-based): task, measure, deadline, units, "
                                 "people, lead, seq, subseq, remark or ignore; repeatable")
        add_limit_arguments(parser)

    def handle(self, *args, file, json: bool, save: bool, org: str | None, sheet: str | None = None,
               column: list[str] | None = None, **options):
        columns = None
        if column:
            columns = {}
            for spec in column:
                number, _sep, role = spec.partition("=")
                if not number.strip().isdigit() or int(number) < 1 or not role:
                    raise CommandError(f"--column {spec}：应写作 列号=用途，列号从 1 起，如 --column 2=task")
                columns[int(number) - 1] = role.strip()
        try:
            with file_limits(options):
                draft = parse_file(file, columns=columns, sheet=sheet)
        except DocumentError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(_dumps(draft.to_dict()))
            return
        if save:
            owner = org_from_code(org)
            if owner.kind != OrgKind.COMMITTEE:  # the web import offers committees only, too
                raise CommandError(f"--org：“{owner.code} {owner.name}”不是党委，任务清单由党委导入和发布"
                                   f"（党支部、党小组在党委发布后领到各自的任务）")
            self.stderr.write(f"保存为 {owner.code} {owner.name} 的任务清单")
            campaign = services.save_draft(
                services.draft_to_dict(draft), owner, source_name=str(file).rsplit("/", 1)[-1]
            )
            self.stdout.write(str(campaign.pk))
            return
        for node in draft.walk():
            kind = ItemKind(node.kind).label if node.kind in ItemKind.values else node.kind
            self.stdout.write(f"{node.lines[0]:>5}  {node.label}{node.title}  [{kind}]")
        for d in draft.diagnostics:
            self.stdout.write(_diagnostic_line(d))


def _diagnostic_line(d) -> str:
    """"第 12 行：警告：…", or "提示：…" for a diagnostic about the whole document."""
    level = LEVEL_NAMES.get(d.level, d.level)
    where = f"第 {d.line} 行：" if d.line is not None else ""
    return f"{where}{level}：{d.message}"


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)


"""``taizhang import_plan FILE [--json | --save [--org CODE]]``."""

import json as jsonlib

from django.core.management.base import BaseCommand, CommandError

from taizhang.orgs.management.commands._org_option import org_from_code
from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.importer.model import DocumentError


class Command(BaseCommand):
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

    def handle(self, *args, file, json: bool, save: bool, org: str | None, **options):
        try:
            draft = parse_file(file)
        except DocumentError as exc:
            raise CommandError(str(exc)) from None
        if json:
            self.stdout.write(_dumps(draft.to_dict()))
            return
        if save:
            owner = org_from_code(org)
            campaign = services.save_draft(
                services.draft_to_dict(draft), owner, source_name=str(file).rsplit("/", 1)[-1]
            )
            self.stdout.write(str(campaign.pk))
            return
        for node in draft.walk():
            self.stdout.write(f"{node.lines[0]:>5}  {node.label}{node.title}  [{node.kind}]")
        for d in draft.diagnostics:
            self.stdout.write(f"line {d.line}: {d.level}: {d.message}")


def _dumps(data) -> str:
    return jsonlib.dumps(data, ensure_ascii=False, indent=2)


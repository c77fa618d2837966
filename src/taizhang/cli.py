"""The ``taizhang`` console script: the project's manage.py."""

import os
import sys


def import_plan_json(argv: list[str]) -> int | None:
    """The fast path of ``taizhang import_plan FILE --json`` (issue 14: ≤ 0.3 s as a whole
    process): parsing a document needs neither the database nor Django, whose set-up (every
    app's registry, psycopg, openpyxl, DRF) cost most of a second. Prints what the management
    command prints (the same ``PlanDraft.to_dict()`` JSON) and returns the exit status (1 and
    "CommandError: …" on stderr for a document that cannot be imported); ``None`` when
    ``argv`` is anything else (other options, ``--save``, help), which Django then runs."""
    args = argv[2:]
    if argv[1:2] != ["import_plan"] or len(args) != 2 or "--json" not in args:
        return None
    file = args[1] if args[0] == "--json" else args[0]
    if file.startswith("-"):
        return None
    import json

    from taizhang.plans.importer import DocumentError, parse_file

    try:
        draft = parse_file(file)
    except DocumentError as exc:
        sys.stderr.write(f"CommandError: {exc}\n")
        return 1
    sys.stdout.write(json.dumps(draft.to_dict(), ensure_ascii=False, indent=2) + "\n")
    return 0


def main() -> None:
    """Run a Django management command, e.g. ``taizhang migrate`` or ``taizhang serve``."""
    status = import_plan_json(sys.argv)
    if status is not None:
        sys.exit(status)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)


if __name__ == "__main__":
    main()

"""Shared shape of the ``taizhang import_* FILE [--org CODE] [--dry-run]`` commands.

Every file import from the command line (roster, ledger) behaves the same for scripts and
cron: the whole file is validated first; on any error each one is printed with its row, nothing
is written and the exit status is 1; otherwise one summary line (prefixed when ``--dry-run``).
"""

from __future__ import annotations

import re
from pathlib import Path

from django.core.exceptions import ImproperlyConfigured
from django.core.management.base import BaseCommand, CommandError

from .reading import ooxml


class FileImportCommand(BaseCommand):
    """Base command: subclasses set ``help`` and implement :meth:`run_import` and
    :meth:`summary`. Results are objects with ``errors`` (each printable with its row) and
    optionally ``warnings``."""

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--org", help="code of the organization (default: the only root)")
        parser.add_argument("--dry-run", action="store_true", help="validate and count; write nothing")
        add_limit_arguments(parser)

    def run_import(self, path: Path, org, dry_run: bool):
        """Import ``path`` into ``org`` (writing nothing when ``dry_run``); returns the result."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define run_import()")

    def summary(self, result, dry_run: bool) -> str:
        """The line printed after a successful import."""
        raise ImproperlyConfigured(f"{type(self).__name__} must define summary()")

    def handle(self, *args, file: str, org: str | None, dry_run: bool, **options):
        from taizhang.orgs.management.commands._org_option import org_from_code

        path = Path(file)
        if not path.is_file():
            raise CommandError(f"{file}：文件不存在")
        with file_limits(options):
            try:
                ooxml.check_file_size(path)
                ooxml.check_ooxml(path)
            except ooxml.FileRefused as refusal:
                raise CommandError(str(refusal)) from None
            result = self.run_import(path, org_from_code(org), dry_run)
        for warning in getattr(result, "warnings", ()):
            self.stderr.write(f"提示：{warning}")
        if result.errors:
            for error in result.errors:
                self.stderr.write(str(error))
            raise CommandError(f"{path.name}: {len(result.errors)} 处错误，未写入任何数据")
        self.stdout.write(self.summary(result, dry_run))


MAX_ID = 2**63 - 1  # the largest primary key of a 64-bit integer column


def parse_id(raw, argument: str) -> int:
    """The object id a command was given as ``argument`` (e.g. ``campaign_id``,
    ``--meeting``): a whole number from 1 to 2**63-1. Raises ``CommandError`` naming the
    argument, the value and the reason otherwise (not a number, zero or negative, too large)."""
    text = str(raw).strip()
    try:
        value = int(text)
    except ValueError:
        raise CommandError(f"{argument}：“{raw}”不是有效的编号（应为正整数，如 1）") from None
    if not 1 <= value <= MAX_ID:
        raise CommandError(f"{argument}：编号 {value} 超出范围（应为 1 至 {MAX_ID} 的整数）")
    return value


def get_by_id(queryset, raw, argument: str, label: str):
    """The object of ``queryset`` numbered ``raw`` (checked by :func:`parse_id`); raises
    ``CommandError`` naming ``argument`` when there is none (``label``: what it is, in
    Chinese, e.g. "主题教育")."""
    pk = parse_id(raw, argument)
    found = queryset.filter(pk=pk).first()
    if found is None:
        raise CommandError(f"{argument}：找不到编号为 {pk} 的{label}")
    return found


def bounded_int(argument: str, low: int, high: int):
    """An argparse ``type`` for a whole number from ``low`` to ``high``; a bad value ends the
    command with an error naming ``argument`` and the range (``CommandError`` from
    ``call_command``, the usage line and exit status 2 from the console; argparse prefixes
    the message with "argument ``argument``")."""
    import argparse

    def convert(raw: str) -> int:
        try:
            value = int(str(raw).strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{raw}”不是整数") from None
        if not low <= value <= high:
            raise argparse.ArgumentTypeError(f"{value} 不在 {low} 至 {high} 之间")
        return value

    convert.__name__ = argument  # argparse names the type in its message
    return convert


def positive_number(argument: str):
    """An argparse ``type`` for a number greater than 0 (``--max-mb``, ``--max-ratio``)."""
    import argparse

    def convert(raw: str) -> float:
        try:
            value = float(str(raw).strip())
        except ValueError:
            raise argparse.ArgumentTypeError(f"“{raw}”不是数字") from None
        if not value > 0 or value == float("inf"):
            raise argparse.ArgumentTypeError(f"{raw} 应为大于 0 的数")
        return value

    convert.__name__ = argument
    return convert


def add_limit_arguments(parser) -> None:
    """The flags that widen the file limits for one run: ``--max-mb`` (the file itself, what
    an .xlsx/.docx unpacks to in total and per part; default: the settings, the same as an
    upload's) and ``--max-ratio`` (the unpacked/packed ratio)."""
    parser.add_argument("--max-mb", type=positive_number("--max-mb"), default=None,
                        help="size limit in MB for the file, its unpacked total and each XML part "
                             "(default: the upload limits of the settings)")
    parser.add_argument("--max-ratio", type=positive_number("--max-ratio"), default=None,
                        help="largest unpacked/packed ratio of an .xlsx/.docx (default: the settings)")


def file_limits(options: dict):
    """A context in which the limits of ``core.reading.ooxml`` are those of the settings,
    widened by ``--max-mb``/``--max-ratio`` when given (``options``: the command's options)."""
    max_mb, ratio = options.get("max_mb"), options.get("max_ratio")
    size = int(max_mb * ooxml.MB) if max_mb else None
    return ooxml.overridden(max_file_bytes=size, max_unpacked_bytes=size, max_part_bytes=size,
                            max_ratio=ratio)


def output_path(output: str, suffixes: tuple[str, ...]) -> Path:
    """The file an export command writes: its folder must exist and its suffix be one of
    ``suffixes`` (lower case with the dot, the first is the default format's). Raises
    ``CommandError`` naming the file otherwise, before anything is read or written."""
    path = Path(output)
    if path.suffix.lower() not in suffixes:
        raise CommandError(f"-o {output}：不支持的文件类型，请用 {' / '.join(suffixes)}")
    if not path.parent.is_dir():
        raise CommandError(f"-o {output}：文件夹 {path.parent} 不存在")
    return path


# ---- argparse's own errors, in Chinese like the commands' (new-user pass, issue 12) -------------

_ARGPARSE = [
    (re.compile(r"^the following arguments are required: (.+)$"), "{0}：缺少此参数"),
    (re.compile(r"^unrecognized arguments: (.+)$"), "无法识别的参数：{0}"),
    (re.compile(r"^argument (\S+?): invalid choice: '?(.*?)'? \(choose from (.+)\)$"),
     "{0}：“{1}”不是可选的值（可选：{2}）"),
    (re.compile(r"^argument (\S+?): invalid int value: '?(.*?)'?$"), "{0}：“{1}”不是整数"),
    (re.compile(r"^argument (\S+?): invalid float value: '?(.*?)'?$"), "{0}：“{1}”不是数字"),
    (re.compile(r"^argument (\S+?): invalid \w+ value: '?(.*?)'?$"), "{0}：“{1}”无效"),
    (re.compile(r"^argument (\S+?): expected one argument$"), "{0}：缺少取值"),
    (re.compile(r"^argument (\S+?): ignored explicit argument '?(.*?)'?$"), "{0}：不接受取值“{1}”"),
    (re.compile(r"^argument (\S+?): (.+)$", re.S), "{0}：{1}"),
]


def chinese_argparse_message(message: str) -> str:
    """argparse's English error line as the project's commands write theirs — "--port：“x”不是
    整数" for "argument --port: invalid int value: 'x'": the argument first, then the reason
    in Chinese (an argument's own type function already gives a Chinese reason). Unknown
    lines are returned unchanged."""
    message = message.strip()
    for pattern, template in _ARGPARSE:
        match = pattern.match(message)
        if match:
            return template.format(*match.groups())
    return message


def install_chinese_argparse_errors() -> None:
    """Make every management command's argument errors Chinese (called from
    ``CoreConfig.ready``): ``call_command`` raises ``CommandError`` with
    :func:`chinese_argparse_message` (without Django's "Error: " prefix); on the command
    line the usage is printed, then "<prog>：<message>", exit status 2."""
    from django.core.management.base import CommandParser

    if getattr(CommandParser.error, "chinese", False):
        return

    def error(self, message):
        text = chinese_argparse_message(message)
        if self.called_from_command_line:
            self.print_usage()
            self.exit(2, f"{self.prog}：{text}\n")
        raise CommandError(text)

    error.chinese = True
    CommandParser.error = error

"""Every management command of the project ends a bad argument (an id that is not a number,
out of range or of nothing; an unknown code, kind or option value) with ``CommandError``
naming the argument and the reason in Chinese, like the rest of the command-line output —
never a traceback, never an English argparse line (new-user pass, issue 12: ``send_reminders
--today 2023-02-30`` answered in English). A new project command must be added to ``BAD`` (the test
fails when one is missing)."""

import re

import pytest
from django.core.management import call_command, get_commands
from django.core.management.base import CommandError

pytestmark = pytest.mark.django_db

HUGE = "99999999999999999999"
CHINESE = re.compile(r"[\u4e00-\u9fff]")
#: English wording left in a message (argparse's, or an English sentence of ours).
ENGLISH = re.compile(r"\b(?:invalid|must|unknown|error|expected|argument|choose from|got)\b", re.I)


def bad_calls(tmp) -> dict[str, list[tuple[list[str], str]]]:
    """Per project command: (argv, a fragment the error must contain: the argument's name)."""
    out = str(tmp / "x.docx")
    ids = ["abc", "0", "-1", "999999", HUGE, "1.5", ""]
    return {
        "plan_coverage": [([v], "campaign_id") for v in ids],
        "publish_plan": [([v], "campaign_id") for v in ids],
        "report": ([(["summary", "--campaign", v, "-o", out], "--campaign") for v in ids if v]
                   + [(["meeting", "--meeting", v, "-o", out], "--meeting") for v in ids if v]
                   + [(["archive", "--year", "abc", "-o", str(tmp / "a.zip")], "--year"),
                      (["bogus", "-o", out], "bogus"),
                      (["archive", "--org", "NOPE", "--year", "2023", "-o", str(tmp / "a.zip")], "--org")]),
        "send_reminders": [(["--today", "2023-13-01"], "--today"), (["--today", "2023-02-30"], "--today"),
                           (["--kind", "bogus"], "--kind"),
                           (["--dry-run", "--kind", "bogus"], "--kind")],
        "export_roster": [(["-o", str(tmp / "r.xlsx"), "--org", "NOPE"], "--org"),
                          (["-o", str(tmp / "r.txt")], "-o")],
        "import_roster": [([str(tmp / "none.xlsx")], "none.xlsx"),
                          ([str(tmp / "ok.csv"), "--org", "NOPE"], "--org"),
                          ([str(tmp / "ok.csv"), "--max-mb", "-1"], "--max-mb")],
        "import_ledger": [([str(tmp / "none.xlsx")], "none.xlsx"),
                          ([str(tmp / "ok.csv"), "--org", "NOPE"], "--org"),
                          ([str(tmp / "ok.csv"), "--max-ratio", "0"], "--max-ratio")],
        "export_ledger": [(["-o", str(tmp / "l.txt")], "-o"), (["-o", str(tmp / "l.xlsx"), "--org", "NOPE"], "--org")],
        "import_plan": [([str(tmp / "none.txt")], "none.txt"),
                        ([str(tmp / "ok.txt"), "--column", "x=task"], "--column"),
                        ([str(tmp / "ok.txt"), "--max-mb", "0"], "--max-mb"),
                        ([str(tmp / "ok.txt"), "--save", "--org", "NOPE"], "--org")],
        "backup": [(["-o", str(tmp / "b.zip")], "-o"), (["-o", str(tmp / "b")], "-o")],
        "restore": [([str(tmp / "none.tar.gz")], "none.tar.gz"), ([str(tmp / "ok.txt")], "ok.txt")],
        "ensure_admin": [(["--username", ""], "--username"), (["--username", "  "], "--username")],
        "serve": [(["--port", "0"], "--port"), (["--port", "70000"], "--port"), (["--port", "x"], "--port"),
                  (["--workers", "0"], "--workers")],
        "load_sample": [],  # takes no value (only --if-empty)
        "worker": [],  # huey's consumer options, checked by huey
    }


def project_commands() -> set[str]:
    return {name for name, app in get_commands().items() if app.startswith("taizhang")}


def test_every_project_command_is_covered(tmp_path):
    assert project_commands() == set(bad_calls(tmp_path)), "add the new command to bad_calls()"


def test_every_bad_argument_ends_in_a_command_error_naming_it(tmp_path, settings, monkeypatch):
    settings.TAIZHANG_VAR_DIR = tmp_path
    settings.MEDIA_ROOT = tmp_path / "media"

    def served(*args, **kwargs):
        raise RuntimeError("the server started")

    # an accepted ``serve`` must not block the test
    monkeypatch.setattr("gunicorn.app.base.BaseApplication.run", served)
    monkeypatch.setattr("taizhang.core.management.commands.serve.start_worker", lambda: None)
    monkeypatch.setattr("taizhang.core.management.commands.serve.call_command", lambda *a, **k: None)
    (tmp_path / "ok.csv").write_text("姓名,性别\n", encoding="utf-8")
    (tmp_path / "ok.txt").write_text("一、学习\n", encoding="utf-8")
    from taizhang.orgs.tests.factories import build_tree

    build_tree(branches=1, groups=0)
    failures = []
    for command, calls in bad_calls(tmp_path).items():
        for argv, fragment in calls:
            try:
                call_command(command, *argv, stdout=_Null(), stderr=_Null())
            except CommandError as exc:
                if fragment not in str(exc):
                    failures.append(f"{command} {argv}: {exc} (does not name {fragment})")
                elif not CHINESE.search(str(exc)) or ENGLISH.search(str(exc)):
                    failures.append(f"{command} {argv}: {exc} (not in Chinese)")
            except BaseException as exc:  # noqa: BLE001 - any other ending is the defect
                failures.append(f"{command} {argv}: {type(exc).__name__}: {exc}")
            else:
                failures.append(f"{command} {argv}: accepted")
    assert not failures, "\n".join(failures)


class _Null:
    def write(self, *args, **kwargs):
        pass

    def flush(self):
        pass

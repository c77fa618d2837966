"""``taizhang import_plan FILE --json`` without Django's set-up (issue 14 §5): the same JSON
and the same error as the management command, and a whole process well under a second."""

import io
import subprocess
import sys
import time
from pathlib import Path

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from taizhang import cli

SRC = Path(cli.__file__).resolve().parents[1]
DOC = "一、加强学习\n1. 每月开展一次集中学习，支部书记负责。\n2. 2023年10月底前完成专题党课。\n"


def run_cli(*args):
    return subprocess.run([sys.executable, "-m", "taizhang.cli", *args], capture_output=True, text=True,
                          env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}, timeout=60)


@pytest.fixture
def doc(tmp_path):
    path = tmp_path / "清单.txt"
    path.write_text(DOC, encoding="utf-8")
    return path


def test_fast_path_prints_what_the_command_prints(doc, capsys):
    assert cli.import_plan_json(["taizhang", "import_plan", str(doc), "--json"]) == 0
    fast = capsys.readouterr().out
    out = io.StringIO()
    call_command("import_plan", str(doc), "--json", stdout=out)
    assert fast == out.getvalue()
    assert '"title": "加强学习"' in fast or "加强学习" in fast


def test_fast_path_only_for_json_of_one_file(doc):
    for argv in (["t", "import_plan", str(doc)], ["t", "import_plan", str(doc), "--save"],
                 ["t", "import_plan", "--json"], ["t", "migrate", "--json", "x"],
                 ["t", "import_plan", str(doc), "--json", "--org", "DW"]):
        assert cli.import_plan_json(argv) is None, argv


def test_fast_path_error_names_the_file(tmp_path, capsys):
    missing = tmp_path / "无此文件.txt"
    assert cli.import_plan_json(["t", "import_plan", "--json", str(missing)]) == 1
    err = capsys.readouterr().err
    assert err.startswith("CommandError: ") and "无此文件.txt" in err
    with pytest.raises(CommandError, match="无此文件.txt"):
        call_command("import_plan", str(missing), "--json")


def test_whole_process_loads_no_django(doc):
    start = time.perf_counter()
    done = run_cli("import_plan", str(doc), "--json")
    seconds = time.perf_counter() - start
    assert done.returncode == 0 and "加强学习" in done.stdout
    probe = subprocess.run(
        [sys.executable, "-c", "import sys, runpy; sys.argv=['taizhang','import_plan',sys.argv[1],'--json'];"
         "from taizhang import cli\ntry:\n    cli.main()\nexcept SystemExit:\n    pass\n"
         "print('DJANGO' if 'django' in sys.modules else 'NO-DJANGO', file=sys.stderr)", str(doc)],
        capture_output=True, text=True, env={"PYTHONPATH": str(SRC), "PATH": "/usr/bin:/bin"}, timeout=60)
    assert "NO-DJANGO" in probe.stderr, probe.stderr
    assert seconds < 5  # generous on a loaded CI machine; the benchmark measures ≤ 0.3 s

"""Hostile workbooks against every importer: time and peak memory of the refusal (issue 16 §3).

Each case runs in a child process so that its peak resident memory (``ru_maxrss``) is its own:
a ZIP bomb (a real workbook padded to unpack to 314 MB from well under 1 MB), one with 3,000
parts, and the same bomb through the plan, roster and ledger readers. Prints seconds, the
child's peak RSS and the baseline RSS of a child that only imports the readers.

    python benchmarks/bench_hostile.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))

CHILD = r"""
import os, resource, sys, time
import django
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
django.setup()
from taizhang.core.reading import read_workbook, FileRefused
from taizhang.plans.importer import parse_file
from taizhang.plans.importer.model import DocumentError
from taizhang.orgs.roster import parse_roster
from taizhang.rectification.ledger_parse import parse_ledger
how, path = sys.argv[1], sys.argv[2]
started = time.perf_counter()
outcome = ""
if how == "workbook":
    try:
        read_workbook(path)
    except FileRefused as exc:
        outcome = str(exc)
elif how == "plan":
    try:
        parse_file(path)
    except DocumentError as exc:
        outcome = str(exc)
elif how == "roster":
    outcome = str(parse_roster(open(path, "rb").read(), os.path.basename(path)).errors[0])
elif how == "ledger":
    outcome = str(parse_ledger(path).errors[0])
elapsed = time.perf_counter() - started
print(f"{elapsed:.3f}\t{resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f}\t{outcome[:90]}")
"""


def run(how: str, path: Path) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src")}
    result = subprocess.run([sys.executable, "-c", CHILD, how, str(path)], capture_output=True, text=True, env=env)
    return (result.stdout or result.stderr).strip().splitlines()[-1]


def main() -> int:
    from taizhang.core.reading.tests.hostile import bomb_xlsx, many_entries_xlsx, xlsx_bytes

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        honest = folder / "honest.xlsx"
        honest.write_bytes(xlsx_bytes())
        bomb = folder / "bomb.xlsx"
        bomb.write_bytes(bomb_xlsx(314))
        parts = folder / "parts.xlsx"
        parts.write_bytes(many_entries_xlsx(3000))
        print(f"bomb: {bomb.stat().st_size / 1024:.0f} KB packed, 314 MB unpacked sheet")
        print("case\tseconds\tpeak RSS MB\toutcome")
        print(f"baseline (honest workbook)\t{run('workbook', honest)}")
        for how, path in (("workbook", bomb), ("plan", bomb), ("roster", bomb), ("ledger", bomb),
                          ("workbook", parts)):
            print(f"{how} {path.name}\t{run(how, path)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

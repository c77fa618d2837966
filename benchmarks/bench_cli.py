"""The command line as a whole process (issue 14 §5), beside a raw baseline from the same run:

- ``taizhang import_plan SEED --json``: wall time of the whole process (median of
  ``--repeat``), ÷ a bare ``python -c pass`` of the same interpreter; goal ≤ 0.3 s;
- ``taizhang import_plan SEED`` (the plain listing, through Django without system checks):
  context, no goal.

    python benchmarks/bench_cli.py [--repeat 7]
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

from figures import figure  # noqa: E402

SEED = ROOT.parent / "shared" / "seed" / "000_2284f9ce5468ae96.txt"


def wall(cmd: list[str], env: dict, repeat: int) -> float:
    """Median wall time (s) of running ``cmd`` ``repeat`` times (after one warm run); raises
    ``RuntimeError`` with its stderr when it fails."""
    times = []
    for n in range(repeat + 1):
        start = time.perf_counter()
        done = subprocess.run(cmd, env=env, capture_output=True, text=True)
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(cmd)} failed: {done.stderr[-800:]}")
        if n:
            times.append(time.perf_counter() - start)
    return statistics.median(times)


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=7)
    parser.add_argument("--no-listing", action="store_true", help="only the --json figure (quick run)")
    args = parser.parse_args()
    var = tempfile.mkdtemp(prefix="tz-bench-cli-")
    env = {**os.environ, "PYTHONPATH": str(ROOT / "src"), "TAIZHANG_VAR_DIR": var,
           "DJANGO_SETTINGS_MODULE": "taizhang.settings"}
    bare = wall([sys.executable, "-c", "pass"], env, args.repeat)
    json_run = wall([sys.executable, "-m", "taizhang.cli", "import_plan", str(SEED), "--json"], env, args.repeat)
    figure("cli_import_plan_json", json_run, "s", json_run / bare, "<=0.3")
    if args.no_listing:
        return 0
    subprocess.run([sys.executable, "-m", "taizhang.cli", "migrate", "-v", "0"], env=env, check=True)
    listing = wall([sys.executable, "-m", "taizhang.cli", "import_plan", str(SEED)], env, max(1, args.repeat // 3))
    figure("cli_import_plan_listing", listing, "s", listing / bare)
    print(f"  (bare interpreter start {bare * 1000:.0f} ms)")
    return 0


if __name__ == "__main__":
    sys.exit(main())

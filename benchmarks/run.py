"""Run every benchmark in this folder (``bench_*.py``) and print its figures.

Each benchmark prints its figures beside a raw baseline measured in the same run, as ratios,
so numbers compare across machines. Not part of the test suite: `make bench`.
"""

import os
import subprocess
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent


def main() -> int:
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taizhang.settings"}
    failed = 0
    for script in sorted(HERE.glob("bench_*.py")):
        print(f"== {script.name} ==", flush=True)
        failed += subprocess.call([sys.executable, str(script)], env=env) != 0
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

"""Run every benchmark in this folder (``bench_*.py``) and print its figures.

The output contract (issue 14): stdout carries one line per figure,

    figure: NAME VALUE UNIT ratio R goal G met        (or ``not met``)

(see ``figures.py``); everything else a benchmark prints goes to its log file
(``$TAIZHANG_BENCH_LOGS`` or ``<tmp>/taizhang-bench-logs/NAME.log``), named on stderr. A
benchmark that fails (exit status ≠ 0) is a figure too: ``NAME_exit 1 status … not met``.

    python benchmarks/run.py --quick   # a tenth of the city set, < 5 minutes
    python benchmarks/run.py           # `make bench`: the city set (500 branches, 200,000 records)

``TAIZHANG_BENCH_PG_URL`` (a PostgreSQL database filled by ``citygen.py --database-url``)
adds the page and HTTP load figures on PostgreSQL (``bench_pages.py``, ``bench_http.py``); ``TAIZHANG_BENCH_PROVINCE_URL`` (one filled by
``provincegen.py``) adds the province figures (``bench_province.py``, full run only). Each figure is measured beside a raw baseline in the
same run, so ratios compare across machines. Not part of the test suite.
"""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# Arguments per benchmark: (quick, full). A benchmark not listed runs without arguments in
# the full run and with ``--quick`` in the quick one when its source mentions that option.
ARGS = {
    "bench_pages.py": (["--scale", "0.1", "--repeat", "20"], ["--scale", "1", "--repeat", "20"]),
    "bench_http.py": (["--scale", "0.1", "--seconds", "4"], ["--scale", "1", "--seconds", "10"]),
    "bench_cli.py": (["--repeat", "5", "--no-listing"], ["--repeat", "7"]),
    "bench_compliance.py": (["--scale", "0.1", "--repeat", "2"], ["--scale", "1", "--repeat", "3"]),
    "bench_scale.py": (["--scale", "0.1", "--repeat", "3", "--only", "board"],
                       ["--scale", "1", "--repeat", "5"]),
    # bench_scale's former sections, on their own copy of the data set: full run only, as before.
    "bench_saves.py": (None, ["--scale", "1", "--repeat", "5"]),
    "bench_ledger.py": (None, ["--scale", "1"]),
    "bench_importer.py": (["--repeat", "3"], []),
    "bench_publish.py": (["--branches", "50", "--repeat", "1"], []),
    "bench_rectification.py": (None, []),  # its 10,000-row import alone takes minutes: full run only
    # the province set (provincegen.py, ~20 minutes to generate): full run only, when named
    "bench_province.py": (None, ["--repeat", "10"]),
}
PROVINCE_ENV = "TAIZHANG_BENCH_PROVINCE_URL"
# Run a second time on TAIZHANG_BENCH_PG_URL (the city set filled into PostgreSQL) when it is set.
PG_SCRIPTS = ("bench_pages.py", "bench_http.py")


def arguments(script: Path, quick: bool) -> list[str] | None:
    """The command-line arguments of ``script`` for this run, or None to skip it."""
    if script.name in ARGS:
        return ARGS[script.name][0 if quick else 1]
    if not quick:
        return []
    return ["--quick"] if "--quick" in script.read_text(encoding="utf-8") else None


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="a tenth of the city set, under 5 minutes")
    parser.add_argument("--only", default="", help="comma-separated benchmark names (e.g. pages,cli)")
    args = parser.parse_args()
    env = {**os.environ, "DJANGO_SETTINGS_MODULE": "taizhang.settings"}
    logs = Path(os.environ.get("TAIZHANG_BENCH_LOGS") or Path(tempfile.gettempdir()) / "taizhang-bench-logs")
    logs.mkdir(parents=True, exist_ok=True)
    only = {f"bench_{n.strip()}.py" for n in args.only.split(",") if n.strip()}
    failed = 0
    start = time.perf_counter()
    for script in sorted(HERE.glob("bench_*.py")):
        if only and script.name not in only:
            continue
        extra = arguments(script, args.quick)
        if extra is None:
            print(f"(skipped {script.name} in the quick run)", file=sys.stderr, flush=True)
            continue
        if script.name == "bench_province.py" and not os.environ.get(PROVINCE_ENV):
            print(f"(skipped {script.name}: {PROVINCE_ENV} is not set; fill a PostgreSQL database with "
                  "benchmarks/provincegen.py --database-url URL, ~20 minutes, then set it)",
                  file=sys.stderr, flush=True)
            continue
        runs = [extra]
        pg = os.environ.get("TAIZHANG_BENCH_PG_URL")
        if pg and script.name in PG_SCRIPTS:
            runs.append([a for a in extra if a not in ("--scale", "0.1", "1")] + ["--database-url", pg])
        for n, run_args in enumerate(runs):
            log = logs / f"{script.stem}{'-pg' if n else ''}.log"
            t0 = time.perf_counter()
            print(f"== {script.name} {' '.join(run_args)} (log {log})", file=sys.stderr, flush=True)
            with log.open("w", encoding="utf-8") as out:
                proc = subprocess.Popen([sys.executable, str(script), *run_args], env=env, text=True,
                                        stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
                for line in proc.stdout:
                    out.write(line)
                    if line.startswith("figure: "):
                        print(line, end="", flush=True)
                status = proc.wait()
            if status != 0:
                failed += 1
                print(f"figure: {script.stem}{'_pg' if n else ''}_exit {status} status ratio - goal ≤0 not met",
                      flush=True)
            print(f"   {time.perf_counter() - t0:.0f} s", file=sys.stderr, flush=True)
    print(f"(all benchmarks: {time.perf_counter() - start:.0f} s; logs in {logs})", file=sys.stderr)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())

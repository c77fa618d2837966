"""What the city-scale benchmarks share (``bench_scale.py`` board and evaluation,
``bench_saves.py`` record saves, ``bench_ledger.py`` attendance export; ``bench_pages.py`` and
``bench_publish.py`` borrow from it): the failure list, medians, a query counter, the Django
set-up on a private copy of the ``citygen.py`` data set, the staff user's client, the common
command-line options and the closing report. Benchmarks that build their own small data set
(``bench_writes.py``, ``bench_rectification.py``) take their Django set-up from
:func:`standalone_django`. Not a benchmark itself (no ``bench_`` prefix).
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402

FAILURES: list[str] = []


def fail(message: str) -> None:
    """Record a failed check (the benchmark then exits 1) and print it."""
    FAILURES.append(message)
    print(f"  !! {message}", flush=True)


def median_time(func, repeat: int) -> float:
    """Median wall time in seconds of ``repeat`` calls of ``func``."""
    times = []
    for _ in range(repeat):
        start = time.perf_counter()
        func()
        times.append(time.perf_counter() - start)
    return statistics.median(times)


class QueryCounter:
    """Counts every statement sent on the default connection (no 9,000-query log limit)."""

    def __init__(self):
        self.count = 0
        self._cm = None

    def __call__(self, execute, sql, params, many, context):
        self.count += 1
        return execute(sql, params, many, context)

    def __enter__(self):
        from django.db import connection

        self._cm = connection.execute_wrapper(self)
        self._cm.__enter__()
        return self

    def __exit__(self, *exc):
        self._cm.__exit__(*exc)

    def __len__(self):
        return self.count


# --- set-up -------------------------------------------------------------------------------

def plain_static_storage() -> None:
    """Pages render without collectstatic (as the tests do): the plain static storage."""
    from django.conf import settings

    settings.STORAGES = {**settings.STORAGES, "staticfiles": {
        "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"}}


def standalone_django(prefix: str) -> str:
    """Set Django up for a benchmark that builds its own data: a new scratch folder (named
    ``prefix``…, in the system's temporary directory) as ``TAIZHANG_VAR_DIR``, so a fresh
    SQLite file database there (``DATABASE_URL`` is ignored), this checkout's ``src`` first
    on the path, ``django.setup()``, plain static storage. Call at import time, before any
    ``taizhang`` import; migrate in ``main``. Returns the scratch folder."""
    scratch = tempfile.mkdtemp(prefix=prefix)
    sys.path.insert(0, str(HERE.parent / "src"))
    os.environ["TAIZHANG_VAR_DIR"] = scratch
    os.environ.pop("DATABASE_URL", None)
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
    import django

    django.setup()
    plain_static_storage()
    return scratch


def setup(args) -> tuple[dict, str | None]:
    """Configure Django on the data set of ``args.scale`` (or ``args.database_url``);
    returns (metadata, scratch folder to remove)."""
    scratch = tempfile.mkdtemp(prefix="tz-bench-scale-")
    if args.database_url:
        citygen.use_database(args.database_url, scratch)
    else:
        t0 = time.perf_counter()
        source = citygen.ensure(args.scale, args.cache_dir, quiet=getattr(args, "board_only", False))
        work = Path(scratch) / "city.sqlite3"
        shutil.copyfile(source, work)
        if not getattr(args, "board_only", False):
            print(f"(data set {source.name}, copied in {time.perf_counter() - t0:.1f} s)", flush=True)
        citygen.use_database(f"sqlite:///{work}", scratch)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import override_settings

    # Pages render without collectstatic (as the tests do): plain static storage.
    override_settings(STORAGES={
        "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }, WHITENOISE_USE_FINDERS=True).enable()
    call_command("migrate", verbosity=0)  # migrations added since the data set was cached
    meta = citygen.read_meta()
    if not meta:
        raise SystemExit("no generated data set in this database (run citygen.py first)")
    return meta, scratch


def staff_client(meta):
    from django.contrib.auth import get_user_model
    from django.test import Client

    user = get_user_model().objects.get(username=meta["staff_username"])
    client = Client()
    client.force_login(user)
    return client, user


# --- command line and report ------------------------------------------------------------

def arguments(description: str) -> argparse.ArgumentParser:
    """A parser with the options every city-scale benchmark takes: ``--scale`` (fraction of
    the 500-branch city), ``--repeat`` (runs per median), ``--cache-dir`` and
    ``--database-url`` (a database already filled by ``citygen.py``)."""
    parser = argparse.ArgumentParser(description=description)
    parser.add_argument("--scale", type=float, default=1.0, help="fraction of the city (1 = 500 branches)")
    parser.add_argument("--repeat", type=int, default=5, help="runs per median")
    parser.add_argument("--cache-dir", type=Path, default=None)
    parser.add_argument("--database-url", default=None, help="a database already filled by citygen.py")
    return parser


def describe(meta: dict) -> None:
    """Print the data set's size and statuses (the first lines of each benchmark's log)."""
    from django.db import connection

    print(f"city data set at scale {meta['scale']:g} ({connection.vendor}): {meta['branches']} branches, "
          f"{meta['groups']} groups, {meta['members']} members, {meta['records']} records, "
          f"{meta['meeting_attendance']} meeting + {meta['study_attendance']} study attendance rows, "
          f"{meta['assignments']} assignments, {meta['occurrences']} occurrences "
          f"(generated in {meta['seconds']} s; first evaluate_campaign {meta['timings']['evaluate_campaign']} s)")
    print(f"  statuses after evaluation: assignments {meta['statuses']['assignments']}, "
          f"occurrences {meta['statuses']['occurrences']}", flush=True)


def run(args, sections) -> int:
    """Set up on the data set of ``args``, describe it, then call each of ``sections`` (a
    callable taking ``(meta, args, scratch)``) in turn; an exception becomes a failure. Closes
    the connection and removes the scratch folder; returns the exit status (1 when a check
    failed — never because a figure is slow)."""
    t_start = time.perf_counter()
    meta, scratch = setup(args)
    from django.db import connection

    describe(meta)
    try:
        for section in sections:
            section(meta, args, scratch)
            sys.stdout.flush()
    except Exception as exc:  # noqa: BLE001 — report, then exit non-zero
        import traceback

        traceback.print_exc()
        fail(f"error: {exc!r}")
    finally:
        connection.close()
        shutil.rmtree(scratch, ignore_errors=True)
    print(f"(total {time.perf_counter() - t_start:.0f} s)")
    if FAILURES:
        print(f"FAILED: {len(FAILURES)} check(s): " + "; ".join(FAILURES))
        return 1
    return 0


# --- two scales in subprocesses -----------------------------------------------------------

def two_scales(script: str, scale: float, repeat: int) -> list[dict] | None:
    """Run ``script --one --scale S --repeat R`` for ``scale / 10`` and ``scale``, each in a
    subprocess of its own (Django is set up once per data set), and return their JSON
    results (the last line of each output), small scale first; ``None`` after printing the
    end of the failing run's error output. The loop ``bench_compliance`` and
    ``bench_branchlife`` share (their query counts must not depend on the scale)."""
    import json
    import os
    import subprocess

    results = []
    for one in (scale / 10, scale):
        out = subprocess.run([sys.executable, script, "--one", "--scale", f"{one:g}", "--repeat", str(repeat)],
                             capture_output=True, text=True, env={**os.environ})
        if out.returncode != 0:
            print(out.stderr[-2000:], file=sys.stderr)
            return None
        results.append(json.loads(out.stdout.strip().splitlines()[-1]))
    return results

"""A bounded HTTP load run (issue 14 §7): ``taizhang serve`` (gunicorn, 2 workers) on
127.0.0.1 over a private copy of the city data set, and a Python client with ``--clients``
concurrent connections (default 10) requesting each main page for ``--seconds`` as the
committee staff user: requests/s and p50/p95, beside ``/login/`` (a page without data) in
the same run.

    python benchmarks/bench_http.py [--scale 1] [--seconds 10] [--clients 10]
    python benchmarks/bench_http.py --database-url postgres://…/city   # filled by citygen.py

On SQLite the server works on a private copy of the cached data set of ``--scale``; with
``--database-url`` (a database filled by ``citygen.py --database-url``, e.g. PostgreSQL; its
scale is the one it was filled with) on that database itself, whose figures are named with
the vendor (``http_meeting_list_p95_postgresql``). The pages: the login page, the home
page, the record lists of the first screen (meetings, study sessions, talks), the progress
board, the dashboard and the rectification ledger.

Prints ``figure:`` lines (``figures.py``); exit status 1 when a page answered an error.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
sys.path.insert(0, str(HERE))

import citygen  # noqa: E402
from figures import figure, percentile  # noqa: E402

LOGIN_SCRIPT = """
import json, django
django.setup()
from django.contrib.auth import get_user_model
from django.test import Client
from django.conf import settings
import citygen
meta = citygen.read_meta()
client = Client()
client.force_login(get_user_model().objects.get(username=meta["staff_username"]))
print(json.dumps({"cookie": settings.SESSION_COOKIE_NAME, "session": client.cookies[settings.SESSION_COOKIE_NAME].value,
                  "campaign": meta["campaign_id"], "scale": meta["scale"], "branches": meta["branches"]}))
"""


def vendor_of(database_url: str) -> str:
    """The figure suffix of a database URL: ``postgresql`` for postgres://…, else its scheme."""
    scheme = database_url.split(":", 1)[0].lower()
    return "postgresql" if scheme.startswith("postgres") else scheme


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_for(port: int, seconds: float = 120) -> None:
    deadline = time.time() + seconds
    while time.time() < deadline:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                return
        except OSError:
            time.sleep(0.3)
    raise RuntimeError(f"nothing listens on port {port} after {seconds} s")


def load(port: int, path: str, cookie: str, clients: int, seconds: float) -> dict:
    """``clients`` threads GET ``path`` (a new connection per request, as gunicorn's sync
    workers close them) until ``seconds`` have passed; latencies in ms, errors counted."""
    stop = time.perf_counter() + seconds
    latencies: list[float] = []
    errors: list[int] = []
    lock = threading.Lock()

    def worker():
        while time.perf_counter() < stop:
            start = time.perf_counter()
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
            try:
                conn.request("GET", path, headers={"Cookie": cookie, "Host": "127.0.0.1"})
                response = conn.getresponse()
                response.read()
                status = response.status
            except OSError:
                status = 599
            finally:
                conn.close()
            with lock:
                latencies.append((time.perf_counter() - start) * 1000)
                if status != 200:
                    errors.append(status)

    start = time.perf_counter()
    threads = [threading.Thread(target=worker) for _ in range(clients)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    elapsed = time.perf_counter() - start
    return {"n": len(latencies), "rps": len(latencies) / elapsed, "p50": percentile(latencies, 0.5),
            "p95": percentile(latencies, 0.95), "errors": errors}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--scale", type=float, default=1.0)
    parser.add_argument("--seconds", type=float, default=10)
    parser.add_argument("--clients", type=int, default=10)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--database-url", default=None,
                        help="a database already filled by citygen.py --database-url (else a copy of the SQLite set)")
    args = parser.parse_args()
    scratch = Path(tempfile.mkdtemp(prefix="tz-bench-http-"))
    if args.database_url:
        database_url, suffix = args.database_url, "_" + vendor_of(args.database_url)
    else:
        work = scratch / "city.sqlite3"
        shutil.copyfile(citygen.ensure(args.scale, quiet=True), work)
        database_url, suffix = f"sqlite:///{work}", ""
    env = {**os.environ, "DATABASE_URL": database_url, "TAIZHANG_VAR_DIR": str(scratch),
           "DJANGO_SETTINGS_MODULE": "taizhang.settings", "HUEY_IMMEDIATE": "1",
           "PYTHONPATH": os.pathsep.join([str(ROOT / "src"), str(HERE)])}
    py = sys.executable
    subprocess.run([py, "-m", "taizhang.cli", "migrate", "-v", "0"], env=env, check=True)
    login = json.loads(subprocess.run([py, "-c", LOGIN_SCRIPT], env=env, check=True, capture_output=True,
                                      text=True).stdout.strip().splitlines()[-1])
    cookie = f"{login['cookie']}={login['session']}"
    port = free_port()
    log = (scratch / "serve.log").open("w")
    server = subprocess.Popen([py, "-m", "taizhang.cli", "serve", "--port", str(port), "--workers",
                               str(args.workers), "--no-worker"], env=env, stdout=log, stderr=subprocess.STDOUT)
    failed = []
    try:
        wait_for(port)
        campaign = login["campaign"]
        pages = [("login", "/login/", ""), ("home", "/", cookie), ("meeting_list", "/records/meeting/", cookie),
                 ("study_list", "/records/study/", cookie), ("talk_list", "/records/talk/", cookie),
                 ("board", f"/plans/{campaign}/board/", cookie),
                 ("dashboard", f"/plans/{campaign}/dashboard/", cookie),
                 ("rectification_ledger", "/rectification/", cookie)]
        load(port, "/login/", "", 2, 1)  # warm both workers
        results = {}
        for name, path, page_cookie in pages:
            load(port, path, page_cookie, 2, 0.5)  # warm this page
            results[name] = r = load(port, path, page_cookie, args.clients, args.seconds)
            if r["errors"]:
                failed.append(f"{path}: {len(r['errors'])} errors ({sorted(set(r['errors']))})")
        base = results["login"]
        figure(f"http_login_rps{suffix}", base["rps"], "req/s")
        figure(f"http_login_p95{suffix}", base["p95"], "ms")
        for name, r in results.items():
            if name == "login":
                continue
            figure(f"http_{name}_rps{suffix}", r["rps"], "req/s", r["rps"] / base["rps"])
            figure(f"http_{name}_p95{suffix}", r["p95"], "ms", r["p95"] / base["p95"], "<=300")
            print(f"  {name}: {r['n']} requests, p50 {r['p50']:.0f} ms, p95 {r['p95']:.0f} ms")
        print(f"  ({args.clients} clients, {args.workers} gunicorn workers, {args.seconds:g} s per page, "
              f"scale {login['scale']:g}: {login['branches']} branches, {database_url.split(':')[0]}; "
              f"load average {os.getloadavg()[0]:.1f})")
    finally:
        server.terminate()
        try:
            server.wait(timeout=15)
        except subprocess.TimeoutExpired:
            server.kill()
        log.close()
        shutil.rmtree(scratch, ignore_errors=True)
    if failed:
        print("FAILED: " + "; ".join(failed))
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

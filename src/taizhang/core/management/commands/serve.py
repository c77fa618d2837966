"""``taizhang serve``: collect static files and serve the site with gunicorn (production WSGI).

Unless ``--no-worker`` is given, the background-job consumer (``taizhang worker``: reminder
e-mails, robot messages, the daily reminder run) is started beside the web server and stopped
with it, so that ``make run`` delivers reminders without a second terminal. A deployment that
runs the worker as its own service passes ``--no-worker``.

The site's address in e-mails, robot messages and calendar feeds (``TAIZHANG_BASE_URL``)
follows ``--host``/``--port`` unless the environment sets it (:func:`default_base_url`), so
``make run PORT=8011`` sends links to port 8011.
"""

import os
import subprocess
import sys

from django.core.management import call_command
from django.core.management.base import BaseCommand
from django.utils.translation import gettext as _

from taizhang.core.commands import bounded_int


def worker_command() -> list[str]:
    """The command line that runs ``taizhang worker`` with this interpreter."""
    return [sys.executable, "-m", "taizhang.cli", "worker"]


def default_base_url(host: str, port: int) -> str:
    """The address users type for a server bound to ``host``:``port``: that host, or for all
    interfaces (0.0.0.0, ::) the first concrete ``ALLOWED_HOSTS`` entry (as the README's
    ``make run HOST=0.0.0.0 ALLOWED_HOSTS=192.168.1.10``), else 127.0.0.1; https when
    ``TAIZHANG_HTTPS``. An IPv6 address is bracketed."""
    from django.conf import settings

    if host in ("0.0.0.0", "::", ""):
        concrete = [h for h in settings.ALLOWED_HOSTS if h and h != "*" and not h.startswith(".")
                    and h != "testserver"]
        host = concrete[0] if concrete else "127.0.0.1"
    if ":" in host and not host.startswith("["):
        host = f"[{host}]"
    scheme = "https" if getattr(settings, "TAIZHANG_HTTPS", False) else "http"
    return f"{scheme}://{host}:{port}"


def apply_base_url(host: str, port: int) -> str:
    """Set ``settings.TAIZHANG_BASE_URL`` to :func:`default_base_url` unless the environment
    names one (an explicit ``TAIZHANG_BASE_URL`` wins); the gunicorn workers inherit it and
    :func:`worker_env` passes it to the job worker. Returns the address in use."""
    from django.conf import settings

    if not os.environ.get("TAIZHANG_BASE_URL"):
        settings.TAIZHANG_BASE_URL = default_base_url(host, port)
    return settings.TAIZHANG_BASE_URL


def worker_env() -> dict:
    """The environment of the job worker: this one, with the site's address in use."""
    from django.conf import settings

    return {**os.environ, "TAIZHANG_BASE_URL": settings.TAIZHANG_BASE_URL}


def start_worker():
    """Start the background-job consumer as a child process; None when tasks run inline
    (``HUEY_IMMEDIATE``), where there is nothing to consume. Returns the ``Popen``."""
    from huey.contrib.djhuey import HUEY

    if HUEY.immediate:
        return None
    return subprocess.Popen(worker_command(), env=worker_env())


def stop_worker(process) -> None:
    """Stop a worker started by :func:`start_worker` (waits up to 10 s, then kills it)."""
    if process is None or process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()


def gunicorn_config(host: str, port: int, workers: int) -> dict:
    """gunicorn's settings for ``taizhang serve`` (issue 13 §4): besides the address and
    workers, request lines and headers are limited (gunicorn refuses more before the body),
    request bodies are capped by the WSGI wrapper (``core.bodylimit``), and each worker is
    replaced after ``TAIZHANG_MAX_REQUESTS`` requests (+ up to ``TAIZHANG_MAX_REQUESTS_JITTER``),
    returning to the system what a large request left in its memory."""
    from django.conf import settings

    return {
        "bind": f"{host}:{port}",
        "workers": workers,
        "accesslog": "-",
        "timeout": 120,
        "limit_request_line": 8190,
        "limit_request_fields": 100,
        "limit_request_field_size": 8190,
        "max_requests": settings.TAIZHANG_MAX_REQUESTS,
        "max_requests_jitter": settings.TAIZHANG_MAX_REQUESTS_JITTER,
    }


class Command(BaseCommand):
    help = "Serve Taizhang with gunicorn and WhiteNoise static files (not runserver), with the worker."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", type=bounded_int("--port", 1, 65535), default=8000)
        parser.add_argument("--workers", type=bounded_int("--workers", 1, 64), default=2)
        parser.add_argument("--no-worker", action="store_true",
                            help="do not start the background-job consumer (run `taizhang worker` yourself)")

    def handle(self, *args, host, port, workers, no_worker=False, **options):
        from gunicorn.app.base import BaseApplication

        # Collect before the WSGI app is built: WhiteNoise indexes STATIC_ROOT when its
        # middleware starts, so files collected afterwards would not be served.
        call_command("collectstatic", interactive=False, verbosity=0)
        from taizhang.wsgi import application

        class Server(BaseApplication):
            def load_config(self):
                for name, value in gunicorn_config(host, port, workers).items():
                    self.cfg.set(name, value)

            def load(self):
                return application

        base_url = apply_base_url(host, port)
        worker = None if no_worker else start_worker()
        if worker is not None:
            self.stdout.write(_("后台任务：taizhang worker 已启动（进程 %(pid)d）") % {"pid": worker.pid})
        self.stdout.write(_("台账已启动：http://%(host)s:%(port)s/（按 Ctrl+C 停止）") % {"host": host, "port": port})
        self.stdout.write(_("邮件、机器人消息和日历订阅中的链接地址：%(url)s") % {"url": base_url})
        try:
            Server().run()
        finally:
            stop_worker(worker)

"""``taizhang serve`` starts the background-job consumer beside gunicorn and stops it after."""

import subprocess
import sys

import pytest
from django.core.management import call_command
from gunicorn.app.base import BaseApplication
from huey.contrib.djhuey import HUEY

from taizhang.core.management.commands import serve


class FakeProcess:
    pid = 4242

    def __init__(self, argv):
        self.argv, self.stopped = argv, False

    def poll(self):
        return 0 if self.stopped else None

    def terminate(self):
        self.stopped = True

    def wait(self, timeout=None):
        return 0


@pytest.fixture
def served(monkeypatch, settings, tmp_path):
    """Run ``serve`` with gunicorn's loop and the child process replaced; returns what ran."""
    settings.STATIC_ROOT = tmp_path
    seen = {"processes": [], "configs": []}

    def popen(argv, *args, **kwargs):
        seen["processes"].append(FakeProcess(argv))
        return seen["processes"][-1]

    def run(app):
        app.load_config()
        seen["configs"].append(app.cfg.bind)

    monkeypatch.setattr(subprocess, "Popen", popen)
    monkeypatch.setattr(BaseApplication, "run", run)
    monkeypatch.setattr(HUEY, "immediate", False)
    return seen


@pytest.mark.django_db
def test_serve_starts_the_worker_and_stops_it_with_the_server(served, capsys):
    call_command("serve", "--port", "8123")
    assert served["configs"] == [["127.0.0.1:8123"]]
    [process] = served["processes"]
    assert process.argv == [sys.executable, "-m", "taizhang.cli", "worker"]
    assert process.stopped
    assert "taizhang worker 已启动（进程 4242）" in capsys.readouterr().out


@pytest.mark.django_db
def test_no_worker_option_and_inline_tasks_start_none(served, monkeypatch):
    call_command("serve", "--no-worker")
    assert served["processes"] == []
    monkeypatch.setattr(HUEY, "immediate", True)
    call_command("serve")
    assert served["processes"] == []


def test_stop_worker_ends_a_real_child():
    child = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    serve.stop_worker(child)
    assert child.poll() is not None
    serve.stop_worker(child)  # already ended: nothing to do
    serve.stop_worker(None)

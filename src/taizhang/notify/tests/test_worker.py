"""Background-job configuration: SQLite storage by default (no server), Redis when
HUEY_REDIS_URL is set, immediate in tests; the daily schedule; the worker command."""

import datetime as dt
import os
import socket
import subprocess
import sys

import pytest
from django.core.management import get_commands, load_command_class
from huey.contrib.djhuey import HUEY

from taizhang.notify import tasks

SCRIPT = """
import django, os
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "taizhang.settings")
django.setup()
from huey.contrib.djhuey import HUEY
from taizhang.notify import tasks
print(type(HUEY).__name__, HUEY.immediate, HUEY.utc)
tasks.deliver_test(0)          # enqueued, not run: the worker would run it
print("pending", HUEY.pending_count())
task = HUEY.dequeue()
print("dequeued", task.name)
HUEY.flush()
"""


def run_script(tmp_path, **env):
    clean = {k: v for k, v in os.environ.items() if k not in ("PYTEST_VERSION", "HUEY_IMMEDIATE",
                                                              "HUEY_REDIS_URL")}
    clean.update(TAIZHANG_VAR_DIR=str(tmp_path), DATABASE_URL="", **env)
    done = subprocess.run([sys.executable, "-c", SCRIPT], env=clean, capture_output=True,
                          text=True, timeout=60)
    assert done.returncode == 0, done.stderr
    return done.stdout.splitlines()


def test_tests_run_tasks_inline():
    assert HUEY.immediate is True


def test_default_storage_is_a_sqlite_file_needing_no_server(tmp_path):
    assert run_script(tmp_path) == ["SqliteHuey False False", "pending 1",
                                    "dequeued notify.deliver_test"]
    assert (tmp_path / "huey.sqlite3").is_file()


def _redis_reachable() -> bool:
    try:
        with socket.create_connection(("127.0.0.1", 6379), timeout=1):
            return True
    except OSError:
        return False


@pytest.mark.skipif(not _redis_reachable(), reason="no Redis at 127.0.0.1:6379")
def test_redis_is_used_when_configured(tmp_path):
    lines = run_script(tmp_path, HUEY_REDIS_URL="redis://127.0.0.1:6379/15")
    assert lines == ["RedisHuey False False", "pending 1", "dequeued notify.deliver_test"]
    assert not (tmp_path / "huey.sqlite3").exists()


def test_daily_run_is_at_0830_local_time_on_working_days_only(settings, db):
    assert tasks.reminder_time() == (8, 30)
    cron = tasks.daily_reminders.s().validate_datetime
    assert cron(dt.datetime(2023, 10, 23, 8, 30)) and not cron(dt.datetime(2023, 10, 23, 0, 30))
    assert tasks.run_daily(dt.date(2023, 10, 1)) is None  # National Day: nothing is sent
    assert tasks.run_daily(dt.date(2023, 10, 7)).total == 0  # a make-up working day runs
    settings.NOTIFY_REMINDER_TIME = "25:00"
    with pytest.raises(ValueError):
        tasks.reminder_time()


def test_worker_command_wraps_run_huey():
    from huey.contrib.djhuey.management.commands.run_huey import Command as RunHuey

    assert get_commands()["worker"] == "taizhang.notify"
    assert isinstance(load_command_class("taizhang.notify", "worker"), RunHuey)

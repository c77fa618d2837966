"""Large imports as background jobs with progress the user sees (issue 13 §1).

A confirmed import of many rows is not run in the web request: :func:`start_job` keeps the
file under ``MEDIA_ROOT/jobs/<id>/`` (beside the pending uploads; not served) with a small JSON state file beside it and queues
:func:`taizhang.core.tasks.run_job` on huey (``taizhang worker``; inline when
``HUEY_IMMEDIATE``). The job calls the import function named by its dotted path, which
reports ``progress(percent, stage)``; the state file is rewritten atomically (temporary file
+ rename), so the page ``/jobs/<id>/`` (refreshing itself while the job runs) reads it from
any web worker, and the user can leave and come back (``/jobs/`` lists their recent jobs).
No table is needed, and a job survives a restart of the web server.

A job's state: ``id``, ``user_id``, ``org_id``, ``label`` (what is imported), ``name`` (the
user's file name), ``status`` (queued → running → done | failed), ``percent`` (0–100),
``stage`` (read/check/write/done), ``summary``, ``errors`` and ``warnings`` (texts),
``next_url``, ``created``/``finished`` (ISO times).
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import time
from pathlib import Path

from django.conf import settings
from django.utils import timezone
from django.utils.module_loading import import_string

JOB_ID_LENGTH = 32
KEEP_SECONDS = 7 * 24 * 3600  # finished jobs older than this are dropped by the next start_job
STATE = "job.json"


def jobs_dir() -> Path:
    """The folder of all jobs (created on first use)."""
    path = Path(settings.MEDIA_ROOT) / "jobs"
    path.mkdir(parents=True, exist_ok=True)
    return path


def _folder(job_id: str) -> Path:
    if len(job_id or "") != JOB_ID_LENGTH or any(c not in "0123456789abcdef" for c in job_id):
        raise KeyError(job_id)
    return jobs_dir() / job_id


def read_job(job_id: str) -> dict:
    """The state of job ``job_id``. Raises ``KeyError`` for an unknown or malformed id."""
    try:
        return json.loads((_folder(job_id) / STATE).read_text("utf-8"))
    except (FileNotFoundError, json.JSONDecodeError) as missing:
        raise KeyError(job_id) from missing


def write_job(state: dict) -> dict:
    """Save ``state`` (atomically: readers never see half a file). Returns it."""
    folder = _folder(state["id"])
    tmp = folder / f".{STATE}.{os.getpid()}.tmp"
    tmp.write_text(json.dumps(state, ensure_ascii=False), "utf-8")
    os.replace(tmp, folder / STATE)
    return state


def update_job(job_id: str, **changes) -> dict:
    """Change some fields of a job's state; returns the new state."""
    state = read_job(job_id)
    state.update(changes)
    return write_job(state)


def user_jobs(user, limit: int = 20) -> list[dict]:
    """The jobs ``user`` started, newest first (at most ``limit``)."""
    found = []
    for folder in jobs_dir().iterdir():
        try:
            state = read_job(folder.name)
        except KeyError:
            continue
        if state.get("user_id") == user.pk:
            found.append(state)
    found.sort(key=lambda s: s.get("created", ""), reverse=True)
    return found[:limit]


def prune(keep_seconds: float | None = None) -> int:
    """Remove the folders of finished jobs (done or failed) untouched for ``keep_seconds``
    (default :data:`KEEP_SECONDS`; the daily task passes ``TAIZHANG_JOB_KEEP_DAYS``), and of
    folders without a readable state that old. Returns how many were removed."""
    keep = KEEP_SECONDS if keep_seconds is None else keep_seconds
    now, removed = time.time(), 0
    for folder in jobs_dir().iterdir():
        try:
            if now - folder.stat().st_mtime <= keep:
                continue
            try:
                finished = read_job(folder.name)["status"] in ("done", "failed")
            except KeyError:
                finished = True  # a broken or foreign folder
            if finished:
                shutil.rmtree(folder, ignore_errors=True) if folder.is_dir() else folder.unlink()
                removed += 1
        except OSError:
            continue
    return removed


def start_job(*, runner: str, source: Path, name: str, org, user, label: str, next_url: str) -> dict:
    """Queue the import of the file ``source`` (moved into the job's folder) into ``org``.

    ``runner``: the dotted path of an import function called as
    ``runner(path, org, dry_run=False, user=user, name=name, progress=callback)`` that is
    atomic itself and returns a result with ``ok``, ``errors``, ``warnings`` and
    ``summary()``. ``label``: what is imported, shown on the job page; ``next_url``: where
    the finished job links to. Returns the job's state (its ``id`` for the page).
    """
    from .tasks import run_job

    prune()
    job_id = secrets.token_hex(JOB_ID_LENGTH // 2)
    folder = jobs_dir() / job_id
    folder.mkdir()
    shutil.move(str(source), folder / source.name)
    state = write_job({
        "id": job_id, "runner": runner, "user_id": user.pk, "org_id": org.pk, "label": str(label),
        "name": Path(name).name, "file": source.name, "status": "queued", "percent": 0, "stage": "", "summary": "",
        "errors": [], "warnings": [], "next_url": next_url,
        "created": timezone.now().isoformat(), "finished": "",
    })
    run_job(job_id)
    return read_job(job_id) if settings.HUEY.get("immediate") else state


def execute(job_id: str) -> dict:
    """Run job ``job_id`` (the worker's task): call its runner with progress reports, keep
    the outcome in its state, drop its file. Any exception fails the job with its message
    (nothing is written: the runner is atomic). Returns the final state."""
    from django.contrib.auth import get_user_model

    from taizhang.orgs.models import Organization

    if read_job(job_id).get("kind") == "export":
        from .export_jobs import execute as execute_export

        return execute_export(job_id)
    state = update_job(job_id, status="running", percent=1)
    folder = _folder(job_id)
    last = [0.0]

    def progress(percent: int, stage: str) -> None:
        if percent >= 100 or time.monotonic() - last[0] > 0.5:
            last[0] = time.monotonic()
            update_job(job_id, percent=max(1, min(99, int(percent))), stage=stage)

    try:
        runner = import_string(state["runner"])
        org = Organization.objects.get(pk=state["org_id"])
        user = get_user_model().objects.get(pk=state["user_id"])
        result = runner(folder / state["file"], org, dry_run=False, user=user, name=state["name"],
                        progress=progress)
        outcome = {"status": "done" if result.ok else "failed", "summary": result.summary(),
                   "errors": [str(e) for e in result.errors[:200]],
                   "warnings": [str(w) for w in result.warnings[:200]]}
    except Exception as error:  # noqa: BLE001 — the job page shows why it stopped
        outcome = {"status": "failed", "summary": "", "errors": [f"{type(error).__name__}: {error}"],
                   "warnings": []}
    finally:
        (folder / state["file"]).unlink(missing_ok=True)
    return update_job(job_id, percent=100, stage="done", finished=timezone.now().isoformat(), **outcome)

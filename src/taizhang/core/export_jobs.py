"""Big Excel exports as background jobs (issue 11 §3): an export of more rows than
``settings.TAIZHANG_BACKGROUND_EXPORT_ROWS`` (default 5,000) is not written in the web request.

An export view calls :func:`offload` with its row count first; when the export is large it
gets back a redirect to the job page of :mod:`taizhang.core.jobs` (the same page as the large
imports, ``/jobs/<id>/``) and returns it. The worker (:func:`execute`) then calls the same view
again, as the same user, with the same path and query string and with the request marked as
the job's, so the view skips :func:`offload` and returns its file, which the job keeps as
``result`` in its folder; the page offers it for download (``/jobs/<id>/download/``) to its
owner only. A small export stays a direct download, unchanged.
"""

from __future__ import annotations

import re
import secrets
from pathlib import Path
from urllib.parse import unquote

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.shortcuts import redirect
from django.utils import timezone, translation

from . import jobs

IN_JOB = "taizhang_export_job"  # attribute set on the worker's request


def threshold() -> int:
    """Exports of more rows than this run in the background (setting
    ``TAIZHANG_BACKGROUND_EXPORT_ROWS``)."""
    return getattr(settings, "TAIZHANG_BACKGROUND_EXPORT_ROWS", 5000)


def offload(request, rows: int, label: str):
    """A redirect to a new background export job when ``rows`` (the export's row count) is
    over :func:`threshold` and ``request`` is a user's (not the worker's), else None (the
    view writes its file itself). ``label``: what is exported, shown on the job page."""
    if getattr(request, IN_JOB, False) or rows <= threshold():
        return None
    state = start_export(request, rows=rows, label=label)
    return redirect("job_detail", job_id=state["id"])


def start_export(request, *, rows: int, label: str) -> dict:
    """Queue the export of ``request``'s view (its path and query string, its user and
    language) on huey; returns the job's state."""
    from .tasks import run_job

    jobs.prune()
    job_id = secrets.token_hex(jobs.JOB_ID_LENGTH // 2)
    (jobs.jobs_dir() / job_id).mkdir()
    state = jobs.write_job({
        "id": job_id, "kind": "export", "runner": "", "user_id": request.user.pk, "org_id": None,
        "label": str(label), "name": f"{rows} 行", "file": "", "path": request.path,
        "query": request.GET.urlencode(), "language": translation.get_language() or settings.LANGUAGE_CODE,
        "rows": rows, "status": "queued", "percent": 0, "stage": "", "summary": "", "errors": [], "warnings": [],
        "next_url": "", "result": "", "created": timezone.now().isoformat(), "finished": "",
    })
    run_job(job_id)
    return jobs.read_job(job_id) if settings.HUEY.get("immediate") else state


def _filename(disposition: str, default: str) -> str:
    found = re.search(r"filename\*=(?:UTF-8|utf-8)''([^;]+)", disposition or "")
    if found:
        return unquote(found.group(1))
    found = re.search(r'filename="([^"]+)"', disposition or "")
    return found.group(1) if found else default


def run_view(state: dict, user):
    """The export view's response for the job's path and query, as ``user``."""
    from django.urls import resolve

    request = HttpRequest()
    request.method = "GET"
    request.path = request.path_info = state["path"]
    request.GET = QueryDict(state["query"])
    request.META = {"SERVER_NAME": "worker", "SERVER_PORT": "80", "REQUEST_METHOD": "GET",
                    "QUERY_STRING": state["query"]}
    request.user = user
    setattr(request, IN_JOB, True)
    match = resolve(state["path"])
    with translation.override(state.get("language")):
        return match.func(request, *match.args, **match.kwargs)


def execute(job_id: str) -> dict:
    """Run export job ``job_id`` (the worker's task): the view's file is kept as the job's
    result. A failure (an exception, a response other than 200) fails the job with its reason.
    Returns the final state."""
    from django.contrib.auth import get_user_model

    state = jobs.update_job(job_id, status="running", percent=5, stage="write")
    target = jobs.jobs_dir() / state["id"] / "result"
    try:
        user = get_user_model().objects.get(pk=state["user_id"], is_active=True)
        response = run_view(state, user)
        if response.status_code != 200:
            raise RuntimeError(f"导出返回状态 {response.status_code}")
        with target.open("wb") as handle:
            for chunk in (response.streaming_content if response.streaming else [response.content]):
                handle.write(chunk)
        # Not response.close(): it sends request_finished, which closes the worker's (or, run
        # inline, the request's) database connection. Close the streamed file itself.
        if getattr(response, "file_to_stream", None) is not None:
            response.file_to_stream.close()
        name = _filename(response.headers.get("Content-Disposition", ""), f"{state['label']}.xlsx")
        outcome = {"status": "done", "result": Path(name).name, "summary": f"{state['label']}：{state['rows']} 行",
                   "content_type": response.headers.get("Content-Type", "application/octet-stream")}
    except Exception as error:  # noqa: BLE001 — the job page shows why it stopped
        target.unlink(missing_ok=True)
        outcome = {"status": "failed", "errors": [f"{type(error).__name__}: {error}"]}
    return jobs.update_job(job_id, percent=100, stage="done", finished=timezone.now().isoformat(), **outcome)

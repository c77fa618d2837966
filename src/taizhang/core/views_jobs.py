"""The pages of background jobs (:mod:`taizhang.core.jobs`): one job's progress and outcome,
and the list of the user's recent jobs. A user sees only the jobs they started (404 else)."""

from __future__ import annotations

import datetime as dt

from django.contrib.auth.decorators import login_required
from django.http import FileResponse, Http404
from django.shortcuts import render
from django.utils.translation import gettext_lazy as _

from . import jobs

STAGES = {"": _("排队等候"), "read": _("读取文件"), "check": _("检查数据"), "write": _("写入数据"), "done": _("完成")}
STATUSES = {"queued": _("排队等候"), "running": _("正在导入"), "done": _("已完成"), "failed": _("未导入")}
EXPORT_STATUSES = {"queued": _("排队等候"), "running": _("正在导出"), "done": _("已完成"), "failed": _("导出失败")}


def _labelled(state: dict) -> dict:
    return {**state, "created_at": dt.datetime.fromisoformat(state["created"]),
            "stage_label": STAGES.get(state.get("stage", ""), state.get("stage")),
            "status_label": (EXPORT_STATUSES if state.get("kind") == "export" else STATUSES).get(
                state["status"], state["status"]),
            "export": state.get("kind") == "export",
            "running": state["status"] in ("queued", "running")}


@login_required
def job_detail(request, job_id: str):
    """One job: progress bar while it runs (the page refreshes itself every 2 s), then its
    summary, or every error with nothing written."""
    from .uploads import SHOWN_ERRORS

    state = _own(request, job_id)
    errors = list(state.get("errors") or ())
    return render(request, "core/job.html", {"job": _labelled(state), "errors_shown": errors[:SHOWN_ERRORS],
                                             "errors_more": max(0, len(errors) - SHOWN_ERRORS)})


def _own(request, job_id: str) -> dict:
    try:
        state = jobs.read_job(job_id)
    except KeyError:
        raise Http404 from None
    if state.get("user_id") != request.user.pk:
        raise Http404
    return state


@login_required
def job_download(request, job_id: str):
    """The file of a finished background export (its owner only; 404 else)."""
    state = _own(request, job_id)
    path = jobs.jobs_dir() / state["id"] / "result"
    if state.get("kind") != "export" or state["status"] != "done" or not path.exists():
        raise Http404
    return FileResponse(path.open("rb"), as_attachment=True, filename=state["result"],
                        content_type=state.get("content_type") or "application/octet-stream")


@login_required
def job_list(request):
    """The user's recent jobs, newest first."""
    return render(request, "core/jobs.html", {"jobs": [_labelled(s) for s in jobs.user_jobs(request.user)]})

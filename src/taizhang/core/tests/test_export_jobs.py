"""Big Excel exports run as background jobs (issue 11 §3), small ones stay direct; old job
files are removed by the daily tasks."""

import datetime as dt
import io
import os
import time

import openpyxl
import pytest
from django.urls import reverse
from django.utils import timezone

from taizhang.core import jobs
from taizhang.core.tasks import prune_job_files
from taizhang.core.testing import SECRET, build_world
from taizhang.orgs.tests.factories import MemberFactory
from taizhang.records.testing import sample_meeting


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    world = build_world()
    a = MemberFactory(org=world.branch_a, name="张明")
    for i in range(3):
        sample_meeting(world.branch_a, a, f"甲支部会议{i}")
    sample_meeting(world.branch_b, world.member_b, SECRET)
    return world


def _rows(content: bytes) -> list[str]:
    sheet = openpyxl.load_workbook(io.BytesIO(content)).active
    return [" ".join(str(c) for c in row if c is not None) for row in sheet.iter_rows(values_only=True)]


def test_a_small_export_is_a_direct_download(client, world, settings):
    settings.TAIZHANG_BACKGROUND_EXPORT_ROWS = 3
    client.force_login(world.secretary_a)
    response = client.get(reverse("records:meeting_export"))
    assert response.status_code == 200 and response.streaming
    assert sum("甲支部会议" in r for r in _rows(b"".join(response.streaming_content))) == 3
    assert list(jobs.jobs_dir().iterdir()) == []


def test_a_large_export_runs_as_a_job_downloaded_by_its_owner_only(client, world, settings):
    settings.TAIZHANG_BACKGROUND_EXPORT_ROWS = 2
    client.force_login(world.secretary_a)
    response = client.get(reverse("records:meeting_export"))
    assert response.status_code == 302 and response.url.startswith("/jobs/")
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    state = jobs.read_job(job_id)
    assert (state["kind"], state["status"], state["rows"]) == ("export", "done", 3)
    page = client.get(response.url).content.decode()
    assert "后台导出" in page and 'id="job-download"' in page
    download = client.get(reverse("job_download", args=[job_id]))
    assert download.status_code == 200
    assert download["Content-Disposition"].startswith("attachment")
    rows = _rows(b"".join(download.streaming_content))
    assert sum("甲支部会议" in r for r in rows) == 3 and not any(SECRET in r for r in rows)
    # Another user: neither the page nor the file.
    client.force_login(world.secretary_b)
    assert client.get(response.url).status_code == 404
    assert client.get(reverse("job_download", args=[job_id])).status_code == 404


def test_the_rectification_ledger_export_in_both_ways(client, world, settings):
    from taizhang.rectification import services

    for i in range(3):
        problem = services.create_problem(org=world.branch_a, source="审计监督", description=f"问题{i}")
        services.add_measure(problem, measure=f"措施{i}", kind="immediate", leader_name="李晓")
    client.force_login(world.secretary_a)
    settings.TAIZHANG_BACKGROUND_EXPORT_ROWS = 3
    direct = client.get(reverse("rectification:export_xlsx"))
    assert direct.status_code == 200
    settings.TAIZHANG_BACKGROUND_EXPORT_ROWS = 2
    response = client.get(reverse("rectification:export_xlsx"))
    assert response.status_code == 302
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert jobs.read_job(job_id)["result"].startswith("整改台账-")
    made = b"".join(client.get(reverse("job_download", args=[job_id])).streaming_content)
    assert _rows(made) == _rows(b"".join(direct.streaming_content))


def test_a_failed_export_job_says_why(client, world, settings, monkeypatch):
    from taizhang.core import export_jobs

    settings.TAIZHANG_BACKGROUND_EXPORT_ROWS = 0

    def broken(state, user):
        raise ValueError("磁盘已满")

    monkeypatch.setattr(export_jobs, "run_view", broken)
    client.force_login(world.secretary_a)
    response = client.get(reverse("records:meeting_export"))
    job_id = response.url.rstrip("/").rsplit("/", 1)[-1]
    assert jobs.read_job(job_id)["status"] == "failed"
    assert "磁盘已满" in client.get(response.url).content.decode()
    assert client.get(reverse("job_download", args=[job_id])).status_code == 404


def test_old_job_files_are_removed_daily(client, world, settings):
    settings.TAIZHANG_BACKGROUND_EXPORT_ROWS = 0
    settings.TAIZHANG_JOB_KEEP_DAYS = 7
    client.force_login(world.secretary_a)
    old, new = (client.get(reverse("records:meeting_export")).url.rstrip("/").rsplit("/", 1)[-1] for _ in range(2))
    (jobs.jobs_dir() / ("a" * 32)).mkdir()
    running = jobs.write_job({**jobs.read_job(old), "id": "a" * 32, "status": "running"})
    eight_days_ago = time.time() - 8 * 24 * 3600
    for job_id in (old, running["id"]):
        os.utime(jobs.jobs_dir() / job_id, (eight_days_ago, eight_days_ago))
    assert prune_job_files() == 1
    assert sorted(p.name for p in jobs.jobs_dir().iterdir()) == sorted([new, "a" * 32])
    assert prune_job_files(days=0) == 1  # the running one stays whatever its age


def test_old_report_jobs_and_their_files_are_removed_daily(world, settings):
    from django.core.files.base import ContentFile

    from taizhang.reports.models import ReportJob
    from taizhang.reports.tasks import prune_jobs

    settings.TAIZHANG_JOB_KEEP_DAYS = 7
    made = {}
    for name, status, age in (("old", "done", 8), ("new", "done", 1), ("failed", "failed", 30), ("queued", "queued", 30)):
        job = ReportJob.objects.create(org=world.branch_a, kind="problems", fmt="docx", requested_by=world.secretary_a,
                                       status=status, finished_at=timezone.now() - dt.timedelta(days=age))
        job.file.save(f"{name}.docx", ContentFile(b"x"))
        made[name] = job
    path = made["old"].file.path
    assert prune_jobs() == 2
    assert set(ReportJob.objects.values_list("status", flat=True)) == {"done", "queued"}
    assert not os.path.exists(path) and os.path.exists(made["new"].file.path)

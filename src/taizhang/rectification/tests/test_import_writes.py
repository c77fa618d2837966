"""The ledger import's write path (issue 13 §1): the workbook is read and checked outside any
transaction, everything is written in one short transaction of bulk statements (a constant
number of queries however long the ledger), with the audit trail and events of every row,
and writes of other users beside a large import do not fail."""

import datetime as dt
import os
import re
import subprocess
import sys
from pathlib import Path

import openpyxl
import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.core.models import Event
from taizhang.rectification import importer
from taizhang.rectification.exports import HEADERS
from taizhang.rectification.importer import import_ledger
from taizhang.rectification.models import Problem, ProgressUpdate, Rectification

REPO = Path(__file__).resolve().parents[4]


def ledger(path: Path, rows: int, start: int = 0) -> Path:
    """A ledger of ``rows`` measures, two a problem; every third with progress, every
    seventh closed."""
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["问题整改台账"])
    ws.append(HEADERS)
    for i in range(start, start + rows):
        ws.append([i // 2 + 1, "巡视巡察", f"问题第{i // 2}号：公文流转环节多", f"措施{i}：压缩流转环节",
                   "周宁", "办公室", "2024.1.15", "已推进" if i % 3 == 0 else "", "", "是" if i % 7 == 0 else "否"])
    wb.save(path)
    return path


def test_rows_audit_and_events_are_written_in_bulk(tree, office, tmp_path):
    org = tree["branches"][0]
    result = import_ledger(ledger(tmp_path / "l.xlsx", 14), org, user=office)
    assert result.ok, result.errors
    assert (result.problems_created, result.measures_created) == (7, 14)
    measures = list(Rectification.objects.filter(org=org).order_by("pk"))
    assert len(measures) == 14 and measures[0].effective_due.isoformat() == "2024-01-15"
    assert [m.status for m in measures].count("closed") == 2  # rows 0 and 7
    assert ProgressUpdate.objects.filter(rectification__org=org).count() == 5  # rows 0, 3, 6, 9, 12
    # One "create" audit entry a row, by the importing user, with the row's values.
    for model, count in ((Problem, 7), (Rectification, 14), (ProgressUpdate, 5)):
        entries = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(model))
        assert entries.count() == count
        assert set(entries.values_list("actor_id", "action")) == {(office.pk, LogEntry.Action.CREATE)}
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Rectification),
                                 object_id=measures[1].pk)
    assert entry.changes["measure"] == ["None", "措施1：压缩流转环节"]
    assert entry.changes["problem"] == ["None", str(measures[1].problem_id)]
    assert entry.changes["id"] == ["None", str(measures[1].pk)] and entry.object_pk == str(measures[1].pk)
    update = ProgressUpdate.objects.order_by("pk").first()
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(ProgressUpdate), object_id=update.pk)
    assert entry.changes["rectification"] == ["None", str(update.rectification_id)]
    problem = Problem.objects.order_by("pk").first()
    entry = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Problem), object_id=problem.pk)
    assert entry.changes["source"] == ["None", str(problem.source_id)]
    assert entry.changes["description"] == ["None", problem.description]
    # A status other than "open" is an "import" event of the measure's organization.
    events = Event.objects.filter(verb="import").order_by("object_id")
    assert [(e.object_id, e.org_id, e.to_state, e.actor_id) for e in events] == [
        (m.pk, org.pk, m.status, office.pk) for m in measures if m.status != "open"]


def test_query_count_does_not_grow_with_the_ledger(tree, tmp_path):
    # A first import (a progress update, a closed measure) creates the 问题来源 and fills the
    # content-type cache: not what is compared
    # (run alone, the test compared that first import with a warm one: 39 against 36 queries).
    assert import_ledger(ledger(tmp_path / "warm.xlsx", 2), tree["committee"]).ok
    counts = []
    for n, (org, start) in enumerate(((tree["branches"][0], 0), (tree["branches"][1], 100))):
        path = ledger(tmp_path / f"l{n}.xlsx", 10 if n == 0 else 60, start=start)
        with CaptureQueriesContext(connection) as ctx:
            assert import_ledger(path, org).ok
        counts.append(len(ctx))
    assert counts[0] == counts[1]
    assert counts[0] < 45


def test_reimport_updates_in_bulk_with_update_entries(tree, office, tmp_path):
    org = tree["branches"][0]
    assert import_ledger(ledger(tmp_path / "a.xlsx", 4), org).ok
    wb = openpyxl.load_workbook(ledger(tmp_path / "b.xlsx", 4))
    wb.active.cell(row=4, column=8).value = "已完成一半"  # new progress for 措施1
    wb.active.cell(row=4, column=6).value = "组织部"  # another department
    wb.save(tmp_path / "b.xlsx")
    result = import_ledger(tmp_path / "b.xlsx", org, user=office)
    assert (result.measures_created, result.measures_updated, result.measures_unchanged) == (0, 1, 3)
    rect = Rectification.objects.get(measure__startswith="措施1")
    assert (rect.department, rect.progress, rect.version) == ("组织部", "已完成一半", 2)
    update = LogEntry.objects.get(content_type=ContentType.objects.get_for_model(Rectification),
                                  object_id=rect.pk, action=LogEntry.Action.UPDATE)
    assert update.actor_id == office.pk
    assert update.changes["department"] == ["办公室", "组织部"]
    assert update.changes["progress"] == ["", "已完成一半"]


def test_dry_run_writes_nothing_and_takes_no_lock(tree, tmp_path):
    before = (Problem.objects.count(), LogEntry.objects.count())
    with CaptureQueriesContext(connection) as ctx:
        result = import_ledger(ledger(tmp_path / "l.xlsx", 6), tree["branches"][0], dry_run=True)
    assert (result.problems_created, result.measures_created) == (3, 6)
    assert (Problem.objects.count(), LogEntry.objects.count()) == before
    assert not [q for q in ctx.captured_queries if re.match(r"\s*(INSERT|UPDATE|DELETE)", q["sql"])]


@pytest.mark.django_db(transaction=True)
def test_workbook_is_read_outside_any_transaction(tree, tmp_path, monkeypatch):
    seen = []
    parse = importer.parse_ledger

    def spy(*args, **kwargs):
        seen.append(connection.in_atomic_block)
        return parse(*args, **kwargs)

    monkeypatch.setattr(importer, "parse_ledger", spy)
    assert import_ledger(ledger(tmp_path / "l.xlsx", 4), tree["branches"][0]).ok
    assert seen == [False]


def test_a_write_between_plan_and_write_is_planned_again(tree, tmp_path, monkeypatch):
    """Another user adds problem 序号 1 while the file is being checked: the import notices
    under the lock and numbers its problems after it."""
    org = tree["branches"][0]
    plan = importer._Writer.plan
    calls = []

    def plan_then_someone_writes(self):
        plan(self)
        calls.append(1)
        if len(calls) == 1:
            from taizhang.rectification import services

            services.create_problem(org=org, source="巡视巡察", description="同时录入的问题")

    monkeypatch.setattr(importer._Writer, "plan", plan_then_someone_writes)
    result = import_ledger(ledger(tmp_path / "l.xlsx", 4), org)
    assert result.ok and len(calls) == 2
    assert sorted(Problem.objects.filter(org=org).values_list("number", flat=True)) == [1, 2, 3]


@pytest.mark.skipif("postgres" in os.environ.get("DATABASE_URL", ""), reason="SQLite's write lock")
def test_writes_beside_a_large_import_do_not_fail(tmp_path):
    """benchmarks/bench_writes.py at a smaller scale: a 1,500-row import into a file SQLite
    database while 3 processes log in with wrong passwords and save problems: none fails."""
    env = {**os.environ, "TAIZHANG_VAR_DIR": str(tmp_path)}
    env.pop("DATABASE_URL", None)
    env.pop("PYTEST_VERSION", None)
    run = subprocess.run([sys.executable, str(REPO / "benchmarks" / "bench_writes.py"), "--rows", "1500",
                          "--writers", "3"], env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode == 0, run.stderr[-2000:]
    figures = dict(re.findall(r"^figure: (\S+) (\S+) ", run.stdout, re.M))
    assert figures["ledger_import_1k_concurrent_write_errors"] == "0", run.stdout
    writes = int(re.search(r"(\d+) writes", run.stdout).group(1))
    assert writes >= 9, run.stdout  # the writers did write during the import


def test_bulk_audit_entries_equal_auditlogs_own(tree, office, tmp_path):
    """The fast "create" changes of core.bulkwrite are what auditlog's receiver writes."""
    from auditlog.diff import model_instance_diff

    from taizhang.core.bulkwrite import _creation_changes, _creation_fields
    from taizhang.rectification import services

    problem = services.create_problem(org=tree["branches"][0], source="巡视巡察", description="问题")
    rect = services.add_measure(problem, measure="措施", deadline=dt.date(2026, 1, 3), leader_name="周宁")
    update = services.add_update(rect, done="已推进")
    for obj in (problem, rect, update):
        fields = _creation_fields(type(obj))
        assert fields, type(obj)
        ours = {k: list(v) for k, v in _creation_changes(obj, fields).items()}
        assert ours == {k: list(v) for k, v in model_instance_diff(None, obj).items()}


def test_insert_rows_gives_ids_after_the_highest(tree):
    from django.db import transaction

    from taizhang.core.bulkwrite import insert_rows
    from taizhang.rectification import services

    first = services.create_problem(org=tree["branches"][0], source="巡视巡察", description="先有的")
    Problem.objects.filter(pk=first.pk).delete()  # a deleted id is not given again
    with transaction.atomic():
        rows = insert_rows(Problem, [Problem(org=tree["branches"][0], number=n, source=first.source,
                                             description=f"问题{n}") for n in (1, 2, 3)])
    assert [p.pk for p in rows] == [first.pk + 1, first.pk + 2, first.pk + 3]
    assert list(Problem.objects.order_by("pk").values_list("pk", "number", "description")) == [
        (first.pk + n, n, f"问题{n}") for n in (1, 2, 3)]
    assert all(p.created_at is not None and not p._state.adding for p in rows)


def test_a_large_confirmed_import_runs_as_a_job_with_a_page(client, tree, office, secretary_a, settings, tmp_path):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    from taizhang.core import jobs

    settings.MEDIA_ROOT = tmp_path / "media"
    settings.TAIZHANG_BACKGROUND_IMPORT_ROWS = 10
    data = ledger(tmp_path / "台账.xlsx", 12).read_bytes()
    client.force_login(office)
    org = tree["branches"][0]
    preview = client.post(reverse("rectification:import"), {
        "file": SimpleUploadedFile("台账.xlsx", data), "org": org.pk})
    token = client.session["rectification_ledger_import"]["token"]
    assert client.session["rectification_ledger_import"]["rows"] == 12 and preview.status_code == 200
    response = client.post(reverse("rectification:import_confirm"), {"token": token, "confirm": ""})
    [state] = jobs.user_jobs(office)
    assert response.status_code == 302 and response.url == reverse("job_detail", args=[state["id"]])
    assert (state["status"], state["percent"], state["name"]) == ("done", 100, "台账.xlsx")  # inline under tests
    assert Rectification.objects.filter(org=org).count() == 12
    page = client.get(response.url).content.decode()
    assert "读取 12 行：问题 新增 6" in page and 'data-status="done"' in page
    assert 'http-equiv="refresh"' not in page  # refreshes only while running
    assert state["id"] in client.get(reverse("jobs")).content.decode()
    assert not list((tmp_path / "media" / "jobs" / state["id"]).glob("*.xlsx"))  # the file is dropped
    client.force_login(secretary_a)
    assert client.get(response.url).status_code == 404  # another user's job
    assert client.get(reverse("job_detail", args=["0" * 32])).status_code == 404


def test_a_running_job_shows_its_progress_and_refreshes(client, office, settings, tmp_path):
    from django.urls import reverse

    from taizhang.core import jobs

    settings.MEDIA_ROOT = tmp_path
    folder = jobs.jobs_dir() / ("a" * 32)
    folder.mkdir()
    jobs.write_job({"id": "a" * 32, "user_id": office.pk, "org_id": 1, "label": "导入整改台账", "name": "x.xlsx",
                    "status": "running", "percent": 60, "stage": "check", "summary": "", "errors": [],
                    "warnings": [], "next_url": "/", "created": "2026-12-07T10:00:00+00:00", "finished": ""})
    client.force_login(office)
    page = client.get(reverse("job_detail", args=["a" * 32])).content.decode()
    assert 'http-equiv="refresh"' in page and "width: 60%" in page and "检查数据" in page


def test_a_failing_job_keeps_every_error_and_writes_nothing(tree, office, settings, tmp_path):
    from taizhang.core import jobs

    settings.MEDIA_ROOT = tmp_path
    bad = ledger(tmp_path / "bad.xlsx", 4)
    wb = openpyxl.load_workbook(bad)
    wb.active.cell(row=4, column=7).value = "下个月吧"
    wb.save(bad)
    state = jobs.start_job(runner="taizhang.rectification.importer.import_ledger", source=bad, name="bad.xlsx",
                           org=tree["branches"][0], user=office, label="导入整改台账", next_url="/")
    assert state["status"] == "failed" and len(state["errors"]) == 1
    assert state["errors"][0].startswith("第 4 行［整改时限］")
    assert not Rectification.objects.exists()


def test_a_reimport_with_changes_makes_as_many_queries_at_two_sizes(tree, tmp_path):
    """Re-importing a ledger whose every third row has new progress (update path: changed
    measures, progress updates, update audit entries): the query count does not grow."""
    counts = []
    for n, (org, rows) in enumerate(((tree["branches"][0], 10), (tree["branches"][1], 60))):
        assert import_ledger(ledger(tmp_path / f"a{n}.xlsx", rows), org).ok
        wb = openpyxl.load_workbook(tmp_path / f"a{n}.xlsx")
        for row in range(3, rows + 3, 3):
            wb.active.cell(row=row, column=8).value = f"第{row}行新的进展"
        wb.save(tmp_path / f"b{n}.xlsx")
        with CaptureQueriesContext(connection) as ctx:
            result = import_ledger(tmp_path / f"b{n}.xlsx", org)
        assert result.ok and result.measures_updated == len(range(3, rows + 3, 3))
        counts.append(len(ctx))
    assert counts[0] == counts[1]


def test_planned_rows_are_the_instances_the_constructor_builds(tree, office):
    """importer._Builder gives what Model(**values) gives: same field values, same cached
    related objects, same state."""
    from taizhang.rectification.models import ProblemSource, RectificationStatus

    org = tree["branches"][0]
    source = ProblemSource.objects.first() or ProblemSource.objects.create(name="巡视巡察")
    new_source = ProblemSource(name="新来源")
    problem_values = dict(org=org, number=3, source=new_source, category="作风", description="问题",
                          remarks="", created_by=office)
    cases = [(Problem, problem_values), (Problem, {**problem_values, "source": source, "created_by": None})]
    problem = Problem(**problem_values)
    rect_values = dict(problem=problem, org_id=org.pk, position=2, measure="措施", target="", kind="deadline",
                       person="张三", deadline=dt.date(2026, 1, 3), status=RectificationStatus.CLOSED,
                       progress="已推进", progress_on=dt.date(2026, 1, 1), completion_note="",
                       closed_on=dt.date(2026, 1, 2), leader=None, leader_name="周宁",
                       department_org=org, department="办公室")
    cases += [(Rectification, rect_values),
              (ProgressUpdate, dict(rectification=Rectification(**rect_values), reported_on=dt.date(2026, 1, 1),
                                    done="已推进", author=office))]
    for model, values in cases:
        built, made = importer._Builder(model)(**values), model(**values)
        assert importer._Builder(model).fast
        assert type(built) is model
        state = {k: v for k, v in vars(built).items() if k != "_state"}
        assert state == {k: v for k, v in vars(made).items() if k != "_state"}
        assert [type(v) for v in state.values()] == [type(v) for k, v in vars(made).items() if k != "_state"]
        assert (built._state.adding, built._state.db) == (made._state.adding, made._state.db)
        assert built._state.fields_cache == made._state.fields_cache

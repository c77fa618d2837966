"""Two tabs editing the same object must not silently overwrite each other: the generic edit
view (``core.generic.ObjectEditView``) carries the object's ``updated_at`` as read when the
form was rendered (hidden ``_loaded_at``) and refuses a save whose object changed since,
keeping the user's input and writing nothing (record, attendance, motions, audit trail)."""

import datetime as dt
from html.parser import HTMLParser

import pytest
from auditlog.models import LogEntry
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, grant
from taizhang.records import services as record_services
from taizhang.records.models import Attendance, Meeting, MeetingKind, StudySession
from taizhang.records.tests.factories import meeting, world
from taizhang.rectification import services as rect_services
from taizhang.rectification.models import Problem

pytestmark = pytest.mark.django_db

STALE = "保存失败：该记录已被他人修改"


class _FormFields(HTMLParser):
    """What a browser would submit from ``<form id="object-form">``: checked radios and
    checkboxes, selected options (the first one when none is), text inputs, textareas."""

    def __init__(self):
        super().__init__()
        self.data: list[tuple[str, str]] = []
        self._in_form = False
        self._select: str | None = None
        self._select_options: list[tuple[str, bool]] = []
        self._select_multiple = False
        self._textarea: str | None = None
        self._text = ""

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        if tag == "form" and a.get("id") == "object-form":
            self._in_form = True
        if not self._in_form:
            return
        name = a.get("name")
        if tag == "input" and name and "disabled" not in a:
            kind = a.get("type", "text")
            if kind in ("radio", "checkbox"):
                if "checked" in a:
                    self.data.append((name, a.get("value", "on")))
            elif kind not in ("submit", "button", "file"):
                self.data.append((name, a.get("value", "")))
        elif tag == "select" and name and "disabled" not in a:
            self._select, self._select_options = name, []
            self._select_multiple = "multiple" in a
        elif tag == "option" and self._select is not None:
            self._select_options.append((a.get("value", ""), "selected" in a))
        elif tag == "textarea" and name and "disabled" not in a:
            self._textarea, self._text = name, ""

    def handle_endtag(self, tag):
        if tag == "form" and self._in_form:
            self._in_form = False
        elif tag == "select" and self._select is not None:
            chosen = [v for v, selected in self._select_options if selected]
            if not chosen and not self._select_multiple and self._select_options:
                chosen = [self._select_options[0][0]]
            self.data.extend((self._select, v) for v in chosen)
            self._select = None
        elif tag == "textarea" and self._textarea is not None:
            self.data.append((self._textarea, self._text.removeprefix("\n")))
            self._textarea = None

    def handle_data(self, data):
        if self._textarea is not None:
            self._text += data


class Tab:
    """One browser tab: GET the edit page, then POST what the page holds with changes."""

    def __init__(self, client: Client, url: str):
        self.client, self.url = client, url

    def open(self):
        response = self.client.get(self.url)
        assert response.status_code == 200
        parser = _FormFields()
        parser.feed(response.content.decode())
        self.fields = parser.data
        assert any(name == "_loaded_at" for name, _ in self.fields)
        return self

    def save(self, **changes):
        data: dict[str, list[str]] = {}
        for name, value in self.fields:
            data.setdefault(name, []).append(value)
        for name, value in changes.items():
            data[name] = [value]
        return self.client.post(self.url, data)


@pytest.fixture
def rworld():
    return world()


@pytest.fixture
def secretary(rworld):
    user = UserFactory(username="sec_stale")
    grant(user, rworld["branches"][0], "branch_secretary")
    client = Client()
    client.force_login(user)
    return client


def _assert_refused(response):
    assert response.status_code == 200
    page = response.content.decode()
    assert STALE in page and "您填写的内容仍保留在表单中" in page
    assert "最后" in page and "修改于" in page
    return page


def test_meeting_stale_tab_is_refused_and_keeps_a_changes(secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    m = meeting(branch, MeetingKind.BRANCH_COMMITTEE_MEETING, title="原主题", place="会议室",
                host=people[0], recorder=people[1])
    url = reverse("records:meeting_edit", kwargs={"pk": m.pk})
    tab_a, tab_b = Tab(secretary, url).open(), Tab(secretary, url).open()

    absentee = people[2]
    saved = tab_a.save(title="新主题", **{f"att-{absentee.pk}": "absent", f"reason-{absentee.pk}": "出差"})
    assert saved.status_code == 302, saved.content.decode()[:2000]
    m.refresh_from_db()
    assert m.title == "新主题"
    assert m.attendance.get(member=absentee).status == "absent"
    a_updated = m.updated_at
    log_count, attendance = LogEntry.objects.count(), list(
        Attendance.objects.filter(meeting=m).order_by("pk").values())

    refused = tab_b.save(place="第二会议室")
    page = _assert_refused(refused)
    assert "第二会议室" in page  # B's input is kept
    assert "最后由 sec_stale 修改于" in page  # the audit trail names who saved tab A
    m.refresh_from_db()
    assert (m.title, m.place, m.updated_at) == ("新主题", "会议室", a_updated)
    assert m.attendance.get(member=absentee).status == "absent"
    assert list(Attendance.objects.filter(meeting=m).order_by("pk").values()) == attendance
    assert LogEntry.objects.count() == log_count

    fresh = Tab(secretary, url).open().save(place="第二会议室")
    assert fresh.status_code == 302
    m.refresh_from_db()
    assert (m.title, m.place) == ("新主题", "第二会议室")
    assert m.attendance.get(member=absentee).status == "absent"


def test_study_session_stale_tab_is_refused(secretary, rworld):
    branch = rworld["branches"][0]
    people = rworld["members"][branch.code]
    session = record_services.create_study_session(branch, dt.date(2023, 10, 12), "原专题", leader=people[0], hours=2)
    url = reverse("records:study_edit", kwargs={"pk": session.pk})
    tab_a, tab_b = Tab(secretary, url).open(), Tab(secretary, url).open()

    assert tab_a.save(topic="新专题").status_code == 302
    log_count = LogEntry.objects.count()
    _assert_refused(tab_b.save(place="图书室"))
    session = StudySession.objects.get(pk=session.pk)
    assert session.topic == "新专题" and session.place != "图书室"
    assert LogEntry.objects.count() == log_count

    assert Tab(secretary, url).open().save(place="图书室").status_code == 302
    session.refresh_from_db()
    assert (session.topic, session.place) == ("新专题", "图书室")


def test_problem_stale_tab_is_refused(secretary, rworld):
    problem = rect_services.create_problem(org=rworld["branches"][0], source="基层调研",
                                           description="服务窗口午间无人值守，群众需等候")
    url = reverse("rectification:problem_edit", kwargs={"pk": problem.pk})
    tab_a, tab_b = Tab(secretary, url).open(), Tab(secretary, url).open()

    assert tab_a.save(description="服务窗口午间无人值守（已核实）").status_code == 302
    log_count = LogEntry.objects.count()
    _assert_refused(tab_b.save(remarks="B 的备注"))
    problem = Problem.objects.get(pk=problem.pk)
    assert problem.description == "服务窗口午间无人值守（已核实）" and problem.remarks != "B 的备注"
    assert LogEntry.objects.count() == log_count

    assert Tab(secretary, url).open().save(remarks="B 的备注").status_code == 302
    problem.refresh_from_db()
    assert (problem.description, problem.remarks) == ("服务窗口午间无人值守（已核实）", "B 的备注")


def test_a_form_with_errors_keeps_the_token_it_was_opened_with(secretary, rworld):
    """An invalid POST re-renders with the token of the page the user read, not a newer one,
    so fixing the error cannot overwrite a change made meanwhile."""
    branch = rworld["branches"][0]
    m = meeting(branch, title="原主题")
    url = reverse("records:meeting_edit", kwargs={"pk": m.pk})
    tab = Tab(secretary, url).open()
    token = dict(tab.fields)["_loaded_at"]
    response = tab.save(date="")
    assert response.status_code == 200
    assert f'name="_loaded_at" value="{token}"' in response.content.decode()


def test_create_forms_carry_no_token(secretary):
    page = secretary.get(reverse("records:meeting_add")).content.decode()
    assert "_loaded_at" not in page
    assert Meeting.objects.count() == 0


def test_measures_keep_their_own_version_check(secretary, rworld):
    """Rectification measures lock on their ``version`` field (rectification.services.StaleEdit);
    the generic token is not added to their form."""
    problem = rect_services.create_problem(org=rworld["branches"][0], source="基层调研",
                                           description="服务窗口午间无人值守，群众需等候")
    measure = rect_services.add_measure(problem, measure="推行午间轮岗值班", deadline=dt.date(2030, 6, 28))
    page = secretary.get(reverse("rectification:measure_edit", kwargs={"pk": measure.pk})).content.decode()
    assert 'name="version"' in page and "_loaded_at" not in page


@pytest.mark.skipif(connection.vendor != "postgresql",
                    reason="row locks are PostgreSQL's: SQLite lets one writer in at a time anyway")
def test_the_check_locks_the_row_until_the_save_commits(secretary, rworld):
    """The check reads ``updated_at`` with ``SELECT ... FOR UPDATE`` inside the save
    transaction, so a concurrent save waits instead of slipping in between check and write."""
    branch = rworld["branches"][0]
    m = meeting(branch, title="原主题")
    url = reverse("records:meeting_edit", kwargs={"pk": m.pk})
    tab = Tab(secretary, url).open()
    with CaptureQueriesContext(connection) as queries:
        assert tab.save(title="新主题").status_code == 302
    sql = [q["sql"] for q in queries.captured_queries]
    lock = next(i for i, q in enumerate(sql) if "FOR UPDATE" in q and Meeting._meta.db_table in q)
    write = next(i for i, q in enumerate(sql) if q.startswith("UPDATE") and Meeting._meta.db_table in q)
    assert lock < write

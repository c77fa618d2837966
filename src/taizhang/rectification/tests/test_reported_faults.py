"""Faults reported by a user: the ledger's 序号 (consistent with the export, continuing across
pages), editing a closed measure, and the styling of the measure page's forms."""

import datetime as dt
import re

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from taizhang.core.status import events_for
from taizhang.rectification import services
from taizhang.rectification.exports import ledger_rows
from taizhang.rectification.ledger import export_queryset
from taizhang.rectification.models import Rectification, RectificationStatus

PAST, FUTURE = dt.date(2020, 1, 10), dt.date(2040, 1, 10)


def _numbers(rows, key="ref"):
    """{problem id: set of numbers (``key``: "ref" the stored one, "n" the page's 序号)}."""
    seen = {}
    for row in rows:
        seen.setdefault(row["m"].problem_id, set()).add(row[key])
    return seen


def test_ledger_numbers_a_problem_once_like_the_export_and_keeps_overdue_first(client, tree, office):
    org = tree["branches"][0]
    # problems 1-2 not overdue; problem 3 has one overdue and one later measure; 4-5 overdue
    deadlines = [(FUTURE,), (FUTURE,), (FUTURE, PAST), (PAST,), (PAST,)]
    problems = []
    for i, dates in enumerate(deadlines):
        problem = services.create_problem(org=org, source="巡视巡察", description=f"问题{i}")
        for k, day in enumerate(dates):
            services.add_measure(problem, measure=f"措施{i}-{k}", deadline=day, leader_name="王五")
        problems.append(problem)
    client.force_login(office)
    rows = client.get(reverse("rectification:ledger")).context["rows"]

    expected = {pid: {n} for pid, (n, *_rest) in ledger_rows(export_queryset(Rectification.objects.all()))}
    assert _numbers(rows) == expected  # one number per problem, the export's
    # Issue 15 §2: the 序号 column runs 1..n down the page, one number per problem.
    assert [row["n"] for row in rows if row["span"]] == [1, 2, 3, 4, 5]
    assert all(len(ns) == 1 for ns in _numbers(rows, "n").values())
    # a problem's measures stay together; problems with an overdue measure come first
    order = [row["m"].problem_id for row in rows]
    assert order == sorted(order, key=lambda pid: (pid not in {problems[2].pk, problems[3].pk, problems[4].pk}, pid))
    assert [row["span"] for row in rows] == [2, 0, 1, 1, 1, 1]


def test_ledger_numbering_continues_on_the_next_page(client, tree, office):
    org = tree["branches"][0]
    for i in range(30):
        problem = services.create_problem(org=org, source="巡视巡察", description=f"问题{i}")
        for k in range(2):
            services.add_measure(problem, measure=f"措施{i}-{k}", deadline=FUTURE, leader_name="王五")
    client.force_login(office)
    url = reverse("rectification:ledger")
    first = client.get(url).context["rows"]
    second = client.get(url + "?page=2").context["rows"]
    assert len(first) == 50 and len(second) == 10
    assert sorted(n for row in first for n in [row["n"]] if row["span"]) == list(range(1, 26))
    assert [row["n"] for row in second if row["span"]] == [26, 27, 28, 29, 30]
    body = client.get(url + "?page=2").content.decode()
    assert re.search(r'<td class="row-head" rowspan="2">26</td>', body)


@pytest.fixture
def closed(problem):
    return services.add_measure(problem, measure="已完成的措施", deadline=dt.date(2030, 6, 28),
                                leader_name="王五", status=RectificationStatus.CLOSED)


def test_service_refuses_to_edit_a_closed_measure(closed, secretary_a):
    with pytest.raises(services.RectificationError, match="重新打开"):
        services.update_measure(closed, secretary_a, version=closed.version, person="某人")
    closed.refresh_from_db()
    assert closed.person == ""


def test_edit_page_refuses_a_closed_measure(client, closed, secretary_a):
    client.force_login(secretary_a)
    url = reverse("rectification:measure_edit", args=[closed.pk])
    detail = client.get(closed.get_absolute_url()).content.decode()
    assert 'id="edit-measure"' not in detail
    response = client.get(url, follow=True)
    assert response.redirect_chain and "请先重新打开" in response.content.decode()
    assert "理由" in response.content.decode()
    data = {"measure": "改了", "kind": "deadline", "leader_name": "王五", "person": "我",
            "version": closed.version, "target": "", "milestone": "", "department": ""}
    response = client.post(url, data, follow=True)
    assert "请先重新打开" in response.content.decode()
    closed.refresh_from_db()
    assert (closed.measure, closed.person) == ("已完成的措施", "")
    assert not [e for e in events_for(closed) if e.verb != "import"]


def test_api_refuses_to_patch_a_closed_measure(closed, secretary_a):
    api = APIClient()
    api.force_authenticate(secretary_a)
    response = api.patch(f"/api/rectifications/{closed.pk}/", {"person": "甲", "version": closed.version})
    assert response.status_code == 409
    assert "请先重新打开" in response.data["detail"]
    closed.refresh_from_db()
    assert closed.person == ""


def test_measure_page_forms_are_styled(client, measure, secretary_a):
    client.force_login(secretary_a)
    body = client.get(measure.get_absolute_url()).content.decode()
    for form_id in ("update-form", "extension-form", "complete-form", "transition-form"):
        form = re.search(rf'<form[^>]*id="{form_id}".*?</form>', body, re.S)
        if form is None:
            continue
        html = form.group(0)
        for tag in re.findall(r"<(?:textarea|select)\b[^>]*>|<input\b[^>]*>", html):
            if 'type="hidden"' in tag:
                continue
            css = re.search(r'class="([^"]*)"', tag)
            assert css, f"unstyled input in #{form_id}: {tag}"
            assert {"form-control", "form-select", "form-check-input"} & set(css.group(1).split()), tag
        for button in re.findall(r"<button\b[^>]*>", html):
            assert re.search(r'class="[^"]*\bbtn\b', button), button
    assert 'id="update-form"' in body and 'id="extension-form"' in body


def test_ledger_serial_runs_down_the_page_when_organizations_interleave(client, tree, office):
    """Issue 15 §2: problems of two branches, interleaved by the overdue rule, were numbered
    1,1,2,… (each its own list's number); the page's 序号 now runs 1..n, and each problem
    names its own number on its organization's list."""
    a, b = tree["branches"][:2]
    for org, day in ((a, PAST), (b, PAST), (a, FUTURE), (b, FUTURE), (b, FUTURE)):
        problem = services.create_problem(org=org, source="巡视巡察", description=f"{org.name}问题")
        services.add_measure(problem, measure="措施", deadline=day, leader_name="王五")
    client.force_login(office)
    response = client.get(reverse("rectification:ledger"))
    rows = response.context["rows"]
    assert [row["n"] for row in rows] == [1, 2, 3, 4, 5]
    assert sorted(row["ref"] for row in rows) == [1, 1, 2, 2, 3]
    body = response.content.decode()
    assert re.findall(r'<td class="row-head" rowspan="1">(\d+)</td>', body) == ["1", "2", "3", "4", "5"]
    assert f"{b.name}问题清单第 3 号" in body

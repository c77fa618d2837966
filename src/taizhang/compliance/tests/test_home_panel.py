"""The home page's "this month still needs" panel at scale (issue 14): the user's own
branches only, one screen of items with a link to the rest, no evaluation of a committee's
whole subtree."""

import datetime as dt

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext

from taizhang.compliance import periods as P
from taizhang.compliance.templatetags.compliance import compliance_month_needs
from taizhang.orgs.tests.factories import UserFactory, grant

from .helpers import branch

pytestmark = pytest.mark.django_db

PANEL = Template("{% load compliance %}{% compliance_month_needs %}")


def render(rf, user, **kwargs):
    request = rf.get("/")
    request.user = user
    return PANEL.render(Context({"request": request}))


def test_committee_role_links_to_the_overview_without_evaluating_branches(rf, sample, time_machine):
    time_machine.move_to(dt.datetime(2023, 11, 27, 9, 0, tzinfo=P.SHANGHAI), tick=False)
    user = UserFactory(username="office-home")
    grant(user, sample["committee"], "committee_staff")
    with CaptureQueriesContext(connection) as log:
        html = render(rf, user)
    assert "2023年11月还需完成" in html
    assert f"/compliance/?org={sample['committee'].pk}" in html
    assert "month-need\"" not in html  # no branch's items listed under the committee
    assert not any("records_meeting" in q["sql"] for q in log.captured_queries)


def test_branch_items_are_limited_to_one_screen_with_a_link_to_the_rest(rf, sample, time_machine):
    time_machine.move_to(dt.datetime(2023, 11, 27, 9, 0, tzinfo=P.SHANGHAI), tick=False)
    zb03 = sample["branches"]["ZB03"]
    user = UserFactory(username="sec3-home")
    grant(user, zb03, "branch_secretary")
    request = rf.get("/")
    request.user = user
    full = compliance_month_needs(Context({"request": request}), items=100)["entries"][0]
    assert full["more"] == 0 and len(full["items"]) >= 1
    short = compliance_month_needs(Context({"request": request}), items=1)["entries"][0]
    assert len(short["items"]) == 1 and short["more"] == len(full["items"]) - 1
    if short["more"]:
        html = render(rf, user)
        assert html.count('class="d-flex align-items-center py-1 month-need"') == min(len(full["items"]), 10)


def test_panel_queries_do_not_grow_with_branches(rf, sample, time_machine):
    time_machine.move_to(dt.datetime(2023, 11, 27, 9, 0, tzinfo=P.SHANGHAI), tick=False)
    user = UserFactory(username="office-home2")
    grant(user, sample["committee"], "committee_staff")
    grant(user, sample["branches"]["ZB03"], "branch_secretary")
    render(rf, user)  # settings read once per process
    with CaptureQueriesContext(connection) as small:
        render(rf, user)
    for n in range(5):
        branch(sample["committee"], code=f"ZBX{n}")
    with CaptureQueriesContext(connection) as large:
        render(rf, user)
    assert len(large) == len(small)

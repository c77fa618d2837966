"""The project's table template (``core/includes/table.html``, rows rendered in Python by
``core.tables.render_rows``; issue 14) gives the same HTML as django-tables2's bootstrap5
template it replaced, on every registered list and the member roster: cells, links, choice
labels, dates, escaping, the empty text."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from taizhang.core.sources import sources
from taizhang.core.testing import build_sample, build_world
from taizhang.orgs.tests.factories import MemberFactory

pytestmark = pytest.mark.django_db

ORIGINAL = "django_tables2/bootstrap5.html"
HOSTILE = "甲<b>样本</b>&amp;\"'"  # escaped the same way, or the test fails


def _tbody(html: str) -> str:
    start, end = html.index("<tbody"), html.index("</tbody>")
    return re.sub(r">\s+<", "><", re.sub(r"\s+", " ", html[start:end])).strip()


def _both(client, url, table_class, monkeypatch) -> tuple[str, str]:
    ours = client.get(url)
    assert ours.status_code == 200, url
    monkeypatch.setattr(table_class._meta, "template_name", ORIGINAL)
    theirs = client.get(url)
    monkeypatch.undo()
    return _tbody(ours.content.decode()), _tbody(theirs.content.decode())


def test_every_list_renders_the_rows_django_tables2_rendered(client, monkeypatch):
    world = build_world()
    client.force_login(world.office)
    listed = [s for s in sources() if s.url_name("list") and s.part("table") is not None]
    assert len(listed) >= 15
    compared = 0
    for source in listed:
        table_class = source.part("table")
        url = reverse(source.url_name("list"))
        empty_ours, empty_theirs = _both(client, url, table_class, monkeypatch)
        assert empty_ours == empty_theirs, source.code
        for org in (world.branch_a, world.branch_b):
            build_sample(source, org, MemberFactory(org=org), HOSTILE)
        ours, theirs = _both(client, url, table_class, monkeypatch)
        assert ours == theirs, source.code
        assert ours.count("<tr") >= 2, (source.code, ours)  # the rows really are there
        assert "<b>样本" not in ours, source.code  # text is escaped
        compared += 1
    assert compared == len(listed)


def test_the_member_roster_renders_the_same_rows(client, monkeypatch):
    from taizhang.orgs.tables import MemberTable

    world = build_world()
    client.force_login(world.office)
    MemberFactory(org=world.branch_a, name=HOSTILE)
    ours, theirs = _both(client, reverse("orgs:member_list"), MemberTable, monkeypatch)
    assert ours == theirs
    assert "&lt;b&gt;样本" in ours

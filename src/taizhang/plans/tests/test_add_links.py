"""Issue 15 §2: every 登记 link from a task opens the add page with the task's record kind,
its organization and a date inside the task's period (not today, not 党课 for 微党课)."""

import datetime as dt
import re
from html import unescape
from urllib.parse import parse_qs, urlsplit

import pytest
from django.urls import resolve

from taizhang.core import sources
from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, EvidenceRule
from taizhang.plans.views_work import entry_day

D = dt.date


@pytest.fixture
def campaign(tree, seed_file):
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    return campaign


def test_entry_day_stays_inside_the_period():
    october = (D(2023, 10, 1), D(2023, 10, 31))
    window = (D(2023, 9, 1), D(2024, 1, 31))
    assert entry_day(october, window, today=D(2026, 12, 7)) == D(2023, 10, 31)
    assert entry_day(october, window, today=D(2023, 10, 12)) == D(2023, 10, 12)
    assert entry_day(october, window, today=D(2023, 9, 2)) == D(2023, 10, 1)
    assert entry_day(None, window, due=D(2023, 11, 30), today=D(2026, 12, 7)) == D(2023, 11, 30)


def _links(html: str) -> list[tuple[str, str]]:
    return [(unescape(label), unescape(href)) for href, label in
            re.findall(r'<a class="btn btn-sm btn-(?:outline-primary|link p-0)" href="([^"]+)">登记([^<]+)</a>', html)]


def test_every_add_link_of_every_task_presets_kind_org_and_date(client, campaign, tree, secretary_a):
    """Walk every assignment of the first branch: each 登记 link's page opens (200) with the
    rule's kind filter, the branch and a date inside the period of the row it sits on."""
    branch = tree["branches"][0]
    client.force_login(secretary_a)
    rules = EvidenceRule.objects.filter(item__plan=campaign.plan)
    assignments = Assignment.objects.filter(item__rules__in=rules, org=branch).distinct()
    seen_kinds = set()
    checked = 0
    for assignment in assignments:
        page = client.get(assignment.get_absolute_url())
        assert page.status_code == 200
        periods = [(t.period or t.campaign_window) for t in page.context["targets"]]
        for label, href in _links(page.content.decode()):
            code = next(r.record_kind for r in assignment.item.rules.all()
                        if sources.evidence_label(r.record_kind) == label)
            source, ev = sources.resolve(code)
            parts = urlsplit(href)
            query = {k: v[0] for k, v in parse_qs(parts.query).items()}
            assert query[source.org_field] == str(branch.pk), (assignment, label, href)
            day = D.fromisoformat(query[source.date_field])
            assert any(start <= day <= end for start, end in periods), (assignment, label, day)
            form = client.get(href).context["form"]
            for field, value in ev.filters:
                if field in form.fields:
                    assert str(form[field].value()) == str(value), (assignment, label, field)
            assert str(form[source.org_field].value()) == str(branch.pk)
            assert str(form[source.date_field].value()) == day.isoformat()
            seen_kinds.add(code)
            checked += 1
    assert checked > 20
    assert "micro_lecture" in seen_kinds


def test_micro_lecture_link_opens_the_micro_lecture_form(client, campaign, tree, secretary_a):
    branch = tree["branches"][0]
    rule = EvidenceRule.objects.filter(item__plan=campaign.plan, record_kind="micro_lecture").first()
    assert rule is not None
    assignment = Assignment.objects.get(item=rule.item, org=branch)
    client.force_login(secretary_a)
    html = client.get(assignment.get_absolute_url()).content.decode()
    href = dict(_links(html))["微党课"]
    assert resolve(urlsplit(href).path).url_name == "lecture_add"
    form = client.get(href).context["form"]
    assert form["kind"].value() == "micro_lecture"


def test_add_links_return_to_the_task_after_saving(client, campaign, tree, secretary_a):
    """Every 登记 link of a task carries ``next`` = the task's page, and the add form keeps it."""
    branch = tree["branches"][0]
    rule = EvidenceRule.objects.filter(item__plan=campaign.plan, record_kind="micro_lecture").first()
    assignment = Assignment.objects.get(item=rule.item, org=branch)
    client.force_login(secretary_a)
    links = _links(client.get(assignment.get_absolute_url()).content.decode())
    assert links
    for _label, href in links:
        query = {k: v[0] for k, v in parse_qs(urlsplit(href).query).items()}
        assert query["next"] == assignment.get_absolute_url(), href
    form_page = client.get(dict(links)["微党课"]).content.decode()
    assert f'name="next" value="{assignment.get_absolute_url()}"' in form_page

"""The report pages' parameters are chosen, not typed (a new user met a numeric/code box):
organizations in scope by name and code, the brief's records by readable labels."""

import re

import pytest
from django.urls import reverse

from taizhang.core.testing import SECRET, build_world
from taizhang.orgs.models import Member
from taizhang.records.testing import sample_meeting


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def test_the_org_is_a_choice_of_organizations_in_scope_by_name(client, world):
    client.force_login(world.secretary_a)
    html = client.get(reverse("reports:report", args=["archive"])).content.decode()
    select = re.search(r'<select[^>]*name="org"[^>]*>(.*?)</select>', html, re.S)
    assert select, "the organization is a select"
    options = re.findall(r'<option value="([^"]*)"[^>]*>([^<]*)</option>', select.group(1))
    assert (world.branch_a.code, f"{world.branch_a.name}（{world.branch_a.code}）") in options
    assert world.branch_b.code not in {v for v, _l in options}  # out of scope: not offered
    # The chosen one works as before; one outside the scope is not found.
    response = client.get(reverse("reports:report", args=["archive"]), {"org": world.branch_a.code, "year": 2023})
    assert response.status_code == 200 and 'id="job-zip"' in response.content.decode()
    refused = client.get(reverse("reports:report", args=["archive"]), {"org": world.branch_b.code, "year": 2023})
    assert "找不到所选的" in refused.content.decode() and 'id="job-zip"' not in refused.content.decode()
    assert client.get(reverse("reports:download", args=["archive", "zip"]),
                      {"org": world.branch_b.code, "year": 2023}).status_code == 404


def test_the_briefs_records_are_chosen_by_readable_labels(client, world):
    meeting = sample_meeting(world.branch_a, Member.objects.create(org=world.branch_a, name="张明"), "九月支委会")
    client.force_login(world.secretary_a)
    html = client.get(reverse("reports:report", args=["brief"])).content.decode()
    select = re.search(r'<select name="records"[^>]*multiple[^>]*>(.*?)</select>', html, re.S)
    assert select, "the records are a multiple select"
    label = re.search(rf'<option value="meeting:{meeting.pk}"[^>]*>([^<]*)</option>', select.group(1)).group(1)
    assert world.branch_a.name in label and "九月支委会" in label
    assert SECRET not in select.group(1)  # branch B's records are not offered
    page = client.get(reverse("reports:report", args=["brief"]), {"records": [f"meeting:{meeting.pk}"]})
    assert "九月支委会" in page.content.decode()
    assert f'<option value="meeting:{meeting.pk}" selected' in page.content.decode()

"""A new record's form takes its starting values from the query string (one mechanism,
``core.generic.ObjectEditView.get_initial``); a leadership-team meeting without ``?org=``
opens on the organization of a team (``records.forms.default_org``)."""

import pytest
from django.urls import reverse

from taizhang.orgs.models import LeadershipTeam
from taizhang.orgs.tests.factories import UserFactory, grant

from ..models import MeetingKind
from .factories import meeting

pytestmark = pytest.mark.django_db


@pytest.fixture
def office(rworld, client):
    LeadershipTeam.objects.create(org=rworld["committee"], name="党委领导班子")
    user = UserFactory(username="office-initial")
    grant(user, rworld["committee"], "committee_staff")
    client.force_login(user)
    return user


def _initial(client, url):
    response = client.get(url)
    assert response.status_code == 200
    form = response.context["form"]
    return {name: form[name].value() for name in ("org", "kind")}


def test_query_string_presets_org_and_kind(client, office, rworld):
    b2 = rworld["branches"][1]
    url = reverse("records:meeting_add") + f"?org={b2.pk}&kind=theme_party_day"
    assert _initial(client, url) == {"org": str(b2.pk), "kind": "theme_party_day"}


def test_a_team_meeting_opens_on_the_team_organization(client, office, rworld):
    committee = rworld["committee"]
    url = reverse("records:meeting_add") + "?kind=committee_meeting"
    values = _initial(client, url)
    assert values == {"org": committee.pk, "kind": "committee_meeting"}
    # an ordinary kind opens on the first branch, as without a query string
    first = rworld["branches"][0].pk
    assert _initial(client, reverse("records:meeting_add") + "?kind=theme_party_day")["org"] == first
    assert _initial(client, reverse("records:meeting_add"))["org"] == first


def test_an_edit_page_shows_the_record_not_the_query_string(client, office, rworld):
    b1, b2 = rworld["branches"]
    record = meeting(b1, MeetingKind.BRANCH_GENERAL_MEETING)
    url = reverse("records:meeting_edit", kwargs={"pk": record.pk}) + f"?org={b2.pk}&kind=theme_party_day"
    response = client.get(url)
    form = response.context["form"]
    assert (form["org"].value(), form["kind"].value()) == (b1.pk, "branch_general_meeting")
    # the attendance checklist follows the query string (htmx swaps #attendance only)
    assert response.context["checklist"].org == b2

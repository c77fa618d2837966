import pytest
from rest_framework.test import APIClient

from taizhang.core.models import ApiToken
from taizhang.core.tokens import hash_key
from taizhang.orgs.tests.factories import UserFactory, build_tree, grant
from taizhang.plans import services
from taizhang.plans.importer import parse_file


@pytest.fixture
def published(db, seed_file):
    tree = build_tree(branches=2, groups=0)
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    return tree, campaign


def test_token_auth_and_scoped_assignments(published):
    tree, campaign = published
    a, b = tree["branches"]
    user = UserFactory(username="api_a", password="pw-123456!")
    grant(user, a, "branch_secretary")
    client = APIClient()
    assert client.get("/api/assignments/").status_code in (401, 403)
    token = client.post("/api/token/", {"username": "api_a", "password": "pw-123456!"}).data["token"]
    assert ApiToken.objects.get(user=user).key_hash == hash_key(token)
    client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    rows = client.get("/api/assignments/?page_size=500").data
    orgs = {row["org"] for row in rows["results"]}
    assert orgs == {a.pk}
    other = b.assignments.first()
    assert client.get(f"/api/assignments/{other.pk}/").status_code == 404
    occ = client.get("/api/occurrences/").data
    assert occ["count"] == 10 and {row["org"] for row in occ["results"]} == {a.pk}
    # The committee's campaign and its task list are readable below it.
    assert client.get(f"/api/campaigns/{campaign.pk}/").status_code == 200
    assert client.get("/api/plan-items/").data["count"] == campaign.plan.items.count()


def test_schema_and_offline_docs(client, published):
    tree, _ = published
    user = UserFactory()
    grant(user, tree["committee"], "inspector")
    client.force_login(user)
    schema = client.get("/api/schema/")
    assert schema.status_code == 200 and b"/api/assignments/" in schema.content
    docs = client.get("/api/docs/").content.decode()
    assert "swagger-ui" in docs and "//cdn" not in docs and "https://" not in docs


def test_a_404_of_the_api_is_in_the_users_language(db):
    """Issue 15 §2: DRF answered "No Meeting matches the given query." on a Chinese system."""
    tree = build_tree(branches=1, groups=0)
    user = UserFactory(username="api_404", password="pw-123456!")
    grant(user, tree["branches"][0], "branch_secretary")
    client = APIClient()
    client.force_authenticate(user)
    response = client.get("/api/meetings/999999/")
    assert response.status_code == 404
    assert response.json() == {"detail": "未找到该记录，或您无权查看。"}
    english = client.get("/api/meetings/999999/", HTTP_ACCEPT_LANGUAGE="en")
    assert english.status_code == 404, english.json()
    assert english.json()["detail"].isascii(), english.json()

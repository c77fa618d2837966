"""``/health/``: JSON status of database, storage and job queue; anonymous; no data."""

import json
from unittest import mock

import pytest

pytestmark = pytest.mark.django_db


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_health_json_names_each_check_ok(client):
    response = client.get("/health/?format=json")
    assert response.status_code == 200
    body = json.loads(response.content)
    assert body == {
        "Database(alias='default')": "OK",
        "Storage(alias='default')": "OK",
        "JobQueue()": "OK",
    }
    assert "no-cache" in response["Cache-Control"]


def test_health_accept_header_json(client):
    response = client.get("/health/", HTTP_ACCEPT="application/json")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"


def test_health_html_anonymous_without_user_data(client, django_user_model):
    django_user_model.objects.create_user("zhang_secret_user", password="x" * 12)
    response = client.get("/health/")
    assert response.status_code == 200
    assert b"zhang_secret_user" not in response.content


def test_health_reports_a_down_job_queue_as_500(client):
    from huey.contrib.djhuey import HUEY

    with mock.patch.object(HUEY, "pending_count", side_effect=OSError("disk /secret/path")):
        response = client.get("/health/?format=json")
    assert response.status_code == 500
    body = json.loads(response.content)
    assert body["JobQueue()"].startswith("Unavailable: ")
    assert "/secret/path" not in response.content.decode()
    assert body["Database(alias='default')"] == "OK"

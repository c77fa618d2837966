"""Notice pages, the header badge, the notices API and the robot pages."""

import pytest
from auditlog.models import LogEntry
from django.urls import reverse

from taizhang.notify.models import Notice, OrgWebhook


@pytest.fixture
def notices(people):
    mine = [Notice.objects.create(user=people["sec_a"], title=f"提醒{i}", url="/plans/") for i in range(3)]
    other = Notice.objects.create(user=people["sec_b"], title="乙的提醒")
    return mine, other


def test_notice_list_badge_and_mark_read(client, people, notices):
    mine, other = notices
    client.force_login(people["sec_a"])
    page = client.get(reverse("notify:notice_list")).content.decode()
    assert "提醒0" in page and "乙的提醒" not in page
    assert 'data-testid="unread-notices">3<' in page
    response = client.post(reverse("notify:notice_read", args=[mine[0].pk]), {"open": "1"})
    assert response.status_code == 302 and response.url == "/plans/"
    assert client.post(reverse("notify:notice_read", args=[other.pk])).status_code == 404
    client.post(reverse("notify:notice_read_all"))
    assert Notice.objects.filter(user=people["sec_a"], read_at__isnull=True).count() == 0
    assert Notice.objects.get(pk=other.pk).read_at is None
    assert 'data-testid="unread-notices"' not in client.get(reverse("home")).content.decode()


def test_open_redirect_is_refused(client, people, notices):
    mine, _other = notices
    client.force_login(people["sec_a"])
    response = client.post(reverse("notify:notice_read", args=[mine[1].pk]),
                           {"next": "https://evil.example.com/"})
    assert response.url == reverse("notify:notice_list")


def test_notices_api_is_own_only(client, people, notices):
    mine, other = notices
    client.force_login(people["sec_a"])
    data = client.get("/api/notices/").json()
    assert data["count"] == 3 and {n["title"] for n in data["results"]} == {"提醒0", "提醒1", "提醒2"}
    assert client.get(f"/api/notices/{other.pk}/").status_code == 404
    assert client.post(f"/api/notices/{other.pk}/read/").status_code == 404
    read = client.post(f"/api/notices/{mine[0].pk}/read/").json()
    assert read["is_read"] is True
    assert client.get("/api/notices/unread-count/").json() == {"count": 2}
    assert client.get("/api/notices/?unread=true").json()["count"] == 2
    assert client.post("/api/notices/read-all/").json() == {"count": 2}
    assert client.put(f"/api/notices/{mine[0].pk}/", {}).status_code == 405


def test_robots_are_managed_by_the_committee_office(client, people, tree):
    a = tree["branches"][0]
    client.force_login(people["sec_a"])
    assert client.get(reverse("notify:webhook_list")).status_code == 403
    client.force_login(people["office"])
    response = client.post(reverse("notify:webhook_add"), {
        "org": a.pk, "kind": "dingtalk", "name": "一支部群", "secret": "SECabc", "enabled": "on",
        "url": "https://oapi.dingtalk.com/robot/send?access_token=tok"})
    assert response.status_code == 302
    hook = OrgWebhook.objects.get()
    assert (hook.org, hook.kind, hook.secret) == (a, "dingtalk", "SECabc")
    entry = LogEntry.objects.get_for_object(hook).get()
    assert "secret" not in entry.changes_dict and "tok" not in str(entry.changes_dict)
    page = client.get(reverse("notify:webhook_list")).content.decode()
    assert "https://oapi.dingtalk.com/robot/send?…" in page and "access_token=tok" not in page
    bad = client.post(reverse("notify:webhook_edit", args=[hook.pk]), {
        "org": a.pk, "kind": "wecom", "url": "http://192.168.1.5/hook"})
    assert bad.status_code == 200 and "Webhook 地址必须指向" in bad.content.decode()
    client.post(reverse("notify:webhook_delete", args=[hook.pk]))
    assert not OrgWebhook.objects.exists()


def test_nav_has_the_notices_entry(client, people):
    client.force_login(people["sec_a"])
    page = client.get(reverse("notify:notice_list")).content.decode()
    assert 'href="/notify/">通知</a>' in page

"""iCal feeds: exact VEVENTs, only what the token's user may see, tokens that can be revoked."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from icalendar import Calendar

from taizhang.notify import services
from taizhang.plans.models import Responsible

from .helpers import assign, make_task, occurrence


@pytest.fixture
def deadlines(tree, people, campaign):
    a, b = tree["branches"]
    read = make_task(campaign, "三.1", "开展专题读书班")
    study = make_task(campaign, "三.2（3）", "每月集中学习", recurrence="FREQ=MONTHLY")
    study_a = assign(study, a, dt.date(2024, 1, 31))
    return {
        "read_a": assign(read, a, dt.date(2023, 11, 30)),
        "read_b": assign(read, b, dt.date(2023, 11, 29)),
        "done_a": assign(make_task(campaign, "三.5", "组织生活会"), a, dt.date(2023, 12, 29),
                         status="done"),
        "old_a": assign(make_task(campaign, "三.6", "很早的任务"), a, dt.date(2023, 8, 1)),
        "oct": occurrence(study_a, (2023, 10), dt.date(2023, 10, 31), status="returned"),
        "nov": occurrence(study_a, (2023, 11), dt.date(2023, 11, 30)),
        "sep": occurrence(study_a, (2023, 9), dt.date(2023, 9, 28), status="done"),
        "committee": assign(make_task(campaign, "一.1", "实施方案", responsible=Responsible.COMMITTEE),
                            tree["committee"], dt.date(2023, 10, 31)),
    }


def events(response):
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    cal = Calendar.from_ical(response.content)
    return [(str(e["uid"]), e.decoded("dtstart"), e.decoded("dtend"), str(e["summary"]))
            for e in cal.walk("VEVENT")]


@time_machine.travel(dt.datetime(2023, 10, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_user_feed_lists_the_users_open_deadlines(client, deadlines, people):
    token = services.profile_for(people["sec_a"]).feed_token
    response = client.get(reverse("notify:feed_user", args=[token]))
    d = deadlines
    assert events(response) == [
        (f"taizhang-occurrence-{d['oct'].pk}@127.0.0.1", dt.date(2023, 10, 31), dt.date(2023, 11, 1),
         "【已退回】三.2（3） 每月集中学习（2023年10月）（第1党支部）"),
        (f"taizhang-assignment-{d['read_a'].pk}@127.0.0.1", dt.date(2023, 11, 30), dt.date(2023, 12, 1),
         "三.1 开展专题读书班（第1党支部）"),
        (f"taizhang-occurrence-{d['nov'].pk}@127.0.0.1", dt.date(2023, 11, 30), dt.date(2023, 12, 1),
         "三.2（3） 每月集中学习（2023年11月）（第1党支部）"),
    ]
    text = response.content.decode()
    assert "DTSTART;VALUE=DATE:20231031" in text and "第2党支部" not in text
    assert "PRODID:-//Taizhang//台账 截止日期//ZH" in text and "VERSION:2.0" in text
    assert response["Referrer-Policy"] == "no-referrer"


@time_machine.travel(dt.datetime(2023, 10, 23, 9, 0, tzinfo=dt.timezone(dt.timedelta(hours=8))))
def test_org_feeds_need_visibility_of_the_org(client, deadlines, people, tree):
    a, b = tree["branches"]
    token_a = services.profile_for(people["sec_a"]).feed_token
    assert client.get(reverse("notify:feed_org", args=[token_a, b.pk])).status_code == 404
    assert len(events(client.get(reverse("notify:feed_org", args=[token_a, a.pk])))) == 3
    office = services.profile_for(people["office"]).feed_token
    org_b = events(client.get(reverse("notify:feed_org", args=[office, b.pk])))
    assert [(e[1], e[3]) for e in org_b] == [(dt.date(2023, 11, 29), "三.1 开展专题读书班（第2党支部）")]
    own = events(client.get(reverse("notify:feed_user", args=[office])))
    assert [e[3] for e in own] == ["一.1 实施方案（测试党委）"]  # the committee's own work


def test_tokens_are_secret_and_revocable(client, deadlines, people):
    token_a = services.profile_for(people["sec_a"]).feed_token
    token_b = services.profile_for(people["sec_b"]).feed_token
    assert client.get(reverse("notify:feed_user", args=["not-a-token"])).status_code == 404
    client.force_login(people["sec_a"])  # signed in as A, presenting B's token
    assert client.get(reverse("notify:feed_user", args=[token_b])).status_code == 403
    client.logout()
    services.regenerate_feed_token(people["sec_a"])
    assert client.get(reverse("notify:feed_user", args=[token_a])).status_code == 404
    people["sec_b"].is_active = False
    people["sec_b"].save()
    assert client.get(reverse("notify:feed_user", args=[token_b])).status_code == 404


def test_settings_page_shows_and_regenerates_the_addresses(client, people, tree):
    client.force_login(people["sec_a"])
    token = services.profile_for(people["sec_a"]).feed_token
    page = client.get(reverse("notify:settings")).content.decode()
    assert f"http://127.0.0.1:8000/notify/feed/{token}.ics" in page
    assert f"/notify/feed/{token}/org/{tree['branches'][0].pk}.ics" in page
    assert f"/org/{tree['branches'][1].pk}.ics" not in page
    client.post(reverse("notify:settings"), {"action": "regenerate"})
    assert services.profile_for(people["sec_a"]).feed_token != token
    client.post(reverse("notify:settings"), {"action": "email"})  # unchecked → off
    assert services.profile_for(people["sec_a"]).email_enabled is False

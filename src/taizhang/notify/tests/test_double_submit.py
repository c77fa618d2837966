"""A replayed POST of a notify form (double click, browser resubmit) sends nothing twice: the
urging and notice pages carry the one-time ``form_token`` the record forms use
(``core.badinput``); a replay is sent to what the first POST made (new-user pass, issue 12)."""

import datetime as dt
import re

from django.urls import reverse

from taizhang.notify.models import Announcement, Notice, Urging

from .helpers import assign, make_task


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def test_replayed_urge_makes_one_urging_and_one_notice(client, people, campaign, tree):
    late = assign(make_task(campaign, "三.1", "专题学习"), tree["branches"][0], dt.date(2023, 11, 10))
    client.force_login(people["office"])
    url = reverse("notify:urge", args=["assignment", late.pk])
    token = _token(client.get(url).content.decode())
    first = client.post(url, {"message": "请尽快完成", "form_token": token})
    sent = Urging.objects.get()
    assert first.url == sent.get_absolute_url()
    replay = client.post(url, {"message": "请尽快完成", "form_token": token}, follow=True)
    assert replay.redirect_chain == [(sent.get_absolute_url(), 302)]
    assert "该督办已发送过，未重复发送" in replay.content.decode()
    assert Urging.objects.count() == 1
    assert sorted(Notice.objects.values_list("user__username", flat=True)) == ["com_a", "sec_a"]
    # a fresh page is a fresh urging
    client.post(url, {"message": "再次督办", "form_token": _token(client.get(url).content.decode())})
    assert Urging.objects.count() == 2


def test_an_invalid_urge_keeps_its_token(client, people, campaign, tree):
    late = assign(make_task(campaign, "三.1", "专题学习"), tree["branches"][0], dt.date(2023, 11, 10))
    client.force_login(people["office"])
    url = reverse("notify:urge", args=["assignment", late.pk])
    page = client.post(url, {"message": "", "form_token": "kept-token"}).content.decode()
    assert _token(page) == "kept-token" and not Urging.objects.exists()


def test_replayed_announcement_sends_one_notice(client, people, tree):
    client.force_login(people["office"])
    url = reverse("notify:announcement_add")
    token = _token(client.get(url).content.decode())
    data = {"org": tree["committee"].pk, "recipients": [tree["branches"][0].pk],
            "audience": "branches", "title": "学习通知", "body": "正文", "form_token": token}
    client.post(url, data)
    notice = Announcement.objects.get()
    replay = client.post(url, data, follow=True)
    assert replay.redirect_chain == [(notice.get_absolute_url(), 302)]
    assert "该通知已发送过，未重复发送" in replay.content.decode()
    assert Announcement.objects.count() == 1
    assert sorted(Notice.objects.values_list("user__username", flat=True)) == ["com_a", "sec_a"]


def test_periodic_work_links_to_its_task_and_period_everywhere(client, people, campaign, tree):
    """The urge table's periodic rows had no link (a period had no page), and urging a
    period failed: a period's address is its task's page at the period's row."""
    from .helpers import occurrence

    monthly = assign(make_task(campaign, "三.2", "主题党日", recurrence="FREQ=MONTHLY"),
                     tree["branches"][0], dt.date(2024, 1, 31))
    period = occurrence(monthly, (2023, 11), dt.date(2023, 11, 22))
    link = f"{monthly.get_absolute_url()}#target-occurrence-{period.pk}"
    assert period.get_absolute_url() == link
    client.force_login(people["office"])
    import time_machine

    with time_machine.travel(dt.datetime(2023, 11, 20, 9), tick=False):
        board = client.get(reverse("notify:urge_board")).content.decode()
    assert f'<a href="{link}">三.2 主题党日（2023年11月）</a>' in board
    url = reverse("notify:urge", args=["occurrence", period.pk])
    assert f'href="{link}"' in client.get(url).content.decode()
    client.post(url, {"message": "请按时开展主题党日"})
    sent = Urging.objects.get()
    assert set(Notice.objects.values_list("url", flat=True)) == {link}
    assert f'href="{link}"' in client.get(sent.get_absolute_url()).content.decode()
    client.force_login(people["sec_a"])
    assert f'id="target-occurrence-{period.pk}"' in client.get(monthly.get_absolute_url()).content.decode()

"""Group robots: exact WeCom / DingTalk payloads received by a local stub, DingTalk signing,
failures logged and retried, never crashing the sender."""

import base64
import datetime as dt
import hashlib
import hmac
import logging

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from huey.contrib.djhuey import HUEY

from taizhang.notify import channels, services
from taizhang.notify.models import Channel, DeliveryStatus, OrgWebhook, Reminder

from .helpers import assign, make_task
from .stub import RobotStub

MON = dt.date(2023, 10, 23)
OK = (200, {"errcode": 0, "errmsg": "ok"})


@pytest.fixture
def stub(stub_hosts):
    with RobotStub() as server:
        yield server


@pytest.fixture
def two_due(tree, people, campaign):
    a = tree["branches"][0]
    return [assign(make_task(campaign, "三.1", "开展专题读书班"), a, dt.date(2023, 10, 26)),
            assign(make_task(campaign, "三.4", "检视整改问题"), a, dt.date(2023, 10, 20))]


def test_wecom_gets_one_markdown_digest(tree, two_due, stub, send):
    a, b = tree["branches"]
    OrgWebhook.objects.create(org=a, kind="wecom", url=f"{stub.base}/cgi-bin/webhook/send?key=K-A")
    OrgWebhook.objects.create(org=b, kind="wecom", url=f"{stub.base}/cgi-bin/webhook/send?key=K-B")
    OrgWebhook.objects.create(org=a, kind="wecom", url=f"{stub.base}/off?key=x", enabled=False)
    send(MON)
    assert len(stub.requests) == 1  # B has nothing due; the disabled robot gets nothing
    request = stub.requests[0]
    assert request["path"] == "/cgi-bin/webhook/send" and request["query"] == {"key": "K-A"}
    assert request["content_type"] == "application/json; charset=utf-8"
    soon, late = (f"https://tz.example.org{t.get_absolute_url()}" for t in two_due)
    assert request["json"] == {"msgtype": "markdown", "markdown": {"content": (
        "**【台账】2 条工作提醒**\n"
        f"- [【即将到期】第1党支部：三.1 开展专题读书班]({soon})\n"
        "  > “三.1 开展专题读书班”的完成时限是 2023-10-26（还有 3 个工作日），请及时完成并报送。\n"
        f"- [【已逾期】第1党支部：三.4 检视整改问题]({late})\n"
        "  > “三.4 检视整改问题”的完成时限 2023-10-20 已过，尚未报送，请抓紧完成。")}}
    assert Reminder.objects.filter(channel=Channel.WEBHOOK, status=DeliveryStatus.SENT).count() == 2

    send(MON)  # sent once
    assert len(stub.requests) == 1


def test_dingtalk_signed_markdown(tree, two_due, stub, send, monkeypatch):
    a = tree["branches"][0]
    monkeypatch.setattr(channels.time, "time", lambda: 1698019200.123)
    secret = "SEC0123456789abcdef"
    OrgWebhook.objects.create(org=a, kind="dingtalk", secret=secret,
                              url=f"{stub.base}/robot/send?access_token=T-A")
    send(MON, kinds=["due_soon"])
    request = stub.requests[0]
    timestamp = "1698019200123"
    expected = base64.b64encode(hmac.new(secret.encode(), f"{timestamp}\n{secret}".encode(),
                                         hashlib.sha256).digest()).decode()
    assert request["path"] == "/robot/send"
    assert request["query"] == {"access_token": "T-A", "timestamp": timestamp, "sign": expected}
    link = f"https://tz.example.org{two_due[0].get_absolute_url()}"
    assert request["json"] == {"msgtype": "markdown", "markdown": {
        "title": "【即将到期】第1党支部：三.1 开展专题读书班",
        "text": ("#### 【即将到期】第1党支部：三.1 开展专题读书班\n"
                 f"- [【即将到期】第1党支部：三.1 开展专题读书班]({link})\n"
                 "  > “三.1 开展专题读书班”的完成时限是 2023-10-26（还有 3 个工作日），请及时完成并报送。")}}


def test_dingtalk_sign_matches_the_documented_algorithm():
    # the platform's documented steps: HMAC-SHA256(secret, f"{ts}\n{secret}") → base64 → urlencode
    url = channels.dingtalk_signed_url("https://oapi.dingtalk.com/robot/send?access_token=t",
                                       "this is secret", 1577262236757)
    assert url == ("https://oapi.dingtalk.com/robot/send?access_token=t&timestamp=1577262236757"
                   "&sign=" + __import__("urllib.parse").parse.quote_plus(
                       channels.dingtalk_sign("this is secret", 1577262236757)))
    assert channels.dingtalk_signed_url("https://x/robot?a=1", "", 1) == "https://x/robot?a=1"


def test_a_failing_robot_is_logged_retried_and_never_crashes_the_sender(
        tree, two_due, stub, send, caplog, settings):
    a = tree["branches"][0]
    hook = OrgWebhook.objects.create(org=a, kind="wecom", url=f"{stub.base}/send?key=K")
    stub.replies = [(500, {"error": "boom"}), (200, {"errcode": 93000, "errmsg": "invalid webhook url"})]
    HUEY.flush()
    with caplog.at_level(logging.WARNING, logger="taizhang.notify.services"):
        result = send(MON)  # no exception reaches the sender
    assert result.counts[("due_soon", "notice")] == 2  # notices and e-mail went out anyway
    rows = Reminder.objects.filter(channel=Channel.WEBHOOK).order_by("pk")
    assert [(r.status, r.attempts, r.error) for r in rows] == [("pending", 1, "HTTP 500")] * 2
    assert "webhook %d (wecom) failed: HTTP 500" % hook.pk in caplog.text
    scheduled = HUEY.scheduled()  # huey holds the retry, delayed by NOTIFY_RETRY_DELAY
    assert [t.name for t in scheduled] == ["notify.deliver_webhook"]
    assert scheduled[0].retries == settings.NOTIFY_MAX_ATTEMPTS - 2

    ids = [r.pk for r in rows]
    with pytest.raises(services.DeliveryFailed):  # the retry meets errcode 93000
        services.deliver_webhook(hook.pk, ids)
    assert Reminder.objects.get(pk=ids[0]).error == "errcode 93000: invalid webhook url"
    assert services.deliver_webhook(hook.pk, ids) == 2  # third attempt: accepted
    assert services.deliver_webhook(hook.pk, ids) == 0  # idempotent
    assert len(stub.requests) == 3
    assert [(r.status, r.attempts) for r in rows.all()] == [("sent", 3)] * 2
    HUEY.flush()


def test_after_the_last_attempt_rows_are_failed(tree, two_due, stub, send, settings):
    settings.NOTIFY_MAX_ATTEMPTS = 1
    a = tree["branches"][0]
    OrgWebhook.objects.create(org=a, kind="wecom", url=f"{stub.base}/send?key=K")
    stub.replies = [(503, {})]
    send(MON, kinds=["overdue"])
    row = Reminder.objects.get(channel=Channel.WEBHOOK)
    assert (row.status, row.attempts, row.error) == ("failed", 1, "HTTP 503")


def test_an_unreachable_robot_is_a_logged_failure(tree, two_due, stub_hosts, send):
    import socket

    with socket.socket() as s:  # a port nobody listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    OrgWebhook.objects.create(org=tree["branches"][0], kind="wecom",
                              url=f"http://127.0.0.1:{port}/send?key=K")
    send(MON, kinds=["overdue"])
    row = Reminder.objects.get(channel=Channel.WEBHOOK)
    assert row.status == "pending" and row.error.startswith("network error")


def test_long_digests_are_cut_to_the_platform_limit():
    lines = [f"- 提醒{i} " + "很长的说明" * 20 for i in range(100)]
    content = channels.wecom_payload("标题", lines)["markdown"]["content"]
    assert len(content.encode()) <= channels.WECOM_MAX_BYTES
    kept = content.count("\n- 提醒")
    assert content.endswith(f"……另有 {100 - kept} 条，请登录台账查看。")


def test_robot_addresses_are_limited_to_the_platform_hosts(tree, people):
    a = tree["branches"][0]
    with pytest.raises(ValidationError):
        services.save_webhook(people["office"], OrgWebhook(org=a, kind="wecom",
                                                           url="http://10.0.0.8/cgi-bin/webhook/send"))
    hook = services.save_webhook(people["office"], OrgWebhook(
        org=a, kind="wecom", secret="ignored",
        url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=abc"))
    assert hook.secret == ""  # signing is DingTalk's only
    with pytest.raises(PermissionDenied):  # a branch secretary does not "manage"
        services.save_webhook(people["sec_a"], OrgWebhook(
            org=a, kind="dingtalk", url="https://oapi.dingtalk.com/robot/send?access_token=x"))


def test_review_waiting_goes_to_the_committee_robot(tree, people, campaign, stub, send):
    from taizhang.core.status import apply_transition

    a = tree["branches"][0]
    OrgWebhook.objects.create(org=tree["committee"], kind="wecom", url=f"{stub.base}/c?key=C")
    OrgWebhook.objects.create(org=a, kind="wecom", url=f"{stub.base}/a?key=A")
    target = assign(make_task(campaign, "三.3", "开展调查研究"), a, dt.date(2023, 11, 30))
    apply_transition(target, "submit", people["sec_a"])
    send(MON, kinds=["review_waiting"])
    assert [r["query"]["key"] for r in stub.requests] == ["C"]
    assert stub.requests[0]["json"]["markdown"]["content"].startswith(
        "**【待审核】第1党支部：三.3 开展调查研究**")

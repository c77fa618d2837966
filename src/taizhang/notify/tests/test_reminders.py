"""Reminder kinds, recipients by role, and "each reminder is sent once"."""

import datetime as dt

import pytest
from django.core import mail
from django.core.management import call_command

from taizhang.core.status import apply_transition
from taizhang.notify import services
from taizhang.notify.models import Channel, DeliveryStatus, Notice, NotifyProfile, Reminder
from taizhang.notify.registry import REGISTRY, Message, reminder_kind
from taizhang.plans.models import CampaignStatus, Responsible

from .helpers import assign, make_campaign, make_task, occurrence

MON = dt.date(2023, 10, 23)  # a Monday, a working day


def notices_of(user):
    return sorted(Notice.objects.filter(user=user).values_list("title", flat=True))


@pytest.fixture
def work(tree, people, campaign):
    """Branch A: one task due Thu 26 Oct (3 working days from Mon 23), one due Fri 27 (4),
    one overdue since Fri 20, one done and overdue; branch B: one due Thu 26."""
    a, b = tree["branches"]
    soon = make_task(campaign, "三.1", "开展专题读书班")
    later = make_task(campaign, "三.3", "开展调查研究")
    late = make_task(campaign, "三.4", "检视整改问题")
    done = make_task(campaign, "三.5", "召开组织生活会")
    return {
        "a_soon": assign(soon, a, dt.date(2023, 10, 26)),
        "a_later": assign(later, a, dt.date(2023, 10, 27)),
        "a_late": assign(late, a, dt.date(2023, 10, 20)),
        "a_done": assign(done, a, dt.date(2023, 10, 20), status="done"),
        "b_soon": assign(soon, b, dt.date(2023, 10, 26)),
    }


def test_due_soon_and_overdue_go_to_the_branch_officers_once(work, people, send):
    result = send(MON)

    assert notices_of(people["sec_a"]) == notices_of(people["com_a"]) == [
        "【即将到期】第1党支部：三.1 开展专题读书班",
        "【已逾期】第1党支部：三.4 检视整改问题",
    ]
    assert notices_of(people["sec_b"]) == ["【即将到期】第2党支部：三.1 开展专题读书班"]
    assert notices_of(people["office"]) == []
    assert notices_of(people["member_a"]) == []  # plain members are not urged
    body = Notice.objects.get(user=people["sec_a"], title__startswith="【即将到期】").body
    assert body == "“三.1 开展专题读书班”的完成时限是 2023-10-26（还有 3 个工作日），请及时完成并报送。"
    # notices: 2 (sec_a) + 2 (com_a) + 1 (sec_b); e-mail: sec_a and sec_b (com_a has no address)
    assert dict(result.counts) == {("due_soon", "notice"): 3, ("due_soon", "email"): 2,
                                   ("overdue", "notice"): 2, ("overdue", "email"): 1}
    assert sorted((m.to[0], m.subject) for m in mail.outbox) == [
        ("sec_a@example.org", "【台账】2 条工作提醒"),
        ("sec_b@example.org", "【即将到期】第2党支部：三.1 开展专题读书班"),
    ]
    digest = next(m for m in mail.outbox if m.to == ["sec_a@example.org"])
    assert digest.body.splitlines()[:6] == [
        "· 【即将到期】第1党支部：三.1 开展专题读书班",
        "  “三.1 开展专题读书班”的完成时限是 2023-10-26（还有 3 个工作日），请及时完成并报送。",
        f"  http://127.0.0.1:8000{work['a_soon'].get_absolute_url()}",
        "· 【已逾期】第1党支部：三.4 检视整改问题",
        "  “三.4 检视整改问题”的完成时限 2023-10-20 已过，尚未报送，请抓紧完成。",
        f"  http://127.0.0.1:8000{work['a_late'].get_absolute_url()}",
    ]
    assert Reminder.objects.filter(status=DeliveryStatus.SENT).count() == 8

    again = send(MON)  # the rerun sends nothing new
    assert again.total == 0 and again.skipped_existing == 8
    assert Reminder.objects.count() == 8 and Notice.objects.count() == 5 and len(mail.outbox) == 2

    # Tuesday: only what became due meanwhile (三.3, due Friday, is now 3 working days away)
    next_day = send(MON + dt.timedelta(days=1))
    assert dict(next_day.counts) == {("due_soon", "notice"): 2, ("due_soon", "email"): 1}
    assert next_day.skipped_existing == 8
    assert Notice.objects.count() == 7 and len(mail.outbox) == 3


def test_a_moved_deadline_is_a_new_round(work, people, send):
    send(MON)
    work["a_soon"].due = dt.date(2023, 10, 25)
    work["a_soon"].save()
    result = send(MON)
    assert dict(result.counts) == {("due_soon", "notice"): 2, ("due_soon", "email"): 1}


def test_due_soon_counts_working_days_across_the_national_day_holiday(tree, people, campaign, send):
    a = tree["branches"][0]
    wed = dt.date(2023, 9, 27)  # then 28 Sep, the make-up days 7–8 Oct, 9 Oct Monday
    assign(make_task(campaign, "1", "甲"), a, dt.date(2023, 10, 8))  # 3 working days away
    assign(make_task(campaign, "2", "乙"), a, dt.date(2023, 10, 9))  # 4 working days away
    send(wed, kinds=["due_soon"])
    assert notices_of(people["sec_a"]) == ["【即将到期】第1党支部：1 甲"]


def test_occurrences_are_reminded_per_period_not_their_assignment(tree, people, campaign, send):
    a = tree["branches"][0]
    study = assign(make_task(campaign, "三.2（3）", "每月集中学习", recurrence="FREQ=MONTHLY"),
                   a, dt.date(2023, 10, 26))
    occurrence(study, (2023, 9), dt.date(2023, 9, 28), status="done")
    occurrence(study, (2023, 10), dt.date(2023, 10, 31))
    occurrence(study, (2023, 11), dt.date(2023, 11, 30))
    send(dt.date(2023, 10, 26), kinds=["due_soon", "overdue"])
    assert notices_of(people["sec_a"]) == ["【即将到期】第1党支部：三.2（3） 每月集中学习（2023年10月）"]


def test_committee_tasks_go_to_the_committee_office(tree, people, campaign, send):
    assign(make_task(campaign, "一.1", "制定实施方案", responsible=Responsible.COMMITTEE),
           tree["committee"], dt.date(2023, 10, 24))
    send(MON)
    assert notices_of(people["office"]) == ["【即将到期】测试党委：一.1 制定实施方案"]
    assert notices_of(people["sec_a"]) == []


def test_draft_and_closed_campaigns_are_not_reminded(tree, people, send):
    a = tree["branches"][0]
    for status in (CampaignStatus.DRAFT, CampaignStatus.CLOSED):
        campaign = make_campaign(tree["committee"], title=status, status=status)
        assign(make_task(campaign, "1", "任务"), a, dt.date(2023, 10, 24))
    assert send(MON).total == 0


def test_inactive_users_and_email_opt_out(work, people, send):
    people["com_a"].is_active = False
    people["com_a"].save()
    NotifyProfile.objects.create(user=people["sec_a"], email_enabled=False)
    send(MON)
    assert notices_of(people["com_a"]) == []
    assert len(notices_of(people["sec_a"])) == 2
    assert [m.to for m in mail.outbox] == [["sec_b@example.org"]]


def test_returned_is_sent_at_once_with_the_comment_and_once_per_return(
        work, people, django_capture_on_commit_callbacks, send):
    target = work["a_later"]
    apply_transition(target, "submit", people["sec_a"])
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(target, "return_for_revision", people["office"], comment="缺少会议记录")
    assert notices_of(people["sec_a"]) == ["【退回修改】第1党支部：三.3 开展调查研究"]
    notice = Notice.objects.get(user=people["sec_a"])
    assert notice.body == "“三.3 开展调查研究”被退回修改。审核意见：缺少会议记录"
    assert notice.url == target.get_absolute_url()
    assert [m.subject for m in mail.outbox] == ["【退回修改】第1党支部：三.3 开展调查研究"]

    assert send(MON, kinds=["returned"]).total == 0  # daily run: nothing new
    apply_transition(target, "submit", people["sec_a"])
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(target, "return_for_revision", people["office"], comment="仍不完整")
    assert Notice.objects.filter(user=people["sec_a"], body__endswith="仍不完整").count() == 1
    assert Reminder.objects.filter(kind="returned", channel=Channel.NOTICE).count() == 4


def test_review_waiting_goes_to_the_committee_office_once_per_submission(work, people, send):
    target = work["a_later"]
    apply_transition(target, "submit", people["sec_a"])
    send(MON, kinds=["review_waiting"])
    assert notices_of(people["office"]) == ["【待审核】第1党支部：三.3 开展调查研究"]
    assert notices_of(people["sec_a"]) == []
    assert send(MON, kinds=["review_waiting"]).total == 0
    apply_transition(target, "return_for_revision", people["office"], comment="补充")
    apply_transition(target, "submit", people["sec_a"])
    send(MON, kinds=["review_waiting"])
    assert Notice.objects.filter(user=people["office"]).count() == 2


def test_dry_run_writes_nothing_and_the_command_reports(work, people, capsys,
                                                       django_capture_on_commit_callbacks):
    call_command("send_reminders", "--dry-run", "--today", "2023-10-23")
    out = capsys.readouterr().out
    assert "2023-10-23: would send 8 new reminder(s)" in out
    assert "due_soon\temail\tsec_a\t【即将到期】第1党支部：三.1 开展专题读书班" in out
    assert Reminder.objects.count() == 0 and Notice.objects.count() == 0 and not mail.outbox

    with django_capture_on_commit_callbacks(execute=True):
        call_command("send_reminders", "--today", "2023-10-23")
    assert len(mail.outbox) == 2
    assert "sent 8 new reminder(s)" in capsys.readouterr().out
    call_command("send_reminders", "--today", "2023-10-23")
    assert "sent 0 new reminder(s); 8 already sent before" in capsys.readouterr().out


def test_unknown_kind_is_an_error(work):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="--kind：没有这种提醒：nonsense"):
        call_command("send_reminders", "--kind", "nonsense")


def test_a_new_kind_is_added_by_declaration(work, people, send):
    """What issue 5 does: declare a kind; the ledger, channels and sent-once come for free."""
    calls = []

    @reminder_kind("test_missing_record", "记录缺失")
    def missing(ctx):
        calls.append(ctx.today)
        branch = work["a_later"].org
        yield Message(target=work["a_later"], org=branch, recipients=ctx.roles.branch_officers(branch),
                      subject="【记录缺失】第1党支部：10月支委会", body="本月尚无支委会记录。",
                      url="/records/", key="2023-10")

    try:
        send(MON, kinds=["test_missing_record"])
        send(MON, kinds=["test_missing_record"])
    finally:
        del REGISTRY["test_missing_record"]
    assert calls == [MON, MON]
    assert notices_of(people["sec_a"]) == ["【记录缺失】第1党支部：10月支委会"]
    assert Reminder.objects.filter(kind="test_missing_record").count() == 3  # 2 notices + 1 mail


def test_a_kind_name_cannot_be_declared_twice():
    with pytest.raises(ValueError, match="declared twice"):
        reminder_kind("due_soon", "x")(lambda ctx: [])
    with pytest.raises(ValueError, match="unknown reminder channel"):
        reminder_kind("x_kind", "x", channels=("sms",))


def test_rows_written_by_a_concurrent_run_are_not_sent_again(work, people, send):
    planned = services.plan_reminders(MON)
    first = planned[0]
    Reminder.objects.create(kind=first.kind, content_type_id=first.content_type_id,
                            object_id=first.object_id, key=first.key, channel=first.channel,
                            recipient_key=first.recipient_key, user=first.user,
                            org_id=first.org_id, subject=first.subject)
    result = send(MON)
    assert result.total == 7 and result.skipped_existing == 1
    assert Reminder.objects.count() == 8

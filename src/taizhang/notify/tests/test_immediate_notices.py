"""In-app notices of the immediate kinds are written at commit time, without a worker:
the huey queue is not run here (non-immediate mode), yet the secretary sees the notice."""

import pytest
from huey.contrib.djhuey import HUEY
from huey.storage import MemoryStorage

from taizhang.notify.models import Channel, Notice, Reminder
from taizhang.plans import review as plans_review

from .helpers import assign, make_task


@pytest.fixture
def queued_huey():
    """HUEY in non-immediate mode on an in-memory queue: enqueued tasks wait, never run."""
    saved = (HUEY._immediate, HUEY.storage)
    HUEY._immediate = False
    HUEY.storage = MemoryStorage(HUEY.name)
    try:
        yield HUEY
    finally:
        HUEY._immediate, HUEY.storage = saved


@pytest.fixture
def submitted(tree, people, campaign):
    import datetime as dt

    from taizhang.core.status import apply_transition

    target = assign(make_task(campaign, "三.3", "开展调查研究"), tree["branches"][0], dt.date(2099, 10, 27))
    apply_transition(target, "submit", people["sec_a"])
    return target


def test_return_creates_the_notice_at_commit_without_a_worker(
        submitted, people, queued_huey, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        plans_review.review(submitted, "return_for_revision", people["office"], comment="缺少会议记录")
    notices = Notice.objects.filter(user=people["sec_a"])
    assert notices.count() == 1
    assert notices.get().body.endswith("审核意见：缺少会议记录")
    # e-mail is left to the worker: queued, not sent
    assert queued_huey.pending_count() >= 1
    assert not Reminder.objects.filter(channel=Channel.EMAIL, status="sent").exists()

    # the same return event signalled again: no second notice (the Reminder ledger)
    from django.db.models.signals import post_save

    from taizhang.core.models import Event
    from taizhang.notify import services

    event = Event.objects.filter(to_state="returned").latest("pk")
    with django_capture_on_commit_callbacks(execute=True):
        post_save.send(Event, instance=event, created=True)
        services.send_immediate_notices(["returned"])
    assert Notice.objects.filter(user=people["sec_a"]).count() == 1
    assert Reminder.objects.filter(kind="returned", channel=Channel.NOTICE).count() == 2  # sec_a, com_a


def test_submission_notifies_the_committee_office_at_commit(
        tree, people, campaign, queued_huey, django_capture_on_commit_callbacks):
    import datetime as dt

    from taizhang.core.status import apply_transition

    target = assign(make_task(campaign, "三.4", "检视整改问题"), tree["branches"][0], dt.date(2099, 10, 27))
    with django_capture_on_commit_callbacks(execute=True):
        apply_transition(target, "submit", people["sec_a"])
    assert Notice.objects.filter(user=people["office"]).count() == 1
    with django_capture_on_commit_callbacks(execute=True):
        from taizhang.notify import services

        services.send_immediate_notices(["review_waiting"])
    assert Notice.objects.filter(user=people["office"]).count() == 1

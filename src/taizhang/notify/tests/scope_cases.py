"""Scoping-walk cases of the notify URLs and API (see taizhang.core.testing).

Branch B's secretary has a notice, a feed token and a robot of branch B; A's secretary must
reach none of them. A's own feed is PUBLIC in the walk (calendar apps fetch it without a
session, so the anonymous pass must not expect a login redirect); its content is checked in
``test_feeds.py``. A feed token is a credential: B's *current* token fetched without a
session rightly returns B's feed, and with A's session it is refused (403, tested in
``test_feeds.py``), which the walk's anonymous pass cannot express; the walk therefore
presents B's *revoked* token (regenerated), which must be 404 for everyone.
"""

from taizhang.core.testing import HIDDEN, LISTED, PUBLIC, SECRET, Case
from taizhang.notify import services
from taizhang.notify.models import Notice, OrgWebhook, Urging


def cases(world):
    notice_b = Notice.objects.create(user=world.secretary_b, title=f"{SECRET}提醒", body=SECRET)
    token_a = services.profile_for(world.secretary_a).feed_token
    token_b = services.profile_for(world.secretary_b).feed_token
    services.regenerate_feed_token(world.secretary_b)  # token_b is now a revoked token
    hook_b = OrgWebhook.objects.create(org=world.branch_b, kind="wecom", name=SECRET,
                                       url="https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=b")
    from django.contrib.contenttypes.models import ContentType

    from taizhang.notify.tests.helpers import assign, make_campaign, make_task

    campaign = make_campaign(world.committee)
    work_b = assign(make_task(campaign, "三.1", "学习"), world.branch_b, due=world_day())
    urging_b = Urging.objects.create(
        org=world.branch_b, content_type=ContentType.objects.get_for_model(work_b),
        object_id=work_b.pk, message=SECRET, sent_by=world.office)
    from taizhang.notify.models import Announcement

    notice_of_b = Announcement.objects.create(org=world.branch_b, title=SECRET, body=SECRET)
    return [
        Case("notify:announcement_list", expect=LISTED),
        Case("notify:announcement_add", post=True,
             data={"org": world.branch_b.pk, "title": "x", "body": "x", "audience": "branches"}),
        Case("notify:announcement_detail", {"pk": notice_of_b.pk}),
        Case("notify:announcement_file", {"pk": notice_of_b.pk, "file_pk": 1}),
        Case("notify:urge_board", expect=LISTED),
        Case("notify:urge", {"kind": "assignment", "pk": work_b.pk}, post=True,
             data={"message": "x"}),
        Case("notify:urge", {"kind": "measure", "pk": 999999}),
        Case("notify:urging_list", expect=LISTED),
        Case("notify:urging_detail", {"pk": urging_b.pk}),
        Case("notify:notice_list", expect=LISTED),
        Case("notify:notice_read", {"pk": notice_b.pk}, post=True),
        Case("notify:notice_read_all", expect=HIDDEN),  # POST only: GET is 405
        Case("notify:settings", expect=LISTED),
        Case("notify:webhook_list", expect=HIDDEN),  # a branch secretary manages no robot
        Case("notify:webhook_add", expect=HIDDEN, post=True,
             data={"org": world.branch_b.pk, "kind": "wecom",
                   "url": "https://qyapi.weixin.qq.com/cgi-bin/webhook/send?key=x"}),
        Case("notify:webhook_edit", {"pk": hook_b.pk}, post=True),
        Case("notify:webhook_delete", {"pk": hook_b.pk}, post=True),
        Case("notify:webhook_test", {"pk": hook_b.pk}, post=True),
        Case("notify:feed_user", {"token": token_a}, expect=PUBLIC),
        Case("notify:feed_user", {"token": token_b}),  # another user's (revoked) token
        Case("notify:feed_org", {"token": token_a, "org_id": world.branch_b.pk}),
        Case("notify:feed_org", {"token": token_b, "org_id": world.branch_b.pk}),
        Case("notify:feed_org", {"token": token_a, "org_id": world.branch_a.pk}, expect=PUBLIC),
        Case("notice-list", expect=LISTED),
        Case("notice-detail", {"pk": notice_b.pk}),
        Case("notice-read", {"pk": notice_b.pk}, post=True),
        Case("notice-read-all", expect=HIDDEN),  # POST only
        Case("notice-unread-count", expect=LISTED),
    ]


def world_day():
    import datetime as dt

    return dt.date(2023, 10, 31)

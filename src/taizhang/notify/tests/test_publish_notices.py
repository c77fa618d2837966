"""Publishing tells each organization whose tasks changed (issue 12 §3), after a
confirmation page that shows what will be sent."""

import datetime as dt

from django.urls import reverse

from taizhang.notify.models import Notice, Reminder
from taizhang.plans import publishing, services
from taizhang.plans.models import PlanItem
from taizhang.plans.tests.test_levels import plan_data


def test_publish_confirm_then_notices_to_changed_orgs_only(
        client, tree, people, django_capture_on_commit_callbacks):
    campaign = services.save_draft(plan_data(), tree["committee"])
    client.force_login(people["office"])
    url = reverse("plans:campaign_publish", args=[campaign.pk])
    page = client.get(url).content.decode()
    assert 'id="publish-confirm"' in page
    assert "任务下达：主题教育任务清单" in page
    assert "测试党委 发布了《主题教育任务清单》，贵组织共有任务 2 项，新增 2 项。" in page  # a branch
    assert not Reminder.objects.exists()  # the page sends nothing
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(url).status_code == 302
    titles = {(n.user.username, n.title, n.body) for n in Notice.objects.all()}
    assert ("sec_a", "任务下达：主题教育任务清单",
            "测试党委 发布了《主题教育任务清单》，贵组织共有任务 2 项，新增 2 项。") in titles
    # the office published it: the sender is never told of his own message (a new user's find)
    assert {n.user.username for n in Notice.objects.all()} == {"sec_a", "com_a", "sec_b"}
    # publishing again without changes tells nobody
    changes = publishing.preview(campaign)
    assert [c.touched for c in changes] == [False, False, False]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_plan(campaign)
    assert Notice.objects.count() == 3
    # a deadline moves: every branch is told again, the committee is not
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.1")
    item.due = dt.date(2023, 12, 15)
    item.save()
    assert [(c.org.code, c.changed) for c in publishing.preview(campaign) if c.touched] == [
        ("ZB01", 1), ("ZB02", 1)]
    with django_capture_on_commit_callbacks(execute=True):
        services.publish_plan(campaign)
    again = Notice.objects.filter(user=people["sec_a"]).order_by("-pk").first()
    assert again.body == "测试党委 发布了《主题教育任务清单》，贵组织共有任务 2 项，调整完成时限 1 项。"
    assert Notice.objects.filter(user=people["office"]).count() == 0  # his own publish; the committee unchanged since

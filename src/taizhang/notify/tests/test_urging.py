"""督办 (issue 12 §3): the office urges a branch about overdue or slow work; the branch gets
it in-app, by e-mail and on its group robot; the sender sees who opened it; the urging is in
the work's history."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.notify import services, urging
from taizhang.notify.models import Channel, Notice, OrgWebhook, Reminder, Urging

from taizhang.orgs.tests.factories import UserFactory, grant

from .helpers import assign, make_task, occurrence

D = dt.date
TODAY = D(2023, 11, 20)  # a Monday


@pytest.fixture
def work(tree, campaign):
    a, b = tree["branches"]
    monthly = assign(make_task(campaign, "三.2", "主题党日", recurrence="FREQ=MONTHLY"), a, D(2024, 1, 31))
    return {
        "late": assign(make_task(campaign, "三.1", "专题学习"), a, D(2023, 11, 10)),
        "soon": occurrence(monthly, (2023, 11), D(2023, 11, 22)),
        "later": assign(make_task(campaign, "三.3", "调研"), a, D(2023, 12, 29)),
        "done": assign(make_task(campaign, "三.4", "读书班"), b, D(2023, 11, 1), status="done"),
        "late_b": assign(make_task(campaign, "三.5", "谈心谈话"), b, D(2023, 11, 15)),
    }


def test_candidates_are_overdue_or_due_soon_in_the_managed_subtree(people, work):
    found = urging.candidates(people["office"], today=TODAY)
    assert [(c.kind, c.target.pk, c.overdue) for c in found] == [
        ("assignment", work["late"].pk, True), ("assignment", work["late_b"].pk, True),
        ("occurrence", work["soon"].pk, False)]
    assert urging.candidates(people["sec_a"], today=TODAY) == []  # a branch urges nobody


def test_urge_notifies_the_branch_on_every_channel_and_keeps_receipts(
        people, work, tree, stub_hosts, django_capture_on_commit_callbacks):
    OrgWebhook.objects.create(org=tree["branches"][0], kind="wecom", url="http://127.0.0.1:9/hook")
    with django_capture_on_commit_callbacks(execute=False):
        sent = urging.urge(work["late"], "请本周内完成专题学习", actor=people["office"])
    assert (sent.org, sent.message, sent.sent_by) == (tree["branches"][0], "请本周内完成专题学习",
                                                       people["office"])
    rows = Reminder.objects.filter(kind="urge")
    assert {(r.channel, r.recipient_key) for r in rows} == {
        (Channel.EMAIL, f"user:{people['sec_a'].pk}"),  # com_a has no address
        (Channel.NOTICE, f"user:{people['com_a'].pk}"), (Channel.NOTICE, f"user:{people['sec_a'].pk}"),
        (Channel.WEBHOOK, f"webhook:{OrgWebhook.objects.get().pk}")}
    notice = Notice.objects.get(user=people["sec_a"])
    assert notice.title == "督办：三.1 专题学习" and notice.body == "请本周内完成专题学习"
    assert notice.url == work["late"].get_absolute_url()
    event = Event.objects.get(verb="urge")
    assert (event.object_id, event.comment, event.actor) == (
        work["late"].pk, "请本周内完成专题学习", people["office"])
    assert [(r.user.username, r.read_at) for r in urging.receipts(sent)] == [
        ("com_a", None), ("sec_a", None)]
    services.mark_read(people["sec_a"], [notice.pk])
    read = {r.user.username: r.read_at for r in urging.receipts(sent)}
    assert read["com_a"] is None and read["sec_a"] is not None


def test_urge_is_refused_to_branches_done_work_and_empty_messages(people, work):
    with pytest.raises(PermissionDenied):
        urging.urge(work["late"], "x", actor=people["sec_a"])
    with pytest.raises(ValidationError, match="请填写督办内容"):
        urging.urge(work["late"], "  ", actor=people["office"])
    with pytest.raises(ValidationError, match="无需督办"):
        urging.urge(work["done"], "x", actor=people["office"])
    assert not Urging.objects.exists()


def test_urge_pages_and_read_receipt(client, people, work):
    client.force_login(people["office"])
    url = reverse("notify:urge", args=["assignment", work["late"].pk])
    page = client.get(url).content.decode()
    assert "请抓紧落实“三.1 专题学习”（完成时限 2023-11-10）" in page
    response = client.post(url, {"message": "请尽快完成"})
    sent = Urging.objects.get()
    assert response.url == sent.get_absolute_url()
    # the secretary opens the notice; the office sees the receipt
    client.force_login(people["sec_a"])
    notice = Notice.objects.get(user=people["sec_a"])
    client.post(reverse("notify:notice_read", args=[notice.pk]))
    detail = client.get(sent.get_absolute_url()).content.decode()
    assert "请尽快完成" in detail and 'id="receipts"' not in detail  # receipts: sender side only
    history = client.get(work["late"].get_absolute_url()).content.decode()
    assert "请尽快完成" in history  # part of the assignment's history
    client.force_login(people["office"])
    detail = client.get(sent.get_absolute_url()).content.decode()
    receipts = detail.split('id="receipts"')[1]
    assert receipts.count("已读</span>") == 1 and receipts.count("未读") == 1
    client.force_login(people["sec_b"])
    assert client.get(sent.get_absolute_url()).status_code == 404
    assert client.post(url, {"message": "x"}).status_code == 404


def test_urging_the_committees_own_task_goes_to_its_office_not_the_sender(tree, people, campaign):
    """issue 12 §3: urging DW's own task listed the urging person and the city's staff."""
    colleague = UserFactory(username="office2")
    grant(colleague, tree["committee"], "committee_staff")
    own = assign(make_task(campaign, "一.1", "制定实施方案", responsible="committee"),
                 tree["committee"], D(2023, 11, 10))
    assert [u.username for u in urging.recipients(own, actor=people["office"])] == ["office2"]
    urging.urge(own, "请尽快制定实施方案", actor=people["office"])
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"office2"}
    # the branch's secretary and committee member are the branch's only recipients
    assert [u.username for u in urging.recipients(assign(
        make_task(campaign, "三.9", "x"), tree["branches"][0], D(2023, 11, 1)),
        actor=people["office"])] == ["com_a", "sec_a"]


def test_urging_a_measure_goes_to_its_leader_and_responsible_org(tree, people):
    from taizhang.orgs.models import LeadershipMember, LeadershipTeam
    from taizhang.orgs.tests.factories import MemberFactory
    from taizhang.rectification import services as rectification

    a = tree["branches"][0]
    leader_user = UserFactory(username="leader1")
    member = MemberFactory(org=a, user=leader_user)
    team = LeadershipTeam.objects.create(org=tree["committee"], name="班子")
    leader = LeadershipMember.objects.create(team=team, member=member, title="党委委员", order=1)
    problem = rectification.create_problem(org=tree["committee"], user=people["office"],
                                           source="调查研究", description="学习不深入")
    measure = rectification.add_measure(problem, people["office"], measure="每月集中学习",
                                        deadline=D(2023, 11, 10), leader=leader,
                                        department_org=a)
    got = [u.username for u in urging.recipients(measure, actor=people["office"])]
    assert got == ["com_a", "leader1", "sec_a"]  # not the office that urges
    urging.urge(measure, "请抓紧整改", actor=people["office"])
    assert set(Notice.objects.values_list("user__username", flat=True)) == {"com_a", "leader1", "sec_a"}
    # without a responsible organization: the problem's organization's own office
    bare = rectification.add_measure(problem, people["office"], measure="建立台账",
                                     deadline=D(2023, 11, 10))
    assert urging.recipients(bare, actor=people["office"]) == []
    assert [u.username for u in urging.recipients(bare)] == ["office"]


def test_urge_page_names_the_recipients(client, people, work):
    client.force_login(people["office"])
    page = client.get(reverse("notify:urge", args=["assignment", work["late"].pk])).content.decode()
    names = page.split('id="urge-recipients"')[1].split("</div>")[0]
    assert "sec_a" in names and "com_a" in names and "office" not in names
    assert "2023主题教育" in page  # the task's campaign
    client.post(reverse("notify:urge", args=["assignment", work["late"].pk]), {"message": "请尽快完成"})
    detail = client.get(Urging.objects.get().get_absolute_url()).content.decode()
    assert "2023主题教育" in detail


def test_urge_board_names_each_tasks_campaign_in_constant_queries(client, tree, people, work):
    """A branch with two published plans sees which plan each task is of (issue 12 §3)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from .helpers import make_campaign

    other = make_campaign(tree["committee"], title="2023年度党建工作要点落实清单（第二批）")
    assign(make_task(other, "三.1", "专题学习"), tree["branches"][0], D(2023, 11, 10))
    urging.candidates(people["office"], today=TODAY)  # the user's scope, cached per request
    with CaptureQueriesContext(connection) as few:
        found = urging.candidates(people["office"], today=TODAY)
    assert [(c.title, c.campaign.short_title) for c in found[:3]] == [
        ("三.1 专题学习", "2023主题教育"), ("三.1 专题学习", "2023年度党建工作要点落实清…"),
        ("三.5 谈心谈话", "2023主题教育")]
    for n in range(5):
        assign(make_task(other, f"四.{n}", f"任务{n}"), tree["branches"][1], D(2023, 11, 1))
    with CaptureQueriesContext(connection) as more:
        assert len(urging.candidates(people["office"], today=TODAY)) == len(found) + 5
    assert len(more) == len(few) == 3
    client.force_login(people["office"])
    page = client.get(reverse("notify:urge_board")).content.decode()
    assert "2023年度党建工作要点落实清…" in page and "2023-11-10" in page

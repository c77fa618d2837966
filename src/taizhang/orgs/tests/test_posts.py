"""Members' posts (职务) managed by the committee office in the product (issue 12 §2):
appoint, end a tenure, history; scoped, audited, members of the organization only."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.orgs import posts
from taizhang.orgs.models import Position

from .factories import MemberFactory, UserFactory, grant

D1, D2 = dt.date(2024, 1, 5), dt.date(2024, 6, 30)


def test_appoint_and_end_a_tenure_audited(tree, staff):
    a, _b = tree["branches"]
    member = MemberFactory(org=a, name="李四")
    position = posts.appoint({"org": a, "member": member, "role": "secretary", "started_on": D1}, actor=staff)
    assert (position.member_id, position.org_id, position.role, position.started_on) == (member.pk, a.pk, "secretary", D1)
    assert LogEntry.objects.get_for_object(position).filter(actor=staff, action=LogEntry.Action.CREATE).count() == 1
    assert Event.objects.get(verb="appoint_post", object_id=a.pk).comment == "李四 书记 2024-01-05"
    # A second secretary while one is in office: refused, naming the holder.
    other = MemberFactory(org=a, name="王五")
    with pytest.raises(ValidationError, match="现由 李四 担任"):
        posts.appoint({"org": a, "member": other, "role": "secretary", "started_on": D1}, actor=staff)
    with pytest.raises(ValidationError, match="离任日期不能早于任职日期"):
        posts.end_tenure(position, {"ended_on": dt.date(2023, 1, 1)}, actor=staff)
    posts.end_tenure(position, {"ended_on": D2, "reason": "换届"}, actor=staff)
    position.refresh_from_db()
    assert (position.ended_on, position.end_reason) == (D2, "换届")
    assert LogEntry.objects.get_for_object(position).filter(actor=staff, action=LogEntry.Action.UPDATE).count() == 1
    assert Event.objects.get(verb="end_post").comment == "李四 书记 2024-06-30 换届"
    with pytest.raises(ValidationError, match="已于 2024-06-30 结束"):
        posts.end_tenure(position, {"ended_on": D2}, actor=staff)
    # Now the post is free: the successor is appointed; the history keeps both.
    posts.appoint({"org": a, "member": other, "role": "secretary", "started_on": D2}, actor=staff)
    shown = posts.posts_of(a)
    assert [p.member.name for p in dict((r, h) for _l, r, h in shown["current"])["secretary"]] == ["王五"]
    assert [(p.member.name, p.end_reason) for p in shown["history"]] == [("李四", "换届")]


def test_refuse_out_of_scope_and_members_of_other_orgs(tree, staff, secretary_a):
    a, b = tree["branches"]
    member_a, member_b = MemberFactory(org=a, name="甲"), MemberFactory(org=b, name="乙")
    office_a = UserFactory(username="office_a")
    grant(office_a, a, "committee_staff")
    with pytest.raises(PermissionDenied):  # the office of branch A does not manage B
        posts.appoint({"org": b, "member": member_b, "role": "secretary", "started_on": D1}, actor=office_a)
    with pytest.raises(PermissionDenied):  # a secretary holds no MANAGE role
        posts.appoint({"org": a, "member": member_a, "role": "secretary", "started_on": D1}, actor=secretary_a)
    with pytest.raises(ValidationError, match="乙 不是 第1党支部 的在册党员"):
        posts.appoint({"org": a, "member": member_b, "role": "organization_member", "started_on": D1}, actor=staff)
    group = tree["groups"]["ZB01"][0]
    with pytest.raises(ValidationError, match="第1党小组 没有此职务"):
        posts.appoint({"org": group, "member": member_a, "role": "secretary", "started_on": D1}, actor=staff)
    with pytest.raises(ValidationError, match="甲 不是 第1党小组 的在册党员"):  # not in that group
        posts.appoint({"org": group, "member": member_a, "role": "group_leader", "started_on": D1}, actor=staff)
    # The committee's posts are held by members of its subtree (its leaders sit in branches).
    committee_post = posts.appoint({"org": tree["committee"], "member": member_b, "role": "deputy_secretary",
                                    "started_on": D1}, actor=staff)
    assert committee_post.org_id == tree["committee"].pk
    position = Position.objects.create(member=member_b, org=b, role="secretary", started_on=D1)
    with pytest.raises(PermissionDenied):
        posts.end_tenure(position, {"ended_on": D2}, actor=office_a)
    assert Position.objects.get(pk=position.pk).ended_on is None
    assert not Event.objects.filter(verb="end_post").exists()


def test_posts_page_appoint_end_and_scope(client, tree, staff):
    a, b = tree["branches"]
    office_a = UserFactory(username="office_a")
    grant(office_a, a, "committee_staff")
    member = MemberFactory(org=a, name="赵六")
    MemberFactory(org=b, name="钱七")
    client.force_login(office_a)
    url = reverse("orgs:posts", args=[a.pk])
    page = client.get(url).content.decode()
    assert "赵六" in page and "钱七" not in page  # only the branch's own members are offered
    assert "不授予系统权限" in page  # the page says what a post does not grant
    response = client.post(url, {"role": "propaganda_member", "member": member.pk, "started_on": "2024-01-05"})
    assert response.status_code == 302
    position = Position.objects.get(member=member, org=a, role="propaganda_member", ended_on__isnull=True)
    page = client.get(url).content.decode()
    assert "赵六" in page and reverse("orgs:post_end", args=[position.pk]) in page
    response = client.post(reverse("orgs:post_end", args=[position.pk]), {"ended_on": "2024-03-01", "reason": "调离"})
    assert response.status_code == 302
    position.refresh_from_db()
    assert (position.ended_on, position.end_reason) == (dt.date(2024, 3, 1), "调离")
    assert "调离" in client.get(url).content.decode()  # the history
    # Another branch's page and post: not this office's.
    assert client.get(reverse("orgs:posts", args=[b.pk])).status_code == 404
    other = Position.objects.create(member=MemberFactory(org=b), org=b, role="secretary")
    assert client.post(reverse("orgs:post_end", args=[other.pk]), {"ended_on": "2024-03-01"}).status_code == 404
    # A member of another branch posted by hand is refused with the field's error.
    response = client.post(url, {"role": "secretary", "member": other.member_id, "started_on": "2024-01-05"})
    assert response.status_code == 200 and "选择一个有效的选项" in response.content.decode()
    # The detail page links to the posts page for the office.
    assert reverse("orgs:posts", args=[a.pk]) in client.get(reverse("orgs:organization_detail", args=[a.pk])).content.decode()


def test_the_page_shows_where_post_and_role_differ(client, tree, staff):
    a, _b = tree["branches"]
    with_role = MemberFactory(org=a, name="有角色", user=UserFactory(username="u_role"))
    grant(with_role.user, a, "branch_secretary")
    without_role = MemberFactory(org=a, name="无角色", user=UserFactory(username="u_none"))
    no_account = MemberFactory(org=a, name="无账号")
    for member, role in [(with_role, "secretary"), (without_role, "organization_member"), (no_account, "propaganda_member")]:
        posts.appoint({"org": a, "member": member, "role": role, "started_on": D1}, actor=staff)
    client.force_login(staff)
    html = client.get(reverse("orgs:posts", args=[a.pk])).content.decode()
    import re
    cells = dict(re.findall(r'>(有角色|无角色|无账号)</a>.*?<td class="account-roles">(.*?)</td>', html, re.S))
    assert cells["有角色"] == "支部书记"
    assert "无本组织角色" in cells["无角色"] and "无登录账号" in cells["无账号"]

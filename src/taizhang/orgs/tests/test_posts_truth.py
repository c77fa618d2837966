"""One source of truth for who holds a post (``orgs.posts``): the organization's page, its
posts page, the roster and the member lists agree; a post is current when it started on or
before today and has not ended (new-user pass, issue 12 "Noticed")."""

import datetime as dt
import re

from django.urls import reverse

from taizhang.orgs import posts
from taizhang.orgs.models import Position
from taizhang.orgs.services import position_labels, roster_queryset

from .factories import MemberFactory

D1 = dt.date(2024, 1, 5)
FUTURE = dt.date(2099, 1, 1)


def _card(html: str, card_id: str) -> str:
    match = re.search(rf'id="{card_id}".*?</div>\s*</div>', html, re.S)
    assert match, card_id
    return match.group(0)


def _posts_page_holders(client, org) -> list[tuple[str, str]]:
    html = client.get(reverse("orgs:posts", args=[org.pk])).content.decode()
    table = re.search(r'id="current-posts".*?</tbody>', html, re.S).group(0)
    return re.findall(r"<tr><td>([^<]+)</td><td><a [^>]*>([^<]+)</a>", table)


def test_org_page_posts_agree_with_the_posts_page(client, tree, staff):
    """A branch member who is the committee's 副书记 is no 副书记 of the branch: the branch
    page names the committee beside that post, and its 现任职务 card lists what the posts page
    lists, no more."""
    a, _b = tree["branches"]
    deputy = MemberFactory(org=a, name="吕克海")
    secretary = MemberFactory(org=a, name="董韵滢")
    posts.appoint({"org": tree["committee"], "member": deputy, "role": "deputy_secretary", "started_on": D1},
                  actor=staff)
    posts.appoint({"org": a, "member": secretary, "role": "secretary", "started_on": D1}, actor=staff)
    client.force_login(staff)
    html = client.get(reverse("orgs:organization_detail", args=[a.pk])).content.decode()
    card = re.findall(r'class="list-group-item" href="[^"]*">([^<]+)</a>', _card(html, "org-current-posts"))
    assert card == ["书记 · 董韵滢"]
    assert _posts_page_holders(client, a) == [("书记", "董韵滢")]
    row = re.search(r">吕克海</a></td>.*?</tr>", html, re.S).group(0)
    assert "副书记（测试党委）" in row
    assert re.search(r">董韵滢</a></td>.*?<td>书记</td>", html, re.S)
    # The committee's own page lists him as its 副书记, as its posts page does.
    html = client.get(reverse("orgs:organization_detail", args=[tree["committee"].pk])).content.decode()
    card = re.findall(r'class="list-group-item" href="[^"]*">([^<]+)</a>', _card(html, "org-current-posts"))
    assert card == ["副书记 · 吕克海"]
    assert _posts_page_holders(client, tree["committee"]) == [("副书记", "吕克海")]


def test_group_rows_count_the_groups_members(client, tree, staff):
    """A 党小组's members belong to its branch (``org``) and to it (``group``): the group rows
    on the branch page and in the tree list count them (9 and 8), the branch row counts all."""
    a, _b = tree["branches"]
    g1, g2 = tree["groups"]["ZB01"]
    for i in range(9):
        MemberFactory(org=a, group=g1)
    for i in range(8):
        MemberFactory(org=a, group=g2)
    MemberFactory(org=a, group=g2, is_active=False)  # left: not counted
    client.force_login(staff)
    html = client.get(reverse("orgs:organization_detail", args=[a.pk])).content.decode()
    rows = dict(re.findall(r'class="list-group-item" href="[^"]*">([^<]+?) <span class="text-secondary">(\d+)</span>', html))
    assert rows == {"第1党小组": "9", "第2党小组": "8"}
    html = client.get(reverse("orgs:organization_detail", args=[tree["committee"].pk])).content.decode()
    rows = dict(re.findall(r'class="list-group-item" href="[^"]*">([^<]+?) <span class="text-secondary">(\d+)</span>', html))
    assert rows == {"第1党支部": "17", "第2党支部": "0"}
    html = client.get(reverse("orgs:organization_list")).content.decode()
    items = {seg.split('"')[2]: seg for seg in html.split("list-group-item list-group-item-action")[1:]}
    for org, count in [(g1, 9), (g2, 8), (a, 17)]:
        assert f"{count} 名党员" in items[org.get_absolute_url()], org


def test_a_post_starting_in_the_future_is_not_current(client, tree, staff):
    """Current = started on or before today and not ended: a tenure starting in 2099 is
    listed as upcoming (with its date), not as holding the post, everywhere."""
    a, _b = tree["branches"]
    future = MemberFactory(org=a, name="未来人")
    position = posts.appoint({"org": a, "member": future, "role": "organization_member", "started_on": FUTURE},
                             actor=staff)
    today = dt.date.today()
    assert not position.is_current() and position.is_current(on=FUTURE)
    assert list(Position.objects.current()) == []
    assert list(Position.objects.current(on=FUTURE)) == [position]
    shown = posts.posts_of(a)
    assert dict((r, h) for _l, r, h in shown["current"])["organization_member"] == []
    assert [p.member.name for p in shown["upcoming"]] == ["未来人"]
    assert shown["history"] == []
    member = roster_queryset(None, a).get(pk=future.pk)
    assert member.current_positions == [] and position_labels(member) == ""
    client.force_login(staff)
    html = client.get(reverse("orgs:organization_detail", args=[a.pk])).content.decode()
    assert "未来人" not in _card(html, "org-current-posts")
    assert not re.search(r">未来人</a></td>.*?<td>组织委员</td>", html, re.S)
    posts_html = client.get(reverse("orgs:posts", args=[a.pk])).content.decode()
    assert _posts_page_holders(client, a) == []
    assert "2099-01-01" in _card(posts_html, "upcoming-posts")
    # A tenure ended today is history, one ending later is still current.
    ended = posts.appoint({"org": a, "member": MemberFactory(org=a, name="今日离任"), "role": "secretary",
                           "started_on": D1}, actor=staff)
    posts.end_tenure(ended, {"ended_on": today}, actor=staff)
    later = Position.objects.create(org=a, member=MemberFactory(org=a, name="明年离任"), role="propaganda_member",
                                    started_on=D1, ended_on=today + dt.timedelta(days=365))
    assert set(Position.objects.current()) == {later}
    assert [p.member.name for p in posts.posts_of(a)["history"]] == ["今日离任"]

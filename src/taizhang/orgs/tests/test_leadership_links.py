"""/orgs/leadership/ links only to pages the reader may open (a branch secretary met links
to the committee and to leaders of other branches that answered 404)."""

import re

from django.urls import reverse

from taizhang.orgs.models import LeadershipMember, LeadershipTeam

from .factories import MemberFactory


def test_a_branch_secretary_gets_no_dead_links(client, tree, secretary_a, staff):
    committee, (a, b) = tree["committee"], tree["branches"]
    team = LeadershipTeam.objects.create(org=committee, name="测试党委领导班子")
    own = LeadershipMember.objects.create(team=team, member=MemberFactory(org=a, name="甲领导"), title="书记", order=1)
    other = LeadershipMember.objects.create(team=team, member=MemberFactory(org=b, name="乙领导"), title="委员", order=2)
    other.contact_branches.set([a, b])
    client.force_login(secretary_a)
    html = client.get(reverse("orgs:leadership")).content.decode()
    assert "乙领导" in html and "测试党委领导班子" in html  # the team is read below
    hrefs = set(re.findall(r'href="(/orgs/[^"]*)"', html))
    for href in hrefs:
        assert client.get(href).status_code == 200, href
    assert own.member.get_absolute_url() in hrefs and a.get_absolute_url() in hrefs
    assert other.member.get_absolute_url() not in hrefs and committee.get_absolute_url() not in hrefs
    # The office may open every one of them: all linked.
    client.force_login(staff)
    hrefs = set(re.findall(r'href="(/orgs/[^"]*)"', client.get(reverse("orgs:leadership")).content.decode()))
    assert {other.member.get_absolute_url(), committee.get_absolute_url(), b.get_absolute_url()} <= hrefs

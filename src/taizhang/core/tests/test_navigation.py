"""The navigation: the self-study ledger sits with the other study records."""

import pytest
from django.urls import reverse

from taizhang.orgs.tests.factories import UserFactory, build_tree, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def secretary(client):
    user = UserFactory(username="nav_sec")
    grant(user, build_tree(branches=1, groups=0)["branches"][0], "branch_secretary")
    client.force_login(user)
    return user


def records_menu(response) -> list[dict]:
    (group,) = [i for i in response.context["nav_items"] if i["label"] == "工作记录"]
    return group["children"]


def test_self_study_is_in_the_menu_next_to_study(client, secretary):
    children = records_menu(client.get(reverse("home")))
    labels = [c["label"] for c in children]
    assert labels[labels.index("学习") + 1] == "个人自学"
    assert children[labels.index("个人自学")]["url"] == reverse("records:selfstudy_list")


def test_the_self_study_entry_is_active_on_its_pages(client, secretary):
    response = client.get(reverse("records:selfstudy_list"))
    active = [c["label"] for c in records_menu(response) if c["active"]]
    assert active == ["个人自学"]
    assert f'href="{reverse("records:selfstudy_list")}">个人自学</a>' in response.content.decode()
    study = client.get(reverse("records:study_list"))
    assert [c["label"] for c in records_menu(study) if c["active"]] == ["学习"]


def test_a_members_own_forms_are_one_dropdown_after_home(client, secretary):
    """记录个人自学 / 记录我的微党课 / 提意见建议 are reachable from the menu (issue 12 §2)."""
    client.force_login(secretary)
    items = client.get(reverse("records:my_micro_lecture")).context["nav_items"]
    assert [i["label"] for i in items[:2]] == ["首页", "我的填报"]
    mine = items[1]
    assert [(c["label"], c["url"], c["active"]) for c in mine["children"]] == [
        ("记录个人自学", reverse("records:my_self_study"), False),
        ("记录我的微党课", reverse("records:my_micro_lecture"), True),
        ("提意见建议", reverse("records:my_suggestion"), False)]
    assert mine["active"]


def _nav_urls(response) -> set[str]:
    urls = set()
    for item in response.context["nav_items"]:
        urls.update(c["url"] for c in item.get("children", [item]))
    return urls


OFFICE_ONLY = ["orgs:accounts_create", "notify:urge_board", "plans:review_queue"]
LEDGERS = ["records:meeting_list", "rectification:problem_list", "compliance:overview",
           "orgs:member_list", "reports:index"]


def test_a_plain_members_menu_offers_only_his_own_pages(client):
    """A plain member (the ``member`` role only) is offered 首页, 我的填报, his notices and
    the campaign, none of the office's or the branch's ledgers (issue 12 §2)."""
    tree = build_tree(branches=1, groups=0)
    user = UserFactory(username="nav_member")
    grant(user, tree["branches"][0], "member")
    client.force_login(user)
    response = client.get(reverse("home"))
    html = response.content.decode()
    labels = [i["label"] for i in response.context["nav_items"]]
    assert labels[:2] == ["首页", "我的填报"]
    for name in OFFICE_ONLY + LEDGERS:
        assert f'href="{reverse(name)}"' not in html, name
    for name in ["records:my_self_study", "notify:notice_list", "plans:campaign_list"]:
        assert f'href="{reverse(name)}"' in html, name


def test_an_office_users_menu_has_the_office_sections(client):
    tree = build_tree(branches=1, groups=0)
    user = UserFactory(username="nav_office")
    grant(user, tree["committee"], "committee_staff")
    client.force_login(user)
    html = client.get(reverse("home")).content.decode()
    for name in OFFICE_ONLY + LEDGERS:
        assert f'href="{reverse(name)}"' in html, name


def test_a_secretary_gets_ledgers_but_not_the_office_sections(client, secretary):
    urls = _nav_urls(client.get(reverse("home")))
    assert {reverse(n) for n in LEDGERS} <= urls
    assert not {reverse(n) for n in OFFICE_ONLY} & urls


def test_the_menu_costs_one_query_whatever_the_roles(rf):
    """The menu reads the user's roles once (core.scoping.held_actions), however many
    roles and entries there are."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from taizhang.core.context_processors import navigation

    tree = build_tree(branches=3, groups=0)
    counts = []
    for n, roles in enumerate([["member"], ["member", "branch_secretary", "inspector", "committee_staff"]]):
        user = UserFactory(username=f"nav_q{n}")
        for org, role in zip(tree["branches"] + [tree["committee"]], roles, strict=False):
            grant(user, org, role)
        request = rf.get("/")
        request.user = user
        with CaptureQueriesContext(connection) as ctx:
            navigation(request)
        counts.append(len(ctx.captured_queries))
    assert counts == [1, 1]

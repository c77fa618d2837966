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

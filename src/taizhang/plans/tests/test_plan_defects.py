"""Defects of the plan pages found by the new-user pass (issue 12's notes), each with its
failing input: a replayed 增加任务, the publish page of an unapproved derived plan, the
header's task count, a hand-added task's number."""

import re

from django.urls import reverse

from taizhang.plans.models import Campaign

from .test_levels import city  # noqa: F401  (fixture)


def _token(page: str) -> str:
    return re.search(r'name="form_token" value="([^"]+)"', page).group(1)


def test_replayed_item_add_adds_one_task(city, client):  # noqa: F811
    client.force_login(city["dw_office"])
    client.post(reverse("plans:derive", args=[city["campaign"].pk]), {"org": city["dw"].pk})
    unit = Campaign.objects.get(derived_from=city["campaign"])
    add = reverse("plans:item_add", args=[unit.pk])
    token = _token(client.get(add).content.decode())
    parent = unit.plan.items.get(ref="三.1")
    data = {"parent": parent.pk, "title": "按时", "responsible": "branch", "due": "2023-12-20",
            "form_token": token}
    assert client.post(add, data).url == unit.get_absolute_url()
    replay = client.post(add, data, follow=True)
    assert replay.redirect_chain == [(unit.get_absolute_url(), 302)]
    assert "该表单已提交过，未重复新增" in replay.content.decode()
    assert unit.plan.items.filter(title="按时").count() == 1

"""Defects of the plan pages found by the new-user pass (issue 12's notes), each with its
failing input: a replayed 增加任务, the publish page of an unapproved derived plan, the
header's task count, a hand-added task's number."""

import datetime as dt
import re

from django.urls import reverse

from taizhang.plans.models import Campaign

from .test_levels import city  # noqa: F401  (fixture)

D = dt.date


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


def test_publish_page_says_why_a_plan_cannot_be_published_and_offers_no_button(city, client):  # noqa: F811
    from taizhang.plans import levels

    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    client.force_login(city["dw_office"])
    url = reverse("plans:campaign_publish", args=[unit.pk])
    page = client.get(url).content.decode()
    reasons = page.split('id="publish-blockers"')[1].split("</div>")[0]
    assert "本清单由上级清单分解，须经上级审核通过后才能发布。" in reasons
    assert reverse("plans:plan_review", args=[unit.pk]) in reasons  # where to ask for it
    assert 'id="publish-confirm"' not in page
    levels.submit_for_review(unit, actor=city["dw_office"])
    levels.review_plan(unit, "approve", actor=city["city_office"])
    page = client.get(url).content.decode()
    assert 'id="publish-blockers"' not in page and 'id="publish-confirm"' in page
    # every refusal of the publish is shown the same way: here tasks without any deadline
    Campaign.objects.filter(pk=unit.pk).update(start=None, end=None)
    page = client.get(url).content.decode()
    reasons = page.split('id="publish-blockers"')[1].split("</div>")[0]
    assert "无法发布：以下任务没有完成时限，也未标为“长期坚持”：三.2 每月主题党日。" in reasons
    assert 'id="publish-confirm"' not in page


def test_plan_header_and_coverage_count_the_same_tasks(city, client):  # noqa: F811
    """The header counted every task item (23), the coverage the assigned ones (22): a task
    with sub-tasks is assigned through its sub-tasks, so both now count those."""
    from taizhang.plans import levels

    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    parent = unit.plan.items.get(ref="三.1")
    levels.add_item(unit.plan, {"parent": parent, "title": "读书班", "responsible": "branch",
                                "due": parent.due}, actor=city["dw_office"])
    client.force_login(city["dw_office"])
    page = client.get(unit.get_absolute_url()).content.decode()
    header = page.split('id="task-count"')[1].split("</div>")[0]
    assert ">3 / 0" in header  # 二.1, 三.2 and 三.1's sub-task; 三.1 itself is not assigned
    coverage = page.split('id="coverage"')[1].split("</strong>")[0]
    assert coverage.endswith("3 项任务中 0 项由工作记录完成")


def test_a_hand_added_task_is_numbered_like_its_siblings(city):  # noqa: F811
    """A hand-added task was numbered "三+3": it now takes the next number in its siblings'
    style (三、 1. （1） as in the seed), or the style the plan uses one level below its
    parent's, or the standard next level (GB/T 9704 §7.3.3: 一、 （一） 1. （1）)."""
    from taizhang.plans import levels

    unit = levels.derive_plan(city["campaign"], city["dw"], actor=city["dw_office"])
    items = {i.ref: i for i in unit.plan.items.all()}

    def add(parent, title):
        item = levels.add_item(unit.plan, {"parent": parent, "title": title, "responsible": "branch",
                                           "due": D(2023, 10, 31)}, actor=city["dw_office"])
        return item.label, item.ref

    assert add(items["三"], "读书班") == ("3.", "三.3")
    assert add(items["三"], "知识竞赛") == ("4.", "三.4")
    assert add(items["三.1"], "集中学习") == ("（1）", "三.1（1）")  # below 1.: （1）
    assert add(items["三.1"], "交流研讨") == ("（2）", "三.1（2）")
    assert add(None, "本单位任务") == ("四、", "四")
    assert add(items["二.1"], "印发方案") == ("（1）", "二.1（1）")  # as the plan does below 1.


def test_next_label_styles():
    from taizhang.plans.importer.numbering import format_label, next_label

    assert [format_label(s, 12) for s in ("一、", "（一）", "1.", "（1）", "①", "1、", "第条")] == [
        "十二、", "（十二）", "12.", "（12）", "⑫", "12、", "第十二条"]
    assert next_label(["（一）", "（二）"], "一、") == "（三）"
    assert next_label(["1.", "2.", "5."], "一、") == "6."  # after the largest, never a duplicate
    assert next_label([], "三、", {"一、": "（一）"}) == "（一）"  # learned from the plan
    assert next_label([], "三、") == "（一）"  # the standard level below 一、
    assert next_label([], "") == "一、"
    assert next_label([], "（1）") == "①"
    assert next_label(["", "学习"], "一、") == "（一）"  # unnumbered siblings: a level's first


def test_replayed_derive_and_upload_show_the_first_result(city, client, tmp_path):  # noqa: F811
    """The rest of the kind: 分解为本单位任务清单 and the plan upload are one-time forms too."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from taizhang.plans.models import PlanImport

    client.force_login(city["dw_office"])
    detail = client.get(city["campaign"].get_absolute_url()).content.decode()
    token = _token(detail.split('id="derive-form"')[1])
    derive = reverse("plans:derive", args=[city["campaign"].pk])
    client.post(derive, {"org": city["dw"].pk, "form_token": token})
    unit = Campaign.objects.get(derived_from=city["campaign"])
    replay = client.post(derive, {"org": city["dw"].pk, "form_token": token}, follow=True)
    assert replay.redirect_chain == [(unit.get_absolute_url(), 302)]
    assert "该表单已提交过" in replay.content.decode()
    url = reverse("plans:import")
    token = _token(client.get(url).content.decode())
    text = "主题教育任务清单\n一、党委任务\n1.制定实施方案，2023年11月30日前完成。\n".encode()

    def post():
        return client.post(url, {"file": SimpleUploadedFile("清单.txt", text), "org": city["dw"].pk,
                                 "form_token": token})

    first = post()
    plan_import = PlanImport.objects.get()
    assert first.url == plan_import.get_absolute_url()
    assert post().url == plan_import.get_absolute_url() and PlanImport.objects.count() == 1

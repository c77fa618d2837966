"""A long import preview is paged by section; a yearless table asks for the year once (issue 16)."""

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.plans.importer.tests import corpus
from taizhang.plans.models import Campaign, PlanImport, PlanItem
from taizhang.plans.preview import PAGE_ITEMS, paginate


def _long_plan(sections=10, tasks=30) -> bytes:
    lines = ["2025年党建工作任务清单"]
    cn = "一二三四五六七八九十"
    for s in range(sections):
        lines.append(f"{cn[s]}、第{s + 1}方面工作")
        lines += [f"{t}.开展第{s + 1}-{t}项工作，{t % 12 + 1}月底前完成。" for t in range(1, tasks + 1)]
    return "\n".join(lines).encode()


def _form_data(form, **extra):
    data = {name: form[name].value() or "" for name in form.fields}
    data.update(extra)
    return data


def test_paginate_cuts_whole_sections():
    draft = {"items": [{"label": f"{i}、", "title": f"S{i}", "children": [{"title": "t"}] * 99} for i in range(5)]}
    pages, sections = paginate(draft, page_items=200)
    assert [len(p.keys) for p in pages] == [200, 200, 100]
    assert [(s.title, s.count, s.page) for s in sections] == [
        ("S0", 100, 1), ("S1", 100, 1), ("S2", 100, 2), ("S3", 100, 2), ("S4", 100, 3)]
    assert paginate({"items": draft["items"][:2]})[1] == []


def test_long_preview_is_paged_and_edits_of_each_page_are_kept(client, office, tree):
    client.force_login(office)
    response = client.post(reverse("plans:import"), {
        "file": SimpleUploadedFile("长清单.txt", _long_plan()), "org": tree["committee"].pk})
    url = response.url
    first = client.get(url)
    html = first.content.decode()
    assert len(first.context["form"].rows) <= PAGE_ITEMS and "按章节分页：第 1 / 4 页" in html
    assert len(html) < 1_000_000
    form = first.context["form"]
    key = form.rows[1]["key"]
    second = client.post(url, _form_data(form, **{f"{key}-title": "改过的标题", "goto": "2", "page": "1"}))
    assert second.status_code == 302 and second.url.endswith("?page=2")
    page2 = client.get(second.url)
    assert {r["key"].split("-")[0] for r in page2.context["form"].rows} == {"3", "4", "5"}
    done = client.post(url, _form_data(page2.context["form"], confirm="1", page="2"))
    campaign = Campaign.objects.get()
    assert done.status_code == 302
    assert PlanItem.objects.filter(plan=campaign.plan, title="改过的标题").count() == 1
    assert PlanItem.objects.filter(plan=campaign.plan).count() == 10 * 31


def test_yearless_table_asks_for_the_year_once(client, office, tree, tmp_path):
    client.force_login(office)
    path = corpus.make_yearless_schedule(tmp_path)
    url = client.post(reverse("plans:import"), {
        "file": SimpleUploadedFile(path.name, path.read_bytes()), "org": tree["committee"].pk}).url
    preview = client.get(url)
    assert 'id="year-needed"' in preview.content.decode()
    client.post(url, _form_data(preview.context["form"], year="2024", confirm="1"))
    items = PlanItem.objects.filter(plan=Campaign.objects.get().plan).order_by("pk")
    assert [(i.title, i.due.isoformat()) for i in items] == [
        ("召开组织生活会", "2024-12-29"), ("开展谈心谈话", "2025-01-10")]
    assert PlanImport.objects.get().draft["year_needed"] is False

"""The preview shows which sheet and column was taken for what and lets the user change it;
the kept upload is read again with the choices (issue 16 §1, §3)."""

from __future__ import annotations

import datetime as dt

import openpyxl
import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.plans.models import Campaign, PlanImport, PlanImportStatus, PlanItem


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


def _book(sheets: dict[str, list[list[str]]]) -> bytes:
    import io

    wb = openpyxl.Workbook()
    wb.remove(wb.active)
    for title, rows in sheets.items():
        ws = wb.create_sheet(title)
        for row in rows:
            ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


UNKNOWN = {"安排": [["2025年学校工作安排"], ["No", "活动", "日子", "谁来办"],
                   ["1", "开展植树活动", "2025年3月12日", "团委"],
                   ["2", "召开家长会", "2025年4月20日", "德育处"]]}
TWO = {"上学期": [["序号", "重点任务", "完成时限", "责任单位"], ["1", "召开党委会", "2025年3月31日", "党委"]],
       "下学期": [["序号", "重点任务", "完成时限", "责任单位"], ["1", "组织主题党日", "2025年9月30日", "各党支部"],
                 ["2", "开展谈心谈话", "2025年10月31日", "各党支部"]]}


def _upload(client, tree, name, data):
    response = client.post(reverse("plans:import"), {"file": SimpleUploadedFile(name, data),
                                                     "org": tree["committee"].pk})
    assert response.status_code == 302, response.content.decode()[:2000]
    return PlanImport.objects.latest("pk")


def _layout_data(form, **changes):
    data = {name: form[name].value() for name in form.fields}
    data.update(changes)
    return data


def _titles(plan_import):
    plan_import.refresh_from_db()
    return [node["title"] for node in plan_import.draft["items"]]


def test_unknown_header_gets_its_tasks_after_picking_roles(client, office, tree):
    client.force_login(office)
    plan_import = _upload(client, tree, "安排.xlsx", _book(UNKNOWN))
    assert plan_import.draft["items"] == []
    preview = client.get(plan_import.get_absolute_url())
    html = preview.content.decode()
    assert "表格的读取" in html and "没有找到带编号的条目" in html
    assert "确认导入" not in html  # nothing to confirm yet
    form = preview.context["layout_form"]
    assert [f.label for f in form.column_fields] == ["1. No", "2. 活动", "3. 日子", "4. 谁来办"]
    # Confirming an empty draft is refused, nothing is written.
    client.post(plan_import.get_absolute_url(), {"title": "x", "confirm": "1"})
    assert Campaign.objects.count() == 0

    response = client.post(reverse("plans:import_layout", args=[plan_import.pk]), _layout_data(
        form, **{"col-0": "seq", "col-1": "task", "col-2": "deadline", "col-3": "units"}))
    assert response.status_code == 302 and response.url == plan_import.get_absolute_url()
    plan_import.refresh_from_db()
    items = plan_import.draft["items"]
    assert [(n["label"], n["title"], n["due"], n["responsible_units"]) for n in items] == [
        ("1", "开展植树活动", "2025-03-12", "团委"), ("2", "召开家长会", "2025-04-20", "德育处")]
    assert plan_import.draft["title"] == "2025年学校工作安排"
    assert [c["role"] for c in plan_import.draft["layout"]["columns"]] == ["seq", "task", "deadline", "units"]
    event = Event.objects.get(verb="reread")
    assert event.actor == office and event.comment == "安排：1=seq；2=task；3=deadline；4=units"

    # The page shows the roles taken; confirming creates the campaign and drops the kept file.
    preview = client.get(plan_import.get_absolute_url())
    assert preview.context["layout_form"]["col-1"].value() == "task"
    kept = plan_import.draft["upload"]
    from taizhang.core.uploads import PendingUploads
    from taizhang.plans.views import PLAN_UPLOADS

    path = PendingUploads(PLAN_UPLOADS).path(kept["token"], kept["name"])
    assert path.is_file()
    form = preview.context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    client.post(plan_import.get_absolute_url(), {**data, "confirm": "1"})
    campaign = Campaign.objects.get()
    assert list(PlanItem.objects.filter(plan=campaign.plan).order_by("pk").values_list("title", "due")) == [
        ("开展植树活动", dt.date(2025, 3, 12)), ("召开家长会", dt.date(2025, 4, 20))]
    assert not path.exists()


def test_the_second_sheet_is_read_after_picking_it(client, office, tree):
    client.force_login(office)
    plan_import = _upload(client, tree, "学期计划.xlsx", _book(TWO))
    preview = client.get(plan_import.get_absolute_url())
    form = preview.context["layout_form"]
    assert form["sheet"].value() == "上学期"
    assert [c for c, _ in form.fields["sheet"].choices] == ["上学期", "下学期"]
    client.post(reverse("plans:import_layout", args=[plan_import.pk]), _layout_data(form, sheet="下学期"))
    assert _titles(plan_import) == ["组织主题党日", "开展谈心谈话"]
    assert plan_import.draft["layout"]["sheet"] == "下学期" and plan_import.draft["layout"]["picked"]
    # Changing a column of the picked sheet keeps reading that sheet.
    form = client.get(plan_import.get_absolute_url()).context["layout_form"]
    client.post(reverse("plans:import_layout", args=[plan_import.pk]), _layout_data(form, **{"col-2": "ignore"}))
    plan_import.refresh_from_db()
    assert [(n["title"], n["due"]) for n in plan_import.draft["items"]] == [
        ("组织主题党日", None), ("开展谈心谈话", None)]


@pytest.mark.parametrize(("changes", "message"), [
    ({"col-1": "boss"}, "2. 重点任务："),
    ({"sheet": "全年"}, "工作表："),
    ({"col-1": "ignore"}, "学期计划.xlsx：请至少选择一列作为“任务”或“措施”"),
])
def test_bad_choice_is_refused_and_nothing_saved(client, office, tree, changes, message):
    client.force_login(office)
    plan_import = _upload(client, tree, "学期计划.xlsx", _book(TWO))
    before = plan_import.draft
    form = client.get(plan_import.get_absolute_url()).context["layout_form"]
    response = client.post(reverse("plans:import_layout", args=[plan_import.pk]),
                           _layout_data(form, **changes), follow=True)
    html = response.content.decode()
    assert message in html
    plan_import.refresh_from_db()
    assert plan_import.draft == before and not Event.objects.filter(verb="reread").exists()


def test_expired_upload_says_so(client, office, tree):
    client.force_login(office)
    plan_import = _upload(client, tree, "学期计划.xlsx", _book(TWO))
    from taizhang.core.uploads import PendingUploads
    from taizhang.plans.views import PLAN_UPLOADS

    PendingUploads(PLAN_UPLOADS).discard(plan_import.draft["upload"]["token"])
    form = client.get(plan_import.get_absolute_url()).context["layout_form"]
    response = client.post(reverse("plans:import_layout", args=[plan_import.pk]), _layout_data(form), follow=True)
    assert "上传的文件已不在服务器上" in response.content.decode()


def test_text_upload_keeps_no_file_and_shows_no_layout(client, office, tree, settings):
    client.force_login(office)
    plan_import = _upload(client, tree, "计划.txt", "一、学习\n1.召开党委会，3月底前完成。\n".encode())
    assert "upload" not in plan_import.draft and "layout" not in plan_import.draft
    assert client.get(plan_import.get_absolute_url()).context["layout_form"] is None
    assert not any((settings.MEDIA_ROOT / "plan-uploads").iterdir())


def test_other_branch_cannot_reread(client, office, tree, secretary_b):
    client.force_login(office)
    plan_import = _upload(client, tree, "学期计划.xlsx", _book(TWO))
    client.force_login(secretary_b)
    response = client.post(reverse("plans:import_layout", args=[plan_import.pk]), {"sheet": "下学期"})
    assert response.status_code == 404
    plan_import.refresh_from_db()
    assert plan_import.status == PlanImportStatus.PENDING and plan_import.draft["layout"]["sheet"] == "上学期"


def test_cli_takes_the_same_choices(tmp_path, capsys):
    import json

    from django.core.management import call_command
    from django.core.management.base import CommandError

    path = tmp_path / "安排.xlsx"
    path.write_bytes(_book(UNKNOWN))
    call_command("import_plan", str(path), "--json", "--column", "2=task", "--column", "3=deadline")
    items = json.loads(capsys.readouterr().out)["items"]
    assert [(n["title"], n["due"]) for n in items] == [("开展植树活动", "2025-03-12"), ("召开家长会", "2025-04-20")]
    path.write_bytes(_book(TWO))
    with pytest.raises(CommandError, match="安排.xlsx：没有名为“全年”的工作表"):
        call_command("import_plan", str(path), "--json", "--sheet", "全年")
    with pytest.raises(CommandError, match="--column x=task：应写作 列号=用途"):
        call_command("import_plan", str(path), "--json", "--column", "x=task")

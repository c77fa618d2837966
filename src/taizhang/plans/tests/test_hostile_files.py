"""Hostile files at the plan import, in the browser and the CLI (issue 16 §3)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import CommandError, call_command
from django.urls import reverse

from taizhang.core.reading.tests.hostile import bomb_xlsx, unpacked_bytes
from taizhang.plans.models import PlanImport


@pytest.fixture(scope="module")
def bomb_data():
    return bomb_xlsx(120)


def test_upload_of_a_bomb_is_refused_quickly_naming_file_and_reason(client, office, tree, bomb_data):
    client.force_login(office)
    with unpacked_bytes() as unpacked:
        response = client.post(reverse("plans:import"), {
            "file": SimpleUploadedFile("年度计划.xlsx", bomb_data), "org": tree["committee"].pk})
    assert unpacked[0] < 1024 * 1024  # refused from the zip's directory, not by unpacking
    html = response.content.decode()
    assert response.status_code == 200 and PlanImport.objects.count() == 0
    assert "年度计划.xlsx：其中的 xl/worksheets/sheet1.xml 解压后达 120 MB（单个部分上限 50 MB）" in html


def test_upload_of_an_xls_html_table_is_accepted(client, office, tree):
    client.force_login(office)
    html = ("<html><body><table><tr><td>序号</td><td>重点任务</td><td>完成时限</td></tr>"
            "<tr><td>1</td><td>召开党委会</td><td>2025年3月31日</td></tr></table></body></html>")
    response = client.post(reverse("plans:import"), {
        "file": SimpleUploadedFile("导出.xls", html.encode()), "org": tree["committee"].pk})
    assert response.status_code == 302
    draft = PlanImport.objects.get().draft
    assert [(n["label"], n["title"], n["due"]) for n in draft["items"]] == [("1", "召开党委会", "2025-03-31")]


def test_cli_has_the_same_limits_and_a_flag_to_widen_them(db, tmp_path, bomb_data):
    path = tmp_path / "年度计划.xlsx"
    path.write_bytes(bomb_data)
    with unpacked_bytes() as unpacked, pytest.raises(
            CommandError, match=r"^年度计划\.xlsx：其中的 xl/worksheets/sheet1\.xml 解压后达 120 MB"):
        call_command("import_plan", str(path), "--json")
    assert unpacked[0] < 1024 * 1024
    small = tmp_path / "小.xlsx"
    small.write_bytes(bomb_xlsx(12))
    with pytest.raises(CommandError, match="压缩比异常"):
        call_command("import_plan", str(small), "--json")
    # Widened for one run the file is read (and found to hold no task table).
    with pytest.raises(CommandError, match="没有找到带编号的条目"):
        call_command("import_plan", str(small), "--json", "--max-ratio", "1000000")

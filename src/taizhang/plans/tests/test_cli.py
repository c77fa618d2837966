import json

import pytest
from django.core.management import CommandError, call_command

from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, Campaign, Occurrence


def run(*args) -> str:
    from io import StringIO

    out = StringIO()
    call_command(*args, stdout=out)
    return out.getvalue()


def test_import_plan_json_prints_the_contract_and_writes_nothing(db, seed_file):
    data = json.loads(run("import_plan", str(seed_file), "--json"))
    assert data == parse_file(seed_file).to_dict()
    assert set(data) == {"title", "preamble", "period", "items", "diagnostics"}
    node = data["items"][1]["children"][0]
    assert set(node) == {"label", "kind", "title", "text", "responsible", "due", "due_workday",
                         "recurrence", "evidence", "lines", "children"}
    assert node["title"] == "召开党委会"
    assert Campaign.objects.count() == 0


def test_json_is_utf8_not_ascii_escaped(db, seed_file):
    out = run("import_plan", str(seed_file), "--json")
    assert "抓好领导班子主题教育" in out and "\\u" not in out


def test_plain_output_is_chinese(db, tmp_path):
    plan = tmp_path / "plan.txt"
    plan.write_text("测试清单\n一、部分\n1.甲任务。\n3.丙任务。\n", encoding="utf-8")
    out = run("import_plan", str(plan)).splitlines()
    assert "    2  一、部分  [部分]" in out and "    3  1.甲任务  [任务]" in out
    assert "第 4 行：警告：编号不连续：“1.”之后应是第 2 个，实际是“3.”" in out
    assert "提示：未找到主题教育期间（如“从2023年9月开始，2024年1月基本结束”），请在导入后填写期间" in out


def test_save_then_publish(tree, seed_file):
    campaign_id = int(run("import_plan", str(seed_file), "--save").strip())
    campaign = Campaign.objects.get(pk=campaign_id)
    assert campaign.org == tree["committee"]
    out = run("publish_plan", str(campaign_id))
    created = Assignment.objects.count()
    assert f"新增任务分解 {created} 项、更新 0 项" in out
    assert f"新增周期任务 {Occurrence.objects.count()} 项" in out
    again = run("publish_plan", str(campaign_id))
    assert "新增任务分解 0 项、更新 0 项、移除 0 项；新增周期任务 0 项" in again


def test_save_with_org_code(tree, seed_file):
    committee = tree["committee"]
    campaign_id = int(run("import_plan", str(seed_file), "--save", "--org", committee.code))
    assert Campaign.objects.get(pk=campaign_id).org == committee
    # a branch does not own a task list (a new user's find: publishing it gave the branch the
    # committee's tasks and the branch tasks to nobody); the web import offers committees only
    branch = tree["branches"][1]
    with pytest.raises(CommandError, match=f"--org：“{branch.code} .*”不是党委"):
        run("import_plan", str(seed_file), "--save", "--org", branch.code)
    assert Campaign.objects.count() == 1
    with pytest.raises(CommandError, match="没有代码为“NOPE”的组织"):
        run("import_plan", str(seed_file), "--save", "--org", "NOPE")


def test_errors_are_one_clear_line(db, tmp_path):
    with pytest.raises(CommandError) as missing:
        run("import_plan", str(tmp_path / "nope.txt"), "--json")
    assert "nope.txt" in str(missing.value) and "\n" not in str(missing.value)
    empty = tmp_path / "empty.txt"
    empty.write_text("")
    with pytest.raises(CommandError, match="empty.txt"):
        run("import_plan", str(empty), "--json")
    flat = tmp_path / "flat.txt"
    flat.write_text("一段没有编号的文字。\n另一段文字。\n", encoding="utf-8")
    with pytest.raises(CommandError, match="flat.txt"):
        run("import_plan", str(flat), "--json")
    with pytest.raises(CommandError, match="campaign_id：找不到编号为 999 的主题教育"):
        run("publish_plan", "999")


def test_save_without_orgs_asks_for_org(db, seed_file):
    with pytest.raises(CommandError, match="请用 --org CODE 指定组织"):
        run("import_plan", str(seed_file), "--save")

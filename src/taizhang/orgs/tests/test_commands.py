"""The CLI: import_roster, export_roster, load_sample."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from taizhang.orgs.models import (
    LeadershipMember,
    Member,
    Organization,
    OrgKind,
    Position,
    RoleAssignment,
)

from .helpers import ROWS, csv_bytes

pytestmark = pytest.mark.django_db


def _run(*args):
    out, err = io.StringIO(), io.StringIO()
    call_command(*args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_import_roster_command(tree, tmp_path):
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(encoding="gbk"))
    out, _ = _run("import_roster", str(path), "--dry-run")
    assert out.startswith("（试运行，未写入）读取 4 行：新增党员 4 名，更新 0 名，未变 0 名")
    assert Member.objects.count() == 0
    out, _ = _run("import_roster", str(path), "--org", "DW")
    assert "读取 4 行：新增党员 4 名" in out and Member.objects.count() == 4
    out, _ = _run("import_roster", str(path))
    assert "新增党员 0 名，更新 0 名，未变 4 名" in out


def test_import_roster_command_errors(tree, tmp_path):
    rows = [list(r) for r in ROWS]
    rows[0][3], rows[1][4], rows[2][8] = "2023.13.40", "", "12"
    path = tmp_path / "bad.csv"
    path.write_bytes(csv_bytes(rows))
    err = io.StringIO()
    with pytest.raises(CommandError, match="3 处错误，未写入任何数据"):
        call_command("import_roster", str(path), stderr=err)
    assert err.getvalue().splitlines() == [
        "第 2 行 入党时间：无法识别的日期“2023.13.40”",
        "第 3 行 党员类型：不能为空（应为正式党员或预备党员）",
        "第 4 行 联系电话：无法识别的电话号码“12”",
    ]
    assert Member.objects.count() == 0
    with pytest.raises(CommandError, match="没有代码为“NOPE”的组织"):
        call_command("import_roster", str(path), "--org", "NOPE")


def test_export_roster_command(tree, tmp_path):
    path = tmp_path / "in.csv"
    path.write_bytes(csv_bytes())
    _run("import_roster", str(path))
    out, _ = _run("export_roster", "-o", str(tmp_path / "out.xlsx"), "--org", "ZB01")
    assert out.startswith("已导出 3 名党员")
    rows = list(openpyxl.load_workbook(tmp_path / "out.xlsx").active.iter_rows(values_only=True))
    assert [r[0] for r in rows[1:]] == ["赵明远", "钱晓燕", "孙浩"]
    assert rows[1][8] == "138****0001"


def test_load_sample_counts_and_if_empty(db):
    out, _ = _run("load_sample")
    # Issue 15 §2: everything printed is Chinese, through the catalogue; only the account
    # names and the password are Latin letters.
    import re
    password = out.split("密码：")[1].split()[0]
    prose = out.replace(password, "")
    for username in ("shiwei", "danwei2", "dangwei", "ducha", *(f"zhibu{i}" for i in range(1, 7))):
        prose = prose.replace(username, "")
    assert re.findall(r"[A-Za-z]{3,}", prose) == []
    assert "组织 19 个（党委 1、党支部 6、党小组 12），党员 80 名（其中预备党员 5 名）" in out
    assert "领导班子 7 人，账号 10 个" in out
    assert "市委 某某市委（SW）下辖党委 2 个：某某局机关党委（DW）、某某中心党委（XW）" in out
    # issue 12 §1: the city committee SW over DW and the smaller unit XW
    assert list(Organization.objects.filter(kind=OrgKind.COMMITTEE).values_list("code", flat=True)) == [
        "SW", "DW", "XW"]
    assert [o.code for o in Organization.objects.get_children(Organization.objects.get(code="SW"))] == ["DW", "XW"]
    assert list(Organization.objects.filter(kind=OrgKind.BRANCH).values_list("code", flat=True)) == [
        "ZB01", "ZB02", "ZB03", "ZB04", "ZB05", "ZB06", "XZ01", "XZ02"]
    assert Organization.objects.filter(kind=OrgKind.GROUP).count() == 12
    assert Member.objects.filter(org__path__startswith=Organization.objects.get(code="DW").path).count() == 80
    assert Member.objects.count() == 94
    assert Member.objects.filter(status="probationary").count() == 5
    assert len(set(Member.objects.values_list("name", flat=True))) == 94
    assert RoleAssignment.objects.get(user__username="shiwei").org.code == "SW"
    assert RoleAssignment.objects.get(user__username="danwei2").org.code == "XW"
    assert LeadershipMember.objects.count() == 7
    assert sorted(LeadershipMember.objects.values_list("title", flat=True)) == sorted(
        ["党委书记", "党委副书记", "党委副书记", "纪委书记", "党委委员", "党委委员", "党委委员"])
    for leader in LeadershipMember.objects.all():
        assert 1 <= leader.contact_branches.count() <= 2
    # 支部工作条例 ch.6: a secretary everywhere; 组织/宣传/纪检委员 where ≥7 full members
    for branch in Organization.objects.filter(kind=OrgKind.BRANCH):
        full = Member.objects.filter(org=branch, status="full").count()
        roles = set(Position.objects.filter(org=branch).values_list("role", flat=True))
        expected = {"secretary"} | ({"organization_member", "propaganda_member", "discipline_member"}
                                    if full >= 7 else set())
        assert roles == expected, branch.code
    assert not Position.objects.filter(member__status="probationary").exclude(role="group_leader").exists()
    users = set(get_user_model().objects.values_list("username", flat=True))
    assert {"dangwei", "ducha", "zhibu1", "zhibu6"} <= users
    assert RoleAssignment.objects.get(user__username="zhibu3").org.code == "ZB03"
    password = out.split("密码：")[1].split()[0]
    assert get_user_model().objects.get(username="zhibu1").check_password(password)
    assert get_user_model().objects.get(username="ducha").check_password(password)
    counts = (Organization.objects.count(), Member.objects.count(), Position.objects.count())
    out, _ = _run("load_sample", "--if-empty")
    assert "未加载样例数据" in out
    assert (Organization.objects.count(), Member.objects.count(), Position.objects.count()) == counts
    with pytest.raises(CommandError, match="样例数据已加载过"):
        call_command("load_sample", stdout=io.StringIO())


def test_sample_is_deterministic(db):
    from taizhang.orgs.sample import create_sample_orgs

    create_sample_orgs()
    names = list(Member.objects.order_by("pk").values_list("name", "phone"))
    Position.objects.all().delete()
    LeadershipMember.objects.all().delete()
    Member.objects.all().delete()
    Organization.objects.all().delete()
    create_sample_orgs()
    assert list(Member.objects.order_by("pk").values_list("name", "phone")) == names


def test_import_roster_command_creates_no_organization_unconfirmed(tree, tmp_path):
    """Issue 15 §2: a 所在支部 matching no branch is listed by --dry-run and created only
    with --new-org; without it nothing is written."""
    rows = [list(r) for r in ROWS] + [["周新", "男", "1990.1", "2015.1", "正式党员", "第l党支部", "", "", ""]]
    path = tmp_path / "名册.csv"
    path.write_bytes(csv_bytes(rows))
    out, _ = _run("import_roster", str(path), "--dry-run")
    assert "新建组织：第l党支部" in out
    before = Organization.objects.count()
    err = io.StringIO()
    with pytest.raises(CommandError, match="1 处错误，未写入任何数据"):
        call_command("import_roster", str(path), stderr=err)
    assert "将新建组织“第l党支部”" in err.getvalue()
    assert (Organization.objects.count(), Member.objects.count()) == (before, 0)
    out, _ = _run("import_roster", str(path), "--new-org", "第l党支部")
    assert Organization.objects.filter(name="第l党支部").count() == 1 and Member.objects.count() == 5

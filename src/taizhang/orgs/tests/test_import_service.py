"""import_roster / export_roster against the database."""

import datetime as dt
import io

import openpyxl
import pytest

from taizhang.orgs.models import Member, Organization, OrgKind, Position
from taizhang.orgs.services import export_roster, import_roster

from .factories import MemberFactory, PositionFactory
from .helpers import ROWS, csv_bytes, xlsx_bytes

pytestmark = pytest.mark.django_db


def _snapshot():
    return (
        sorted(Member.objects.values_list("name", "org__code", "group__code", "status", "phone")),
        sorted(Organization.objects.values_list("code", "path")),
        sorted(Position.objects.values_list("member__name", "org__code", "role", "ended_on")),
    )


def test_gbk_csv_import_creates_members_groups_and_posts(tree):
    result = import_roster(csv_bytes(encoding="gbk"), tree["committee"])
    assert result.errors == []
    assert (result.rows_read, result.created, result.updated, result.unchanged) == (4, 4, 0, 0)
    assert result.orgs_created == []
    assert result.positions_added == 3
    m = Member.objects.get(name="赵明远")
    assert (m.org.code, m.group.code, m.gender, m.birth_date, m.joined_on, m.phone) == (
        "ZB01", "ZB01-1", "male", dt.date(1980, 5, 1), dt.date(2005, 7, 1), "13800000001")
    assert sorted(m.positions.values_list("org__code", "role")) == [
        ("ZB01", "propaganda_member"), ("ZB01", "secretary")]
    assert Member.objects.get(name="钱晓燕").positions.get().org.code == "ZB01-1"
    assert Member.objects.get(name="李文静").status == "probationary"


def test_reimport_updates_without_duplicates(tree):
    import_roster(csv_bytes(), tree["committee"])
    rows = [list(r) for r in ROWS]
    rows[2][6] = "第1党小组"          # 孙浩 moves group
    rows[2][7] = "组织委员"           # and takes a post
    rows[1][7] = ""                   # 钱晓燕 no longer group leader
    result = import_roster(csv_bytes(rows), tree["committee"], today=dt.date(2024, 1, 31))
    assert result.errors == []
    assert (result.created, result.updated, result.unchanged) == (0, 2, 2)
    assert (result.positions_added, result.positions_ended) == (1, 1)
    assert Member.objects.count() == 4
    sun = Member.objects.get(name="孙浩")
    assert sun.group.code == "ZB01-1"
    changes = {c.name: c for c in result.changes}
    assert changes["孙浩"].fields == ["党小组", "职务"]
    assert Position.objects.get(member__name="钱晓燕").ended_on == dt.date(2024, 1, 31)
    again = import_roster(csv_bytes(rows), tree["committee"])
    assert (again.created, again.updated, again.unchanged) == (0, 0, 4)


def test_bad_rows_write_nothing(tree):
    MemberFactory(org=tree["branches"][0], name="原有党员")
    before = _snapshot()
    rows = [list(r) for r in ROWS] + [["新人", "男", "1990.1", "2015.1", "正式党员", "新建支部", "新小组", "", ""]]
    rows[0][3] = "2023.13.40"
    rows[1][2] = "1988年13月"
    rows[3][4] = ""
    result = import_roster(csv_bytes(rows), tree["committee"])
    assert [str(e) for e in result.errors] == [
        "第 2 行 入党时间：无法识别的日期“2023.13.40”",
        "第 3 行 出生年月：无法识别的日期“1988年13月”",
        "第 5 行 党员类型：不能为空（应为正式党员或预备党员）",
    ]
    assert result.created == 0
    assert _snapshot() == before


def test_unknown_branch_and_group_are_created(tree):
    rows = [["周新", "男", "1990.1", "2015.1", "正式党员", "新建党支部", "新建党小组", "书记", "13900000001"],
            ["吴新", "女", "1991.1", "2016.1", "正式党员", "第2党支部", "第3党小组", "", ""]]
    result = import_roster(csv_bytes(rows), tree["committee"])
    assert result.errors == []
    assert result.orgs_created == ["新建党支部", "新建党支部 / 新建党小组", "第2党支部 / 第3党小组"]
    branch = Organization.objects.get(name="新建党支部")
    assert (branch.kind, branch.code, Organization.objects.get_parent(branch).code) == (OrgKind.BRANCH, "ZB03", "DW")
    group = Organization.objects.get(name="新建党小组")
    assert (group.kind, group.code, Organization.objects.get_parent(group).pk) == (OrgKind.GROUP, "ZB03-1", branch.pk)
    assert Organization.objects.get(name="第3党小组").code == "ZB02-3"
    assert Member.objects.get(name="周新").positions.get().org == branch
    assert Organization.objects.find_problems() == ([], [], [], [], [])  # treebeard: the tree is consistent


def test_dry_run_keeps_nothing(tree):
    before = _snapshot()
    rows = ROWS + [["周新", "男", "1990.1", "2015.1", "正式党员", "新建党支部", "", "", ""]]
    result = import_roster(csv_bytes(rows), tree["committee"], dry_run=True)
    assert result.errors == [] and result.dry_run
    assert (result.created, result.orgs_created) == (5, ["新建党支部"])
    assert _snapshot() == before


def test_namesakes_told_apart_by_phone(tree):
    branch = tree["branches"][0]
    MemberFactory(org=branch, name="王芳", phone="13900000001", status="full")
    MemberFactory(org=branch, name="王芳", phone="13900000002", status="full")
    rows = [["王芳", "女", "", "", "预备党员", "第1党支部", "", "", "13900000002"],
            ["王芳", "女", "", "", "正式党员", "第1党支部", "", "", "13900000003"]]
    result = import_roster(csv_bytes(rows), tree["committee"])
    assert (result.created, result.updated) == (1, 1)
    assert sorted(Member.objects.filter(name="王芳").values_list("phone", "status")) == [
        ("13900000001", "full"), ("13900000002", "probationary"), ("13900000003", "full")]
    no_phone = [["王芳", "女", "", "", "正式党员", "第1党支部", "", "", ""]]
    errors = [str(e) for e in import_roster(csv_bytes(no_phone), tree["committee"]).errors]
    assert errors == ["第 2 行 联系电话：本支部有多名党员叫“王芳”，请填写联系电话以区分"]


def test_branch_import_rejects_other_branches(tree):
    rows = [["周新", "男", "", "", "正式党员", "第2党支部", "", "", ""],
            ["吴新", "男", "", "", "正式党员", "", "第1党小组", "", ""]]
    result = import_roster(csv_bytes(rows), tree["branches"][0])
    assert [str(e) for e in result.errors] == ["第 2 行 所在支部：“第2党支部”不是导入的支部“第1党支部”"]
    ok = import_roster(csv_bytes(rows[1:]), tree["branches"][0])
    assert ok.created == 1 and Member.objects.get(name="吴新").group.code == "ZB01-1"


def test_export_masks_phones_neutralises_formulas_and_round_trips(tree):
    import_roster(xlsx_bytes(ROWS, title="某某局机关党委党员花名册"), tree["committee"])
    MemberFactory(org=tree["branches"][1], name="=HYPERLINK(\"x\")", phone="13700000009")
    buf = io.BytesIO()
    assert export_roster(buf, org=tree["committee"]) == 5
    ws = openpyxl.load_workbook(io.BytesIO(buf.getvalue())).active
    values = list(ws.iter_rows(values_only=True))
    assert values[0] == ("姓名", "性别", "出生年月", "入党时间", "党员类型", "所在支部", "党小组", "职务", "联系电话")
    zhao = next(v for v in values if v[0] == "赵明远")
    assert zhao == ("赵明远", "男", dt.datetime(1980, 5, 1), dt.datetime(2005, 7, 1), "正式党员", "第1党支部",
                    "第1党小组", "书记、宣传委员", "138****0001")
    assert ws["C2"].number_format == "yyyy-mm" and ws["D2"].number_format == "yyyy-mm-dd"
    formula_like = next(row[0] for row in ws.iter_rows(min_row=2) if row[0].value.startswith("="))
    assert (formula_like.value, formula_like.data_type, formula_like.quotePrefix) == ('=HYPERLINK("x")', "s", True)
    assert not any("13800000001" in str(v) for row in values for v in row)
    phones = dict(Member.objects.values_list("name", "phone"))
    again = import_roster(buf.getvalue(), tree["committee"])
    assert again.errors == []
    assert (again.created, again.updated, again.unchanged) == (0, 0, 5)
    assert dict(Member.objects.values_list("name", "phone")) == phones


def test_export_of_a_branch_only(tree):
    import_roster(csv_bytes(), tree["committee"])
    buf = io.BytesIO()
    assert export_roster(buf, org=tree["branches"][1]) == 1
    names = [r[0] for r in openpyxl.load_workbook(buf).active.iter_rows(min_row=2, values_only=True)]
    assert names == ["李文静"]


def test_single_holder_post_moves_to_the_new_secretary(tree):
    branch = tree["branches"][0]
    old = PositionFactory(member=MemberFactory(org=branch, name="老书记"), org=branch, role="secretary")
    rows = [["新书记", "男", "", "", "正式党员", "第1党支部", "", "书记", ""]]
    result = import_roster(csv_bytes(rows), tree["committee"], today=dt.date(2024, 1, 2))
    assert (result.positions_added, result.positions_ended) == (1, 1)
    old.refresh_from_db()
    assert old.ended_on == dt.date(2024, 1, 2)
    assert Position.objects.get(org=branch, role="secretary", ended_on__isnull=True).member.name == "新书记"


def test_a_file_that_is_not_the_workbook_its_name_says_is_named_and_refused(tree):
    import zipfile

    from django.core.files.uploadedfile import SimpleUploadedFile

    text_as_xlsx = import_roster(SimpleUploadedFile("名册.xlsx", "姓名,性别\n张三,男\n".encode()), tree["committee"])
    assert [str(e) for e in text_as_xlsx.errors] == [
        "“名册.xlsx”不是 Excel 工作簿（文件内容与扩展名 .xlsx 不符，请在 Excel/WPS 中另存为 .xlsx）"]
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("readme.txt", "not a workbook")
    zipped = import_roster(SimpleUploadedFile("打包.xlsx", buffer.getvalue()), tree["committee"])
    assert [str(e) for e in zipped.errors] == ["无法读取 Excel 文件“打包.xlsx”：文件已损坏或不是 .xlsx 工作簿"]
    assert Member.objects.count() == 0


def test_roundtrip_from_a_superior_committee_changes_nothing(db):
    """A roster exported at the top (a city committee over unit committees) and read back
    there as a dry run (the CLI without --org) reports 0 changes: a 党委书记 is the post of the
    member's own unit committee, not of the organization imported into."""
    from .factories import BranchFactory, CommitteeFactory

    city = CommitteeFactory(name="某某市委", code="SW")
    unit = CommitteeFactory(parent=city, name="某某局机关党委", code="DW")
    branch = BranchFactory(parent=unit, name="办公室党支部", code="ZB01")
    head = MemberFactory(org=branch, name="吴澜")
    PositionFactory(member=head, org=unit, role="secretary")
    PositionFactory(member=MemberFactory(org=branch, name="马琳"), org=branch, role="secretary")
    buf = io.BytesIO()
    assert export_roster(buf, org=city) == 2
    for org in (city, unit):
        again = import_roster(buf.getvalue(), org, dry_run=True)
        assert again.errors == []
        assert (again.created, again.updated, again.unchanged, again.positions_added,
                again.positions_ended, again.orgs_created) == (0, 0, 2, 0, 0, []), org.code

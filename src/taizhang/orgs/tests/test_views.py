"""Pages: scoping (404 outside one's subtree), login, masked phones, query count, import flow."""

import io

import openpyxl
import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from taizhang.orgs.models import LeadershipMember, LeadershipTeam, Member

from .factories import MemberFactory, UserFactory, grant
from .helpers import csv_bytes

pytestmark = pytest.mark.django_db


@pytest.fixture
def members(tree):
    a, b = tree["branches"]
    return {
        "a": MemberFactory(org=a, group=tree["groups"]["ZB01"][0], name="甲支部党员", phone="13811112222"),
        "b": MemberFactory(org=b, name="乙支部党员", phone="13933334444"),
    }


def test_anonymous_users_are_sent_to_login(client, tree, members):
    urls = [reverse("orgs:organization_list"), reverse("orgs:member_list"), reverse("orgs:leadership"),
            reverse("orgs:roster_import"), reverse("orgs:roster_export"),
            reverse("orgs:organization_detail", args=[tree["committee"].pk]),
            reverse("orgs:member_detail", args=[members["a"].pk])]
    for url in urls:
        response = client.get(url)
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login")), url


def test_branch_secretary_sees_only_own_branch(client, tree, members, secretary_a):
    client.force_login(secretary_a)
    a, b = tree["branches"]
    assert client.get(reverse("orgs:organization_detail", args=[a.pk])).status_code == 200
    assert client.get(reverse("orgs:organization_detail", args=[b.pk])).status_code == 404
    assert client.get(reverse("orgs:organization_detail", args=[tree["committee"].pk])).status_code == 404
    assert client.get(reverse("orgs:member_detail", args=[members["a"].pk])).status_code == 200
    assert client.get(reverse("orgs:member_detail", args=[members["b"].pk])).status_code == 404
    for url in (reverse("orgs:member_list"), reverse("orgs:organization_list"),
                reverse("orgs:member_list") + "?q=乙"):
        html = client.get(url).content.decode()
        assert "乙支部党员" not in html and "第2党支部" not in html, url
    assert "甲支部党员" in client.get(reverse("orgs:member_list")).content.decode()
    # another branch's id in the filter is not a valid choice → no rows, not B's rows
    html = client.get(reverse("orgs:member_list") + f"?org={b.pk}").content.decode()
    assert "乙支部党员" not in html and "甲支部党员" not in html


def test_export_is_scoped_and_masked(client, tree, members, secretary_a):
    client.force_login(secretary_a)
    for query in ("", f"?org={tree['branches'][1].pk}"):
        response = client.get(reverse("orgs:roster_export") + query)
        assert response.status_code == 200
        assert response["Content-Type"].startswith("application/vnd.openxmlformats")
        rows = list(openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active.iter_rows(
            min_row=2, values_only=True))
        assert [r[0] for r in rows] == (["甲支部党员"] if not query else [])
        if rows:
            assert rows[0][8] == "138****2222"


def test_member_list_masks_phones(client, tree, members, staff):
    client.force_login(staff)
    html = client.get(reverse("orgs:member_list")).content.decode()
    assert "138****2222" in html and "139****4444" in html
    assert "13811112222" not in html and "13933334444" not in html
    detail = client.get(reverse("orgs:member_detail", args=[members["a"].pk])).content.decode()
    assert "138****2222" in detail and "13811112222" not in detail


def test_member_list_filters(client, tree, members, staff):
    client.force_login(staff)
    MemberFactory(org=tree["branches"][0], name="预备甲", status="probationary")
    url = reverse("orgs:member_list")
    assert "乙支部党员" not in client.get(url + f"?org={tree['branches'][0].pk}").content.decode()
    html = client.get(url + "?status=probationary").content.decode()
    assert "预备甲" in html and "甲支部党员" not in html
    html = client.get(url + f"?group={tree['groups']['ZB01'][0].pk}").content.decode()
    assert "甲支部党员" in html and "预备甲" not in html
    html = client.get(url + "?q=乙支部").content.decode()
    assert "乙支部党员" in html and "甲支部党员" not in html


def _list_queries(client, url):
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_member_list_query_count_does_not_grow(client, tree, staff):
    client.force_login(staff)
    url = reverse("orgs:member_list")
    branch, group = tree["branches"][0], tree["groups"]["ZB01"][0]

    def add(n):
        for _ in range(n):
            MemberFactory(org=branch, group=group).positions.create(org=branch, role="committee_member")

    add(10)
    small = _list_queries(client, url)
    add(50)
    large = _list_queries(client, url)
    assert small == large
    assert "共 60 名" in client.get(url).content.decode()


def test_leadership_page(client, tree, staff, secretary_a):
    team = LeadershipTeam.objects.create(org=tree["committee"], name="测试党委领导班子")
    leader = LeadershipMember.objects.create(
        team=team, member=MemberFactory(org=tree["branches"][0], name="班长"), title="党委书记", order=1)
    leader.contact_branches.set(tree["branches"])
    client.force_login(staff)
    html = client.get(reverse("orgs:leadership")).content.decode()
    assert "党委书记" in html and "班长" in html and "第2党支部" in html
    client.force_login(secretary_a)  # reads the committee's team, not other branches
    html = client.get(reverse("orgs:leadership")).content.decode()
    assert "班长" in html and "第1党支部" in html and "第2党支部" not in html


def test_only_managers_may_import(client, tree, secretary_a):
    client.force_login(secretary_a)
    assert client.get(reverse("orgs:roster_import")).status_code == 403
    assert client.post(reverse("orgs:roster_import_confirm"), {"token": "x"}).status_code == 403


def test_import_flow_preview_then_confirm(client, tree, staff):
    client.force_login(staff)
    upload = io.BytesIO(csv_bytes(encoding="gbk"))
    upload.name = "名册.csv"
    response = client.post(reverse("orgs:roster_import"), {"file": upload, "org": tree["committee"].pk})
    html = response.content.decode()
    assert response.status_code == 200
    assert "读取 4 行：新增党员 4 名" in html
    assert Member.objects.count() == 0
    token = client.session["orgs_roster_import"]["token"]
    response = client.post(reverse("orgs:roster_import_confirm"), {"token": token})
    assert response.status_code == 302
    assert Member.objects.count() == 4
    assert client.post(reverse("orgs:roster_import_confirm"), {"token": token}).status_code == 302
    assert Member.objects.count() == 4


def test_import_page_lists_every_error(client, tree, staff):
    client.force_login(staff)
    data = csv_bytes().replace("2005.7.1".encode(), "2023.13.40".encode()).replace(
        "正式,".encode(), "候补,".encode())
    upload = io.BytesIO(data)
    upload.name = "bad.csv"
    html = client.post(reverse("orgs:roster_import"), {"file": upload, "org": tree["committee"].pk}).content.decode()
    assert "有 2 处错误，未写入任何数据" in html
    assert "第 2 行 入党时间：无法识别的日期“2023.13.40”" in html
    assert "第 4 行 党员类型：无法识别的党员类型“候补”" in html
    assert "orgs_roster_import" not in client.session


def test_import_into_an_org_one_does_not_manage_is_refused(client, tree):
    other = UserFactory(username="zb2staff")
    grant(other, tree["branches"][1], "committee_staff")
    client.force_login(other)
    upload = io.BytesIO(csv_bytes())
    upload.name = "x.csv"
    response = client.post(reverse("orgs:roster_import"), {"file": upload, "org": tree["committee"].pk})
    assert response.status_code == 200
    assert Member.objects.count() == 0
    assert "orgs_roster_import" not in client.session


def test_organization_pages(client, tree, members, staff):
    client.force_login(staff)
    html = client.get(reverse("orgs:organization_list")).content.decode()
    assert "第1党支部" in html and "第2党支部" in html and "导入花名册" in html
    html = client.get(reverse("orgs:organization_detail", args=[tree["branches"][0].pk])).content.decode()
    assert "甲支部党员" in html and "138****2222" in html and "历史记录" in html


def test_import_creates_no_organization_the_user_did_not_tick(client, tree, staff):
    """Issue 15 §2: a roster whose 所在支部 matches no branch (a typo) silently created one.
    The preview lists each new organization with a box to tick; a confirm without every
    box ticked writes nothing and shows the preview again."""
    from taizhang.orgs.models import Organization

    from .helpers import ROWS

    client.force_login(staff)
    rows = ROWS + [["周新", "男", "1990.1", "2015.1", "正式党员", "第l党支部", "", "", "13900000009"]]
    upload = io.BytesIO(csv_bytes(rows))
    upload.name = "名册.csv"
    html = client.post(reverse("orgs:roster_import"), {"file": upload, "org": tree["committee"].pk}).content.decode()
    assert 'name="new_org" value="第l党支部"' in html
    token = client.session["orgs_roster_import"]["token"]
    before = (Organization.objects.count(), Member.objects.count())
    response = client.post(reverse("orgs:roster_import_confirm"), {"token": token, "confirm": ""})
    assert response.status_code == 200
    assert "请逐一勾选确认将新建的组织（第l党支部）" in response.content.decode()
    assert (Organization.objects.count(), Member.objects.count()) == before
    # Still confirmable: tick the box.
    response = client.post(reverse("orgs:roster_import_confirm"),
                           {"token": token, "confirm": "", "new_org": ["第l党支部"]})
    assert response.status_code == 302
    assert Organization.objects.filter(name="第l党支部").count() == 1
    assert Member.objects.count() == before[1] + 5


def test_a_damaged_xlsx_upload_is_called_a_bad_workbook_not_an_encoding(client, tree, staff):
    client.force_login(staff)
    upload = io.BytesIO(bytes(range(128, 256)) * 40)
    upload.name = "花名册.xlsx"
    html = client.post(reverse("orgs:roster_import"), {"file": upload, "org": tree["committee"].pk}).content.decode()
    assert "“花名册.xlsx”不是 Excel 工作簿" in html
    assert "无法识别文件编码" not in html


def test_a_big_bad_file_lists_the_first_200_errors_and_counts_the_rest(client, tree, staff):
    client.force_login(staff)
    rows = "\n".join(f"党员{i},男,1980.1,2005.7.1,候补,第1党支部,,," for i in range(260))
    data = ("姓名,性别,出生年月,入党时间,党员类型,所在支部,党小组,职务,联系电话\n" + rows).encode()
    upload = io.BytesIO(data)
    upload.name = "bad.csv"
    html = client.post(reverse("orgs:roster_import"), {"file": upload, "org": tree["committee"].pk}).content.decode()
    assert "有 520 处错误，未写入任何数据" in html  # two per row
    errors_card = html.split('id="import-errors"')[1].split("</ul>")[0]
    assert errors_card.count('<li class="list-group-item">') == 200
    assert "还有 320 处错误未列出" in html

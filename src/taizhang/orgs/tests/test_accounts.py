"""Accounts for members in bulk from the roster (issue 12 §2): usernames by rule, one-time
passwords as an Excel sheet, a forced change at first sign-in, access lost off the roster."""

import io

import openpyxl
import pytest
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.orgs import accounts
from taizhang.orgs.models import AccountState, RoleAssignment

from .factories import MemberFactory


@pytest.fixture
def members(tree):
    a, b = tree["branches"]
    return {
        "a1": MemberFactory(org=a, name="赵一", phone="13800000001"),
        "a2": MemberFactory(org=a, name="钱二", phone="010-1234567"),  # not a mobile number
        "a3": MemberFactory(org=a, name="孙三", phone="13800000003"),
        "b1": MemberFactory(org=b, name="李四", phone="13900000004"),
    }


def test_create_by_phone_skips_with_reasons(staff, members):
    members["a3"].is_active = False
    members["a3"].save()
    issued = accounts.create_accounts([members["a1"], members["a2"], members["a3"]], "phone", actor=staff)
    assert [(i.member.name, i.username, bool(i.password), i.reason) for i in issued] == [
        ("赵一", "13800000001", True, ""), ("钱二", "", False, "没有可用的手机号"),
        ("孙三", "", False, "不在册")]
    user = get_user_model().objects.get(username="13800000001")
    assert user.check_password(issued[0].password) and len(issued[0].password) == 10
    assert (user.first_name, user.member, user.is_active) == ("赵一", members["a1"], True)
    assert list(RoleAssignment.objects.filter(user=user).values_list("org__code", "role")) == [
        ("ZB01", "member")]
    assert AccountState.objects.get(user=user).must_change_password
    assert Event.objects.filter(verb="account_created", object_id=members["a1"].pk).count() == 1
    # again: the member has an account now
    again = accounts.create_accounts([members["a1"]], "phone", actor=staff)
    assert again[0].reason == "已有账号"


def test_create_by_code_and_scope(staff, secretary_a, members):
    issued = accounts.create_accounts([members["a2"]], "code", actor=staff)
    assert issued[0].username == f"dy{members['a2'].pk:06d}"
    with pytest.raises(PermissionDenied):  # a branch secretary manages no accounts
        accounts.create_accounts([members["a1"]], "code", actor=secretary_a)


def test_leaving_the_roster_switches_the_account_off_and_back(staff, members):
    issued = accounts.create_accounts([members["a1"]], "phone", actor=staff)
    user = get_user_model().objects.get(username=issued[0].username)
    members["a1"].is_active = False
    members["a1"].save()
    user.refresh_from_db()
    assert not user.is_active
    assert Event.objects.filter(verb="account_disabled", object_id=members["a1"].pk).count() == 1
    members["a1"].is_active = True
    members["a1"].save()
    user.refresh_from_db()
    assert user.is_active


def test_page_downloads_passwords_and_first_login_forces_a_change(client, staff, members, tree):
    client.force_login(staff)
    url = reverse("orgs:accounts_create")
    page = client.get(url, {"org": tree["branches"][0].pk}).content.decode()
    assert "赵一" in page and "孙三" in page and "李四" not in page
    response = client.post(url, {"org": tree["branches"][0].pk, "rule": "phone"})  # all of ZB01
    assert response["Content-Type"].startswith(
        "application/vnd.openxmlformats-officedocument.spreadsheetml")
    sheet = openpyxl.load_workbook(io.BytesIO(b"".join(response.streaming_content))).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:3] == ("党组织", "姓名", "用户名")
    by_name = {r[1]: r for r in rows[1:]}
    assert by_name["赵一"][2] == "13800000001" and by_name["钱二"][4] == "没有可用的手机号"
    password = by_name["赵一"][3]
    # the member signs in with the one-time password and must change it first
    client.logout()
    user = get_user_model().objects.get(username="13800000001")
    client.force_login(user)
    assert client.get("/").url == reverse("orgs:password_change")
    assert 'id="forced-change"' in client.get(reverse("orgs:password_change")).content.decode()
    response = client.post(reverse("orgs:password_change"), {
        "old_password": password, "new_password1": "Qz7-long-enough!", "new_password2": "Qz7-long-enough!"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200
    assert not AccountState.objects.get(user=user).must_change_password


def test_other_branch_is_out_of_reach(client, tree, members, secretary_a):
    from .factories import UserFactory, grant

    office_b = UserFactory(username="office_b")
    grant(office_b, tree["branches"][1], "committee_staff")
    client.force_login(office_b)
    url = reverse("orgs:accounts_create")
    page = client.get(url, {"org": tree["branches"][0].pk}).content.decode()
    assert "赵一" not in page
    client.post(url, {"org": tree["branches"][0].pk, "rule": "phone",
                      "members": [members["a1"].pk]})
    assert not get_user_model().objects.filter(username="13800000001").exists()
    client.force_login(secretary_a)
    assert client.get(url).status_code == 403


def test_a_phone_username_is_masked_in_the_members_history(staff, members):
    from taizhang.core.history import masked
    from taizhang.core.status import events_for

    accounts.create_accounts([members["a1"]], "phone", actor=staff)
    assert [e.comment for e in events_for(members["a1"]) if e.verb == "account_created"] == ["138****0001"]
    assert masked("账号 13800000001、13900000004") == "账号 138****0001、139****0004"
    assert masked("dy000042") == "dy000042"

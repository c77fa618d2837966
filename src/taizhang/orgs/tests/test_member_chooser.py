"""Member and organization fields of the entry forms at scale (issue 14): above the
threshold a record form carries a search box and the chosen rows only, never every member
of a city; ``/orgs/choose/members/`` answers the search, scoped like the field."""

import re

import pytest
from django.urls import reverse

from taizhang.records.forms import LectureForm, MeetingForm

from .factories import MemberFactory, UserFactory, grant

pytestmark = pytest.mark.django_db


@pytest.fixture
def people(tree):
    a, b = tree["branches"]
    return {"zhang3": MemberFactory(org=a, name="张三"), "zhang4": MemberFactory(org=a, name="张四"),
            "li5": MemberFactory(org=b, name="李五", status="probationary")}


def results(client, query=""):
    return client.get(reverse("orgs:choose_members") + query).json()["results"]


def test_the_member_search_is_scoped_and_labelled(client, tree, staff, secretary_a, people):
    client.force_login(secretary_a)
    assert [r["text"] for r in results(client, "?q=张")] == ["张三（第1党支部）", "张四（第1党支部）"]
    assert results(client, "?q=李") == []
    client.force_login(staff)
    assert [r["name"] for r in results(client)] == ["张三", "张四", "李五"]
    assert results(client, "?q=李五&show=status")[0]["text"] == "李五（第2党支部，预备党员）"
    inspector = UserFactory(username="insp")
    grant(inspector, tree["committee"], "inspector")
    client.force_login(inspector)
    assert len(results(client)) == 3
    assert results(client, "?action=change") == []  # a read-only role may record for nobody
    client.logout()
    assert client.get(reverse("orgs:choose_members")).status_code == 302


def test_a_multiple_chooser_keeps_its_chosen_members_in_scope(client, staff, secretary_a, people):
    li5 = people["li5"].pk
    url = reverse("orgs:choose_members") + f"?keep=co&multiple=1&co={li5}&co=99999999999999&q=张"
    client.force_login(staff)
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert re.findall(r'<option value="(\d*)"( selected)?', html) == [
        (str(li5), " selected"), (str(people["zhang3"].pk), ""), (str(people["zhang4"].pk), "")]
    client.force_login(secretary_a)  # branch B's member is never named to A, even when sent
    html = client.get(url, headers={"HX-Request": "true"}).content.decode()
    assert "李五" not in html and html.count("<option") == 2


def test_the_organization_search_follows_the_fields_action_and_label(client, tree, staff):
    inspector = UserFactory(username="insp")
    grant(inspector, tree["committee"], "inspector")
    client.force_login(inspector)
    url = reverse("orgs:choose")
    assert len(client.get(url).json()["results"]) == 7
    assert client.get(url + "?action=change").json() == {"results": []}
    client.force_login(staff)
    assert client.get(url + "?q=ZB01&kind=branch&show=kind").json()["results"][0]["text"] == "第1党支部（党支部）"


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}".*?</select>', html, re.S).group(0)
    return re.findall(r'<option value="(\d*)"', select)


def test_the_new_meeting_form_stays_small_as_members_grow(client, tree, staff, people, settings):
    settings.TAIZHANG_CHOOSER_THRESHOLD = 2
    client.force_login(staff)
    url = reverse("records:meeting_add")
    small = client.get(url).content.decode()
    MemberFactory.create_batch(30, org=tree["branches"][1])
    large = client.get(url).content.decode()
    for html in (small, large):
        assert _options(html, "host") == [""] and _options(html, "recorder") == [""]
        assert 'hx-get="/orgs/choose/members/?keep=host" hx-include="#id_host"' in html
        assert 'placeholder="输入姓名查找"' in html
        assert 'hx-get="/orgs/choose/?action=change&amp;show=kind&amp;keep=org"' in html
    # the attendance checklist shows the default branch's members; the selects add nothing
    assert large.count("<option") == small.count("<option")
    settings.TAIZHANG_CHOOSER_THRESHOLD = 200
    html = client.get(url).content.decode()
    assert len(_options(html, "host")) == 1 + 3 + 30  # below the threshold: a select of them all


def test_a_chosen_member_not_in_the_page_is_accepted_and_shown(tree, staff, people, settings):
    settings.TAIZHANG_CHOOSER_THRESHOLD = 1
    li5 = people["li5"]
    form = MeetingForm(data={"org": tree["branches"][1].pk, "kind": "branch_committee_meeting",
                             "date": "2024-01-05", "host": li5.pk}, user=staff)
    form.is_valid()
    assert "host" not in form.errors and form.cleaned_data["host"] == li5
    html = str(form["host"])
    assert _options(html, "host") == ["", str(li5.pk)] and "李五（第2党支部）" in html
    outsider = MemberFactory(name="外单位党员")  # a branch of another committee
    form = MeetingForm(data={"host": outsider.pk}, user=staff)
    form.is_valid()
    assert "host" in form.errors


def test_co_speakers_render_the_chosen_ones_and_send_them_with_the_search(tree, staff, people, settings):
    settings.TAIZHANG_CHOOSER_THRESHOLD = 1
    chosen = [people["zhang4"].pk, people["li5"].pk]
    form = LectureForm(data={"co_speakers": [str(pk) for pk in chosen]}, user=staff)
    form.is_valid()
    assert "co_speakers" not in form.errors
    html = str(form["co_speakers"])
    assert "multiple" in html and 'hx-include="#id_co_speakers"' in html and "keep=co_speakers&amp;multiple=1" in html
    assert re.findall(r'<option value="(\d+)" selected', html) == [str(pk) for pk in chosen]
    assert "张三" not in html


def test_a_single_chooser_keeps_its_choice_through_a_search(client, tree, staff, people):
    """New-user pass: typing in a chosen 主讲人's search box dropped the choice."""
    li5 = people["li5"].pk
    client.force_login(staff)
    html = client.get(reverse("orgs:choose_members") + f"?keep=speaker&speaker={li5}&q=张",
                      headers={"HX-Request": "true"}).content.decode()
    assert re.findall(r'<option value="(\d*)"( selected)?', html) == [
        ("", ""), (str(li5), " selected"), (str(people["zhang3"].pk), ""), (str(people["zhang4"].pk), "")]
    group = tree["groups"]["ZB02"][0]
    html = client.get(reverse("orgs:choose") + f"?keep=org&org={group.pk}&q=第1党支部&show=kind",
                      headers={"HX-Request": "true"}).content.decode()
    assert f'<option value="{group.pk}" selected>第1党小组（党小组，ZB02-1）</option>' in html
    assert "第1党支部（党支部）" in html


def test_same_named_groups_differ_by_code_in_the_record_forms(client, tree, staff):
    client.force_login(staff)
    rows = client.get(reverse("orgs:choose") + "?q=第1党小组&show=kind").json()["results"]
    assert [r["text"] for r in rows] == ["第1党小组（党小组，ZB01-1）", "第1党小组（党小组，ZB02-1）"]

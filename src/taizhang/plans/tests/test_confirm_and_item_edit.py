"""Faults found by a new user: a doubled import confirm, and tasks whose evidence kind the
task edit form did not offer."""

import pytest
from django.contrib.messages import get_messages
from django.urls import reverse

from taizhang.plans import services, views
from taizhang.core import sources
from taizhang.plans import forms as plan_forms
from taizhang.plans.importer import parse_file
from taizhang.plans.importer.evidence import CODES
from taizhang.plans.models import Campaign, PlanImport, PlanImportStatus, PlanItem

pytestmark = pytest.mark.django_db


def upload(client, path, org):
    from django.core.files.uploadedfile import SimpleUploadedFile

    return client.post(reverse("plans:import"), {
        "file": SimpleUploadedFile(path.name, path.read_bytes()), "org": org.pk})


def confirm_data(client, url):
    form = client.get(url).context["form"]
    data = {name: form[name].value() or "" for name in form.fields}
    data["confirm"] = "1"
    return data


def messages_of(response):
    return [str(m) for m in get_messages(response.wsgi_request)]


def test_parallel_confirm_shows_the_campaign_instead_of_a_server_error(
        client, office, tree, seed_file, monkeypatch):
    client.force_login(office)
    url = upload(client, seed_file, tree["committee"]).url
    data = confirm_data(client, url)
    real_confirm = services.confirm_import

    def confirmed_meanwhile(plan_import, user=None):
        real_confirm(PlanImport.objects.get(pk=plan_import.pk), user=user)  # the other request
        return real_confirm(plan_import, user=user)  # raises ValueError: already confirmed

    monkeypatch.setattr(views.services, "confirm_import", confirmed_meanwhile)
    response = client.post(url, data)
    campaign = Campaign.objects.get()
    assert response.status_code == 302 and response.url == campaign.get_absolute_url()
    assert any("已确认导入" in m for m in messages_of(response))
    assert PlanImport.objects.get().status == PlanImportStatus.CONFIRMED


def test_stale_tab_on_a_confirmed_import_goes_to_its_campaign(client, office, tree, seed_file):
    client.force_login(office)
    url = upload(client, seed_file, tree["committee"]).url
    data = confirm_data(client, url)
    assert client.post(url, data).status_code == 302
    campaign = Campaign.objects.get()
    for response in (client.post(url, data), client.get(url)):
        assert response.status_code == 302 and response.url == campaign.get_absolute_url()
        assert any("已确认导入" in m for m in messages_of(response))
    assert Campaign.objects.count() == 1


def test_stale_tab_on_a_cancelled_import_says_so(client, office, tree, seed_file):
    client.force_login(office)
    url = upload(client, seed_file, tree["committee"]).url
    client.post(url, {"cancel": "1"})
    response = client.post(url, {"confirm": "1"})
    assert response.status_code == 302
    assert response.url == reverse("plans:campaign_list")
    assert any("已取消" in m for m in messages_of(response))
    assert Campaign.objects.count() == 0


def test_other_users_import_is_still_404(client, secretary_a, office, tree, seed_file):
    client.force_login(office)
    url = upload(client, seed_file, tree["committee"]).url
    client.force_login(secretary_a)
    assert client.get(url).status_code == 404


def test_rule_kinds_are_exactly_what_the_importer_and_the_engine_know():
    choices = dict(plan_forms.rule_kind_choices())
    # Every registered evidence code, and every importer code (registered or not).
    assert set(choices) - {""} == set(sources.evidence_codes()) | set(CODES)
    for code, label in choices.items():
        if code:
            assert label != code and any("\u4e00" <= ch <= "\u9fff" for ch in str(label)), code
    assert choices["micro_lecture"] == "微党课"
    assert choices["model_post"] == "党员示范岗"  # declared by the volunteering app
    # An importer code no app declares yet is answered by a submission, and says so.
    for code in set(CODES) - set(sources.all_codes()):
        assert choices[code].endswith("（需报送材料）"), code
    assert "党课" in str(choices["party_lecture"]) and choices["party_lecture"] != choices["lecture"]
    # A value saved earlier that is no longer known is kept, not blanked.
    assert ("legacy_kind", "legacy_kind") in plan_forms.rule_kind_choices("legacy_kind")


@pytest.fixture
def campaign(tree, seed_file):
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    services.publish_plan(campaign)
    return campaign


def page_data(page):
    """What the browser posts when the user saves the edit page without changes."""
    form, rules = page.context["form"], page.context["rules"]
    data = {"_loaded_at": page.context["loaded_at"]}
    for bound in [*form, *rules.management_form, *(f for sub in rules.forms for f in sub)]:
        value = bound.value()
        if value is None or value is False:
            continue
        data[bound.html_name] = value.isoformat() if hasattr(value, "isoformat") else value
    return data


@pytest.mark.parametrize("kind", ["model_post", "role_model", "rectification", "institution",
                                  "party_lecture", "problem", "study_session"])
def test_task_with_an_imported_evidence_kind_saves_unchanged(client, campaign, office, kind):
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.4")
    services.set_rules(item, [{"record_kind": kind}])
    client.force_login(office)
    url = reverse("plans:item_edit", args=[item.pk])
    page = client.get(url)
    html = page.content.decode()
    assert page.status_code == 200
    assert f'<option value="{kind}" selected>' in html
    assert ">party_lecture<" not in html
    response = client.post(url, page_data(page))
    assert response.status_code == 302, page.context["rules"].errors
    assert [r.record_kind for r in item.rules.all()] == [kind]


def test_rule_formset_keeps_an_unknown_saved_kind(campaign):
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.4")
    services.set_rules(item, [{"record_kind": "legacy_kind"}])
    formset = plan_forms.RuleFormSet(instance=item, prefix="rules")
    assert ("legacy_kind", "legacy_kind") in formset.forms[0].fields["record_kind"].choices

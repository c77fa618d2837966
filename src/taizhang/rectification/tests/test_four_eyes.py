"""Four eyes (issue 12 §4): the user who claimed a measure complete does not verify or close
it himself — in the service, the API and the page; the setting turns it off."""

import pytest
from django.urls import reverse
from rest_framework.test import APIClient

from taizhang.core.status import events_for
from taizhang.orgs.tests.factories import UserFactory, grant
from taizhang.rectification import services
from taizhang.rectification.models import Rectification

from .conftest import PASSWORD

VERIFY_REFUSED = "双人把关：申报完成的人不能自己核验，请由其他审核人员核验。"
CLOSE_REFUSED = "双人把关：申报完成的人不能自己销号，请由其他审核人员销号。"


@pytest.fixture
def reviewer(tree):
    user = UserFactory(username="office2", password=PASSWORD)
    grant(user, tree["committee"], "committee_staff")
    return user


def claim(measure, user):
    return services.move(measure, "complete", user, completion_note="已落实", evidence="值班表")


def test_the_claimant_neither_verifies_nor_closes(measure, office, reviewer):
    claim(measure, office)
    with pytest.raises(services.RectificationError) as caught:
        services.move(measure, "verify", office, "核验通过")
    assert str(caught.value) == VERIFY_REFUSED
    measure.refresh_from_db()
    assert measure.status == "completed" and measure.verified_by is None
    assert [e.verb for e in events_for(measure)] == ["complete"]  # nothing written
    services.move(measure, "verify", reviewer, "核验通过")
    with pytest.raises(services.RectificationError, match="不能自己销号"):
        services.move(measure, "close", office, "同意销号")
    assert Rectification.objects.get(pk=measure.pk).status == "verified"
    services.move(measure, "close", reviewer, "同意销号")  # the verifier may close
    measure.refresh_from_db()
    assert (measure.status, measure.verified_by) == ("closed", reviewer)


def test_the_latest_claim_counts_and_the_claimant_may_still_return(measure, office, secretary_a, reviewer):
    claim(measure, office)
    services.move(measure, "return_for_revision", office, "缺少回访记录")  # returning is not accepting
    claim(measure, secretary_a)
    services.move(measure, "verify", office, "核验通过")  # office did not make this claim
    assert services.four_eyes_reason(measure, secretary_a, "close") == CLOSE_REFUSED
    assert services.four_eyes_reason(measure, office, "close") == ""
    assert services.four_eyes_reason(measure, secretary_a, "return_for_revision") == ""


def test_the_setting_turns_it_off(measure, office, settings):
    settings.TAIZHANG_FOUR_EYES = False
    claim(measure, office)
    services.move(measure, "verify", office)
    services.move(measure, "close", office)
    assert Rectification.objects.get(pk=measure.pk).status == "closed"


def test_the_api_refuses_with_the_reason(measure, office, reviewer):
    api = APIClient()
    api.force_authenticate(office)
    url = f"/api/rectifications/{measure.pk}/move/"
    assert api.post(url, {"name": "complete", "completion_note": "完成", "evidence": "记录"}).status_code == 200
    refused = api.post(url, {"name": "verify"})
    assert (refused.status_code, refused.data["detail"]) == (400, VERIFY_REFUSED)
    assert Rectification.objects.get(pk=measure.pk).status == "completed"
    api.force_authenticate(reviewer)
    assert api.post(url, {"name": "verify"}).data["status"] == "verified"
    api.force_authenticate(office)
    refused = api.post(url, {"name": "close"})
    assert (refused.status_code, refused.data["detail"]) == (400, CLOSE_REFUSED)
    api.force_authenticate(reviewer)
    assert api.post(url, {"name": "close"}).data["status"] == "closed"


def test_the_page_disables_the_button_with_the_reason(client, measure, office, reviewer):
    claim(measure, office)
    client.force_login(office)
    page = client.get(measure.get_absolute_url())
    assert page.context["blocked"] == {"verify": VERIFY_REFUSED}
    html = page.content.decode()
    assert 'id="do-verify" disabled title="双人把关' in html and 'id="four-eyes"' in html
    # Posting anyway is refused with the message, nothing written.
    client.post(reverse("rectification:measure_transition", args=[measure.pk, "verify"]),
                {"version": Rectification.objects.get(pk=measure.pk).version, "comment": ""})
    assert Rectification.objects.get(pk=measure.pk).status == "completed"
    client.force_login(reviewer)
    page = client.get(measure.get_absolute_url())
    assert page.context["blocked"] == {"verify": ""}
    assert 'id="do-verify" disabled' not in page.content.decode()

"""The superior's review (审核把关) of a unit's leadership-team problem list (issue 12 §1)."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from taizhang.core.models import Event
from taizhang.orgs.tests.factories import BranchFactory, CommitteeFactory, UserFactory, grant
from taizhang.rectification import listreview, services
from taizhang.rectification.models import ProblemListReview


@pytest.fixture
def units(db):
    city = CommitteeFactory(code="SW", name="某某市委")
    dw = CommitteeFactory(parent=city, code="DW", name="某某局机关党委", kind="committee")
    xw = CommitteeFactory(parent=city, code="XW", name="某某中心党委", kind="committee")
    BranchFactory(parent=dw, code="ZB01")
    city_office, dw_office, xw_office = (UserFactory(username=n) for n in ("shiwei", "danwei", "danwei2"))
    grant(city_office, city, "committee_staff")
    grant(dw_office, dw, "committee_staff")
    grant(xw_office, xw, "committee_staff")
    services.create_problem(org=dw, source="民主生活会", description="班子调查研究不够深入", level="leadership")
    return {"SW": city, "DW": dw, "XW": xw, "city": city_office, "dw": dw_office, "xw": xw_office}


def test_rounds_submit_return_resubmit_approve(units):
    dw = units["DW"]
    assert listreview.status(dw) == ""
    listreview.submit(dw, actor=units["dw"], comment="请审核")
    assert listreview.status(dw) == "submitted"
    with pytest.raises(ValidationError):
        listreview.submit(dw, actor=units["dw"])  # already submitted
    with pytest.raises(PermissionDenied):
        listreview.review(dw, "approve", actor=units["dw"])  # the unit does not approve its own list
    with pytest.raises(ValidationError):
        listreview.review(dw, "return", actor=units["city"], comment="  ")  # a return needs comments
    listreview.review(dw, "return", actor=units["city"], comment="问题查摆不够具体")
    assert listreview.status(dw) == "returned"
    services.create_problem(org=dw, source="民主生活会", description="联系群众不够紧密", level="leadership")
    listreview.submit(dw, actor=units["dw"])
    listreview.review(dw, "approve", actor=units["city"])
    steps = list(ProblemListReview.objects.filter(org=dw).values_list("round", "action", "problems", "comment"))
    assert steps == [(1, "submit", 1, "请审核"), (1, "return", 1, "问题查摆不够具体"),
                     (2, "submit", 2, ""), (2, "approve", 2, "")]
    assert listreview.status(dw) == "approved"
    assert Event.objects.filter(verb__startswith="list_review_").count() == 4
    with pytest.raises(ValidationError):
        listreview.review(dw, "approve", actor=units["city"])  # nothing submitted any more
    # a leadership problem edited after the approval: not final until approved again
    problem = dw_problem(dw)
    services.update_problem(problem, description="联系群众不够紧密，调研少")
    assert listreview.status(dw) == "changed"
    step = listreview.submit(dw, actor=units["dw"])
    assert (step.round, listreview.status(dw)) == (3, "submitted")


def dw_problem(dw):
    from taizhang.rectification.models import Problem

    return Problem.objects.get(org=dw, description="联系群众不够紧密")


def test_other_unit_cannot_review_and_city_cannot_submit(units):
    listreview.submit(units["DW"], actor=units["dw"])
    with pytest.raises(PermissionDenied):
        listreview.review(units["DW"], "approve", actor=units["xw"])
    with pytest.raises(PermissionDenied):
        listreview.submit(units["SW"], actor=units["city"])  # the city has no superior here


def test_pages_for_the_unit_and_the_superior(client, units):
    url = reverse("rectification:list_review", args=[units["DW"].pk])
    client.force_login(units["dw"])
    assert 'id="list-review"' in client.get(reverse("rectification:ledger")).content.decode()
    page = client.get(url).content.decode()
    assert 'id="list-submit"' in page and "班子调查研究不够深入" in page
    client.post(url, {"action": "submit", "comment": "请审核"})
    assert client.post(url, {"action": "approve"}).status_code == 403
    client.force_login(units["city"])
    page = client.get(url).content.decode()
    assert 'id="list-decide"' in page and 'data-status="submitted"' in page
    response = client.post(url, {"action": "return", "comment": ""}, follow=True)
    assert listreview.status(units["DW"]) == "submitted"  # refused, said on the page
    assert "退回修改须填写意见" in response.content.decode()
    client.post(url, {"action": "return", "comment": "请补充"})
    assert listreview.status(units["DW"]) == "returned"
    # the roll-up links each unit to its review
    assert url in client.get(reverse("rectification:ledger")).content.decode()
    # another unit's office: the page is 404
    client.force_login(units["xw"])
    assert client.get(url).status_code == 404
    assert client.post(url, {"action": "approve"}).status_code == 404

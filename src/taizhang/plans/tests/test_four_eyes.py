"""Four eyes (issue 12 §4): a submission is not approved by the user who submitted it."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.core.status import events_for
from taizhang.plans import review
from taizhang.plans.models import Assignment

from .conftest import user_with_role
from .test_review import campaign, submission_task  # noqa: F401  (fixture)

REFUSED = "双人把关：不能审核通过自己报送的材料，请由其他审核人员审核。"


@pytest.fixture
def submitted(campaign, tree, office):  # noqa: F811
    assignment = submission_task(campaign, tree["branches"][0])
    review.submit_work(assignment, office, "设立党员示范岗3个")  # the office answers for the branch
    return assignment


def test_the_submitter_does_not_approve(submitted, tree, office):
    with pytest.raises(ValidationError) as caught:
        review.review(submitted, "approve", office)
    assert caught.value.messages == [REFUSED]
    submitted.refresh_from_db()
    assert submitted.status == "submitted"
    review.review(submitted, "return_for_revision", office, "请补充名单")  # returning is allowed
    other = user_with_role("office2", tree["committee"], "committee_staff")
    review.submit_work(submitted, office, "设立党员示范岗3个，名单附后")
    review.review(submitted, "approve", other)
    submitted.refresh_from_db()
    assert submitted.status == "done"
    assert [(e.verb, e.actor) for e in events_for(submitted)][-1] == ("approve", other)


def test_the_setting_turns_it_off(submitted, office, settings):
    settings.TAIZHANG_FOUR_EYES = False
    review.review(submitted, "approve", office)
    assert Assignment.objects.get(pk=submitted.pk).status == "done"


def test_pages_show_the_reason_and_the_post_is_refused(client, submitted, tree, office):
    client.force_login(office)
    queue = client.get(reverse("plans:review_queue"))
    row = next(a for a in queue.context["assignments"] if a.pk == submitted.pk)
    assert row.four_eyes == REFUSED
    assert f'disabled title="{REFUSED}"' in queue.content.decode()
    detail = client.get(submitted.get_absolute_url()).content.decode()
    assert f'disabled title="{REFUSED}"' in detail
    client.post(reverse("plans:decide", args=["assignment", submitted.pk, "approve"]))
    assert Assignment.objects.get(pk=submitted.pk).status == "submitted"
    other = user_with_role("office2", tree["committee"], "committee_staff")
    client.force_login(other)
    queue = client.get(reverse("plans:review_queue"))
    assert next(a for a in queue.context["assignments"] if a.pk == submitted.pk).four_eyes == ""
    assert "disabled title" not in queue.content.decode()
    client.post(reverse("plans:decide", args=["assignment", submitted.pk, "approve"]))
    assert Assignment.objects.get(pk=submitted.pk).status == "done"


def test_every_review_step_of_a_derived_plan_has_a_history_label():
    from taizhang.core.status import VERB_LABELS
    from taizhang.plans.models import PlanReviewAction

    assert all(f"review_{action}" in VERB_LABELS for action in PlanReviewAction.values)

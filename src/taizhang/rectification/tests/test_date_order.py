"""An end date before its start date is refused, with a message naming both dates: a
measure's 整改时限 before its problem's 发现日期 (form, service, API, extension), a progress
update before it, and a 发现日期 moved after an existing deadline (new-user pass, issue 12)."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from taizhang.rectification import services
from taizhang.rectification.forms import MeasureForm
from taizhang.rectification.models import Rectification

FOUND = dt.date(2023, 9, 15)
BEFORE = dt.date(2023, 9, 1)
MESSAGE = "整改时限（2023-09-01）不能早于问题的发现日期（2023-09-15）"


@pytest.fixture
def found(tree):
    return services.create_problem(org=tree["branches"][0], source="基层调研", found_on=FOUND,
                                   description="窗口午间无人值守")


def test_service_refuses_a_deadline_before_the_problem(found, tree, secretary_a):
    with pytest.raises(services.RectificationError, match=MESSAGE):
        services.add_measure(found, secretary_a, measure="轮岗", deadline=BEFORE, leader=tree["leaders"][0])
    assert not Rectification.objects.exists()
    # The found day itself is allowed; a measure without deadline gets one later: same rule.
    services.add_measure(found, secretary_a, measure="当天", deadline=FOUND, leader=tree["leaders"][0])
    open_ended = services.add_measure(found, secretary_a, measure="长期", kind="long_term", leader=tree["leaders"][0])
    with pytest.raises(services.RectificationError, match=MESSAGE):
        services.update_measure(open_ended, secretary_a, deadline=BEFORE)
    with pytest.raises(services.RectificationError, match="申请延至（2023-09-01）不能早于问题的发现日期（2023-09-15）"):
        services.request_extension(open_ended, secretary_a, new_deadline=BEFORE, reason="等待")


def test_form_refuses_a_deadline_before_the_problem(client, found, tree, secretary_a):
    form = MeasureForm({"measure": "轮岗", "kind": "deadline", "deadline": "2023-09-01",
                        "leader": tree["leaders"][0].pk}, user=secretary_a, instance=Rectification(problem=found))
    assert not form.is_valid()
    assert form.errors["deadline"] == [MESSAGE + "。"]
    client.force_login(secretary_a)
    response = client.post(reverse("rectification:measure_add", args=[found.pk]),
                           {"measure": "轮岗", "kind": "deadline", "deadline": "2023-09-01",
                            "leader": tree["leaders"][0].pk})
    assert response.status_code == 200 and MESSAGE in response.content.decode()
    assert not Rectification.objects.exists()


def test_progress_before_the_problem_and_found_date_after_a_deadline(found, tree, secretary_a):
    rect = services.add_measure(found, secretary_a, measure="轮岗", deadline=dt.date(2023, 10, 1),
                                leader=tree["leaders"][0])
    with pytest.raises(services.RectificationError, match="进展日期（2023-09-01）不能早于问题的发现日期（2023-09-15）"):
        services.add_update(rect, secretary_a, reported_on=BEFORE, done="已排班")
    with pytest.raises(ValidationError, match="发现日期（2023-10-20）不能晚于其整改措施的整改时限（2023-10-01）"):
        services.update_problem(found, secretary_a, found_on=dt.date(2023, 10, 20))

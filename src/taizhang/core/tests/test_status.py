import pytest

from taizhang.core.models import Event
from taizhang.core.status import IllegalTransition, apply_transition, events_for
from taizhang.orgs.tests.factories import UserFactory, build_tree
from taizhang.plans.models import Assignment, Campaign, Plan, PlanItem


@pytest.fixture
def assignment(db):
    tree = build_tree(branches=1, groups=0)
    campaign = Campaign.objects.create(org=tree["committee"], title="c")
    plan = Plan.objects.create(campaign=campaign)
    item = PlanItem.objects.create(plan=plan, kind="task", title="t")
    return Assignment.objects.create(item=item, org=tree["branches"][0])


def test_declared_transitions_move_and_are_recorded(assignment):
    user = UserFactory()
    apply_transition(assignment, "submit", actor=user, comment="已完成传达学习")
    apply_transition(assignment, "return_for_revision", actor=user, comment="缺少学习记录")
    apply_transition(assignment, "submit", actor=user)
    apply_transition(assignment, "approve", actor=user)
    assignment.refresh_from_db()
    assert assignment.status == "done"
    moves = [(e.verb, e.from_state, e.to_state, e.comment) for e in events_for(assignment)]
    assert moves == [
        ("submit", "pending", "submitted", "已完成传达学习"),
        ("return_for_revision", "submitted", "returned", "缺少学习记录"),
        ("submit", "returned", "submitted", ""),
        ("approve", "submitted", "done", ""),
    ]
    assert all(e.org == assignment.org for e in Event.objects.all())


def test_illegal_moves_are_refused_and_nothing_is_written(assignment):
    with pytest.raises(IllegalTransition, match="未完成"):
        apply_transition(assignment, "approve")
    with pytest.raises(IllegalTransition):
        apply_transition(assignment, "delete")  # not a transition at all
    assignment.refresh_from_db()
    assert assignment.status == "pending"
    assert not Event.objects.exists()

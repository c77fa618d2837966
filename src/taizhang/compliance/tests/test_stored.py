"""Findings kept between evaluations (``store.evaluate_stored``; issue 14): after any change
they equal a from-scratch evaluation, only the rows of the changed organizations are
recomputed, and a changed setting recomputes everything."""

import datetime as dt

import pytest
from django.test import override_settings

from taizhang.compliance import periods as P
from taizhang.compliance import store
from taizhang.compliance.engine import evaluate
from taizhang.compliance.models import StoredEvaluation
from taizhang.orgs.tests.factories import MemberFactory
from taizhang.records import services as records
from taizhang.records.models import Meeting, MeetingKind

pytestmark = pytest.mark.django_db

YEAR = P.parse("2023")
TODAY = dt.date(2024, 1, 20)


@pytest.fixture
def calls(monkeypatch):
    """The committee-view rows each evaluation run by the store recomputed (None: all)."""
    seen = []

    def spy(*args, **kwargs):
        report = evaluate(*args, **kwargs)
        seen.append(report.only)
        return report

    monkeypatch.setattr(store, "evaluate", spy)
    return seen


def fresh(root, today=TODAY):
    return store.canonical(evaluate(root, YEAR, today))


def same(a, b) -> bool:
    return a.violations == b.violations and a.cells == b.cells and [r.id for r in a.rows] == [r.id for r in b.rows]


def test_kept_findings_equal_a_fresh_evaluation_after_adding_and_deleting_meetings(sample, calls):
    root, branch = sample["committee"], sample["branches"]["ZB01"]
    first = store.evaluate_stored(root, YEAR, TODAY)
    assert calls == [None] and same(first, fresh(root))
    assert len(first.violations) > 50 and StoredEvaluation.objects.count() == 1

    again = store.evaluate_stored(root, YEAR, TODAY)  # nothing changed: read back, no check run
    assert calls == [None, set()] and same(again, first)

    people = list(branch.members.filter(is_active=True)[:3])
    added = records.create_meeting(branch, MeetingKind.BRANCH_COMMITTEE_MEETING, dt.date(2023, 12, 28),
                                   attendance=[{"member": p} for p in people])
    after_add = store.evaluate_stored(root, YEAR, TODAY)
    assert calls[-1] == {branch.pk} and same(after_add, fresh(root))
    assert after_add.violations != first.violations  # the meeting changed this branch's findings

    records.delete_record(Meeting.objects.filter(org=branch, date__year=2023).order_by("date").first())
    records.delete_record(added)
    after_delete = store.evaluate_stored(root, YEAR, TODAY)
    assert calls[-1] == {branch.pk} and same(after_delete, fresh(root))


def test_a_member_added_outside_the_services_and_a_group_meeting_renew_their_branch(sample, calls):
    root, branch = sample["committee"], sample["branches"]["ZB02"]
    store.evaluate_stored(root, YEAR, TODAY)
    MemberFactory(org=branch, joined_on=dt.date(2010, 1, 1))  # a plain save: the model signal marks it
    group = next(g for g in sample["groups"].values() if g.path.startswith(branch.path))
    records.create_meeting(group, MeetingKind.GROUP_MEETING, dt.date(2023, 11, 2), attendance=[])
    report = store.evaluate_stored(root, YEAR, TODAY)
    assert calls[-1] == {branch.pk} and same(report, fresh(root))


def test_a_changed_setting_or_another_day_recomputes_everything(sample, calls):
    root = sample["committee"]
    store.evaluate_stored(root, YEAR, TODAY)
    with override_settings(TAIZHANG_COMPLIANCE={"BRANCH_MAX_MEMBERS": 3, "LECTURES_PER_QUARTER": 3}):
        changed = store.evaluate_stored(root, YEAR, TODAY)
        assert calls[-1] is None and same(changed, fresh(root))
        assert {v.rule.id for v in changed.violations} >= {"C02"}
    back = store.evaluate_stored(root, YEAR, TODAY)
    assert calls[-1] is None and same(back, fresh(root))
    later = store.evaluate_stored(root, YEAR, TODAY + dt.timedelta(days=1))
    assert calls[-1] is None and same(later, fresh(root, TODAY + dt.timedelta(days=1)))
    assert StoredEvaluation.objects.count() == 1  # the evaluations of other days and settings are replaced

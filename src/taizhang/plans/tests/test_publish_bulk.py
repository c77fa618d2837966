"""publish_plan at city scale (issue 3 §5): bulk writes, a number of queries that does not
depend on the number of branches, and the same rows, domain events and audit entries as
publishing row by row."""

import datetime as dt
import json

import pytest
from auditlog.context import set_actor
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from taizhang.core.models import Event
from taizhang.orgs.tests.factories import UserFactory, build_tree
from taizhang.plans import evidence, publishing, services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, Campaign, Occurrence, PlanItem
from taizhang.plans.periods import periods_for
from taizhang.records import services as records

D = dt.date
# The campaign period of the seed (二: 2023年9月开始，2024年1月基本结束), month by month.
MONTHS = [(D(2023, 9, 1), D(2023, 9, 30)), (D(2023, 10, 1), D(2023, 10, 31)),
          (D(2023, 11, 1), D(2023, 11, 30)), (D(2023, 12, 1), D(2023, 12, 31)),
          (D(2024, 1, 1), D(2024, 1, 31))]


def seed_campaign(committee, seed_file) -> Campaign:
    return services.save_draft(services.draft_to_dict(parse_file(seed_file)), committee,
                               source_name=seed_file.name)


class _Measured(Exception):
    """Carries the figures out of a block that is then rolled back."""


def measure_publish(branches: int, seed_file) -> tuple[list[int], services.PublishResult,
                                                       services.PublishResult]:
    """Queries of the first publish, of a re-publish and of a re-publish after an edit that
    removes and changes rows, on a tree of ``branches`` branches with a September study
    session each (so that records complete rows at publish). Rolled back afterwards."""
    try:
        with transaction.atomic():
            tree = build_tree(branches=branches, groups=1)
            for branch in tree["branches"]:
                records.create_study_session(branch, D(2023, 9, 20), "传达学习", attendance=[])
            campaign = seed_campaign(tree["committee"], seed_file)
            counts = []
            with CaptureQueriesContext(connection) as first_ctx:
                first = services.publish_plan(campaign)
            counts.append(len(first_ctx))
            with CaptureQueriesContext(connection) as again_ctx:
                services.publish_plan(campaign)
            counts.append(len(again_ctx))
            PlanItem.objects.filter(plan=campaign.plan, ref="三.2（3）").update(recurrence="")
            PlanItem.objects.filter(plan=campaign.plan, ref="三.3").update(
                due=D(2023, 11, 30), due_workday=None)
            with CaptureQueriesContext(connection) as edited_ctx:
                edited = services.publish_plan(campaign)
            counts.append(len(edited_ctx))
            raise _Measured(counts, first, edited)
    except _Measured as measured:
        return measured.args


def test_publish_queries_do_not_depend_on_the_number_of_branches(db, seed_file):
    measure_publish(2, seed_file)  # warm the caches (content types) once
    small, small_first, small_edited = measure_publish(2, seed_file)
    large, large_first, large_edited = measure_publish(6, seed_file)
    # Records of every branch were counted and rows removed and changed at both sizes …
    assert small_first.completed_by_records == 2 * 2 and large_first.completed_by_records == 2 * 6
    assert (small_edited.occurrences_removed, large_edited.occurrences_removed) == (4 * 2, 4 * 6)
    assert (small_edited.assignments_updated, large_edited.assignments_updated) == (2, 6)
    # … with the same statements: first publish, publish again, publish after the edit.
    assert small == large


def test_publish_creates_one_row_per_task_org_and_period(db, seed_file):
    tree = build_tree(branches=6, groups=1)
    committee, branches = tree["committee"], tree["branches"]
    campaign = seed_campaign(committee, seed_file)
    result = services.publish_plan(campaign)

    leaves = services.assignable_items(campaign.plan)
    branch_leaves = {i.pk for i in leaves if i.responsible in ("branch", "member")}

    def orgs(item):
        return branches if item.pk in branch_leaves else [committee]

    # What row-by-row publishing wrote: every (task, org), due on the task's last working day
    # or else the campaign's end (2024-01-31, a Wednesday); every period of a recurring task.
    expected_assignments = {(i.ref, o.code, services.assignment_due(i, D(2024, 1, 31)))
                            for i in leaves for o in orgs(i)}
    expected_occurrences = {(i.ref, o.code, p.start, p.end, p.due)
                            for i in leaves if i.recurrence for o in orgs(i)
                            for p in periods_for(i.recurrence, campaign.start, campaign.end)}
    assignments = set(Assignment.objects.filter(item__plan=campaign.plan)
                      .values_list("item__ref", "org__code", "due"))
    occurrences = set(Occurrence.objects.filter(assignment__item__plan=campaign.plan).values_list(
        "assignment__item__ref", "assignment__org__code", "period_start", "period_end", "due"))
    assert assignments == expected_assignments
    assert occurrences == expected_occurrences
    n_committee = len(leaves) - len(branch_leaves)
    assert result.assignments_created == Assignment.objects.count() == (
        n_committee + 6 * len(branch_leaves))
    assert result.occurrences_created == Occurrence.objects.count() == len(expected_occurrences)

    # Real values of the seed.
    codes = [b.code for b in branches]
    assert set(Assignment.objects.filter(item__ref="三.1").values_list("org__code", "due")) == {
        (code, D(2023, 9, 28)) for code in codes}  # 09-30 is a Saturday: the last working day
    assert set(Assignment.objects.filter(item__ref="三.3").values_list("org__code", "due")) == {
        (code, D(2024, 1, 31)) for code in codes}
    assert list(Assignment.objects.filter(item__ref="二.1").values_list("org__code", flat=True)) == [
        committee.code]
    for code in (codes[0], codes[-1]):
        periods = list(Occurrence.objects.filter(
            assignment__item__ref="三.2（3）", assignment__org__code=code).order_by("period_start")
            .values_list("period_start", "period_end", "due"))
        assert periods == [(start, end, end) for start, end in MONTHS]
    theory = Occurrence.objects.filter(assignment__item__ref="二.3")
    assert set(theory.values_list("assignment__org__code", flat=True)) == {committee.code}
    assert sorted(theory.values_list("period_start", flat=True)) == [s for s, _ in MONTHS]
    # Counted at publish: no record yet, 三.1 needs one study session (whole campaign).
    assert set(Assignment.objects.filter(item__ref="三.1").values_list(
        "status", "evidence_count", "evidence_needed")) == {("pending", 0, 1)}


def _state(campaign):
    return (
        sorted(Assignment.objects.filter(item__plan=campaign.plan).values_list(
            "pk", "status", "evidence_count", "evidence_needed", "due")),
        sorted(Occurrence.objects.filter(assignment__item__plan=campaign.plan).values_list(
            "pk", "status", "evidence_count", "evidence_needed", "period_end", "due")),
    )


def test_publish_counts_records_as_a_full_evaluation_does(db, seed_file):
    tree = build_tree(branches=3, groups=1)
    first, second, _third = tree["branches"]
    records.create_study_session(first, D(2023, 9, 20), "传达学习", attendance=[])
    records.create_study_session(second, D(2023, 10, 11), "集中学习", attendance=[])
    campaign = seed_campaign(tree["committee"], seed_file)

    result = services.publish_plan(campaign)
    published = _state(campaign)
    outcome = evidence.evaluate_campaign(campaign)
    assert (outcome.completed, outcome.reopened) == (0, 0)
    assert _state(campaign) == published
    # 三.1 (due 09-30) for the first only (the second studied in October: late), 三.2（3）
    # September for the first, October for the second.
    done = Event.objects.filter(verb="complete_by_evidence")
    assert result.completed_by_records == done.count() == 3
    assert set(Assignment.objects.filter(item__ref="三.1", status="done")
               .values_list("org__code", "evidence_count", "evidence_needed")) == {(first.code, 1, 1)}
    assert set(Occurrence.objects.filter(assignment__item__ref="三.2（3）", status="done")
               .values_list("assignment__org__code", "period_start")) == {
        (first.code, D(2023, 9, 1)), (second.code, D(2023, 10, 1))}
    assert {e.comment for e in done} == {"由工作记录自动完成"}


def test_publishing_again_writes_nothing_new(db, seed_file):
    tree = build_tree(branches=2, groups=1)
    records.create_study_session(tree["branches"][0], D(2023, 9, 20), "传达学习", attendance=[])
    campaign = seed_campaign(tree["committee"], seed_file)
    services.publish_plan(campaign)
    campaign_type = ContentType.objects.get_for_model(Campaign)
    before = (_state(campaign), Event.objects.count(),
              LogEntry.objects.exclude(content_type=campaign_type).count())
    again = services.publish_plan(campaign)
    assert again == services.PublishResult()
    assert (_state(campaign), Event.objects.count(),
            LogEntry.objects.exclude(content_type=campaign_type).count()) == before


def test_removed_rows_are_audited_as_auditlog_itself_does(db, seed_file):
    tree = build_tree(branches=2, groups=1)
    user = UserFactory(username="office", email="office@example.org")
    campaign = seed_campaign(tree["committee"], seed_file)
    services.publish_plan(campaign)
    PlanItem.objects.filter(plan=campaign.plan, ref="三.2（3）").update(recurrence="")
    removed_pks = set(Occurrence.objects.filter(assignment__item__ref="三.2（3）")
                      .values_list("pk", flat=True))
    with set_actor(user):
        result = services.publish_plan(campaign)
    assert result.occurrences_removed == len(removed_pks) == 10
    deleted = LogEntry.objects.filter(content_type=ContentType.objects.get_for_model(Occurrence),
                                      action=LogEntry.Action.DELETE)
    assert {e.object_id for e in deleted} == removed_pks
    assert {e.actor_id for e in deleted} == {user.pk}
    assert all(" · 三.2（3） " in e.object_repr for e in deleted)

    # The bulk entry of a row equals the entry auditlog writes when that row is deleted.
    occ = Occurrence.objects.filter(assignment__item__ref="二.3").first()
    with set_actor(user):
        [(built, _)] = publishing.deletion_log_entries([occ])
        occ_pk = occ.pk
        occ.delete()
    own = LogEntry.objects.get(object_id=occ_pk, action=LogEntry.Action.DELETE,
                               content_type=ContentType.objects.get_for_model(Occurrence))
    for field in ("content_type_id", "object_id", "object_repr", "action", "changes_text",
                  "actor_id", "actor_email", "cid", "remote_addr", "remote_port"):
        assert getattr(built, field) == getattr(own, field), field
    for field in ("changes", "serialized_data", "additional_data"):  # as stored (JSON)
        assert json.loads(json.dumps(getattr(built, field))) == getattr(own, field), field
    assert str(built.object_pk) == own.object_pk


@pytest.mark.parametrize("edit", ["committee", "ongoing"])
def test_republish_after_an_edit_removes_and_updates_rows(db, seed_file, edit):
    # 三.1 made the committee's: the branches' pending rows go, a done one stays; made
    # long-term (长期坚持): no deadline any more.
    tree = build_tree(branches=2, groups=1)
    first, second = tree["branches"]
    records.create_study_session(first, D(2023, 9, 20), "传达学习", attendance=[])
    campaign = seed_campaign(tree["committee"], seed_file)
    services.publish_plan(campaign)
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.1")
    removed_pk = Assignment.objects.get(item=item, org=second).pk
    if edit == "committee":
        item.responsible = "committee"
    else:
        item.ongoing = True
    item.save()
    result = services.publish_plan(campaign)
    rows = set(Assignment.objects.filter(item=item).values_list("org__code", "status", "due"))
    if edit == "committee":
        assert (result.assignments_created, result.assignments_removed) == (1, 1)
        assert rows == {(first.code, "done", D(2023, 9, 28)),
                        (tree["committee"].code, "pending", D(2023, 9, 28))}
        assert list(LogEntry.objects.filter(action=LogEntry.Action.DELETE).values_list(
            "object_id", flat=True)) == [removed_pk]
    else:
        assert result.assignments_updated == 2
        assert rows == {(first.code, "done", None), (second.code, "pending", None)}

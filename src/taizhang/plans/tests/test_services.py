import datetime as dt

import pytest

from taizhang.orgs.models import Organization
from taizhang.plans import services
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, Campaign, CampaignStatus, Occurrence, PlanItem

D = dt.date


@pytest.fixture
def seed_campaign(tree, seed_file):
    draft = parse_file(seed_file)
    return services.save_draft(services.draft_to_dict(draft), tree["committee"],
                               source_name=seed_file.name)


def test_outline_refs():
    assert services.outline_ref("", "一、") == "一"
    assert services.outline_ref("一", "2.") == "一.2"
    assert services.outline_ref("三.2", "（1）") == "三.2（1）"
    assert services.outline_ref("三.2（1）", "①") == "三.2（1）①"
    assert services.outline_ref("二", "") == "二"


def test_saved_seed_keeps_the_tree(seed_campaign):
    campaign = seed_campaign
    assert campaign.start == D(2023, 9, 1) and campaign.end == D(2024, 1, 31)
    assert campaign.status == CampaignStatus.DRAFT
    items = {i.ref: i for i in campaign.plan.items.all()}
    assert items["二.1"].title == "召开党委会"
    assert items["三.2（1）"].parent == items["三.2"]
    assert items["三.1"].due == D(2023, 9, 30) and items["三.1"].due_workday == D(2023, 9, 28)
    assert items["三.2（3）"].recurrence == "FREQ=MONTHLY"
    assert [c.ref for c in items["三.2"].children.order_by("position")] == [
        "三.2（1）", "三.2（2）", "三.2（3）"]


def test_publish_assigns_committee_and_branch_tasks(seed_campaign, tree):
    result = services.publish_plan(seed_campaign)
    committee, branches = tree["committee"], tree["branches"]
    leaves = services.assignable_items(seed_campaign.plan)
    branch_leaves = [i for i in leaves if i.responsible in ("branch", "member")]
    committee_leaves = [i for i in leaves if i not in branch_leaves]
    assert len(branch_leaves) >= 8  # 三.1, 三.2（1）–（3）, 三.3–三.6
    assert result.assignments_created == len(committee_leaves) + 3 * len(branch_leaves)
    assert Assignment.objects.filter(org=committee).count() == len(committee_leaves)
    for branch in branches:
        assert Assignment.objects.filter(org=branch).count() == len(branch_leaves)
    # 三.2（3） 每月 → 5 occurrences per branch, Sep 2023 … Jan 2024.
    study = PlanItem.objects.get(plan=seed_campaign.plan, ref="三.2（3）")
    for branch in branches:
        months = list(Occurrence.objects.filter(assignment__item=study, assignment__org=branch)
                      .values_list("period_start", flat=True))
        assert months == [D(2023, 9, 1), D(2023, 10, 1), D(2023, 11, 1), D(2023, 12, 1),
                          D(2024, 1, 1)]
    # 二.3 (committee, monthly) has its 5 periods too.
    theory = PlanItem.objects.get(plan=seed_campaign.plan, ref="二.3")
    assert Occurrence.objects.filter(assignment__item=theory).count() == 5
    # The deadline is the last working day when the date is a holiday (三.1: 09-30 → 09-28).
    first = PlanItem.objects.get(plan=seed_campaign.plan, ref="三.1")
    assert set(Assignment.objects.filter(item=first).values_list("due", flat=True)) == {
        D(2023, 9, 28)}
    # A task without a deadline is due at the campaign's end (2024-01-31, a Wednesday).
    plain = PlanItem.objects.get(plan=seed_campaign.plan, ref="三.3")
    assert set(Assignment.objects.filter(item=plain).values_list("due", flat=True)) == {
        D(2024, 1, 31)}
    recurring = [i for i in leaves if i.recurrence]
    expected_occ = sum(5 * (3 if i in branch_leaves else 1) for i in recurring)
    assert result.occurrences_created == expected_occ
    seed_campaign.refresh_from_db()
    assert seed_campaign.status == CampaignStatus.PUBLISHED


def test_republish_does_not_duplicate_and_follows_edits(seed_campaign, tree):
    first = services.publish_plan(seed_campaign)
    again = services.publish_plan(seed_campaign)
    assert (again.assignments_created, again.assignments_updated, again.occurrences_created) == (0, 0, 0)
    total = Assignment.objects.count()
    assert total == first.assignments_created

    item = PlanItem.objects.get(plan=seed_campaign.plan, ref="三.3")
    item.due, item.due_workday = D(2023, 11, 30), None
    item.save()
    study = PlanItem.objects.get(plan=seed_campaign.plan, ref="三.2（3）")
    study.recurrence = ""
    study.save()
    edited = services.publish_plan(seed_campaign)
    assert edited.assignments_updated == 3  # 三.3 for each of the 3 branches
    assert edited.occurrences_removed == 15
    assert Assignment.objects.count() == total
    assert not Occurrence.objects.filter(assignment__item=study).exists()


def test_new_branch_gets_assignments_on_republish(seed_campaign, tree):
    services.publish_plan(seed_campaign)
    new = Organization.objects.add_child(
        tree["committee"], dict(name="新支部", code="ZB09", kind="branch"))
    result = services.publish_plan(seed_campaign)
    branch_leaves = [i for i in services.assignable_items(seed_campaign.plan)
                     if i.responsible in ("branch", "member")]
    assert result.assignments_created == len(branch_leaves)
    assert Assignment.objects.filter(org=new).count() == len(branch_leaves)


def test_save_draft_is_atomic(tree):
    bad = {"title": "x", "period": {"start": "2023-09-01", "end": "2024-01-31"},
           "items": [{"label": "一、", "kind": "section", "title": "A", "children": [
               {"label": "1.", "kind": "task", "title": "B", "due": "not-a-date"}]}]}
    with pytest.raises(ValueError):
        services.save_draft(bad, tree["committee"])
    assert Campaign.objects.count() == 0
    assert PlanItem.objects.count() == 0


def test_work_requirements_are_notes_and_not_assigned(seed_campaign):
    # Seed 四、工作要求: four numbered requirements on how to work, not deliverables.
    items = {i.ref: i for i in seed_campaign.plan.items.all()}
    assert [items[f"四.{n}"].kind for n in range(1, 5)] == ["note"] * 4
    assert items["四.3"].title == "杜绝形式主义"
    services.publish_plan(seed_campaign)
    assert not Assignment.objects.filter(item__ref__startswith="四").exists()


def test_a_plan_without_any_period_is_not_published(tree, tmp_path):
    """No campaign dates, no deadlines, not 长期坚持: publishing is refused naming the tasks;
    marking them 长期坚持 (or giving the campaign its period) lets it through."""
    from django.core.exceptions import ValidationError

    source = tmp_path / "清单.txt"
    source.write_text("一、学习教育\n1. 开展集中学习\n2. 撰写心得体会\n", encoding="utf-8")
    campaign = services.save_draft(services.draft_to_dict(parse_file(source)), tree["committee"])
    campaign.start = campaign.end = None
    campaign.save()
    PlanItem.objects.filter(plan=campaign.plan).update(due=None, due_workday=None, ongoing=False, recurrence="")
    with pytest.raises(ValidationError) as info:
        services.publish_plan(campaign)
    message = "；".join(info.value.messages)
    assert "没有完成时限，也未标为“长期坚持”" in message
    assert "开展集中学习" in message and "撰写心得体会" in message
    assert not Assignment.objects.filter(item__plan=campaign.plan).exists()
    PlanItem.objects.filter(plan=campaign.plan).update(ongoing=True)
    assert services.publish_plan(campaign).assignments_created > 0


def test_the_seed_and_long_term_items_still_publish(seed_campaign):
    """The seed names no 长期坚持 task: its undated tasks fall back on the campaign's end
    (二: "2024年1月基本结束"). A task marked 长期坚持 (as samples/plan-table.xlsx has) needs no
    deadline even in a campaign without dates."""
    assert seed_campaign.start and seed_campaign.end
    assert services.undated_tasks(seed_campaign) == []
    assert services.publish_plan(seed_campaign).assignments_created > 0
    seed_campaign.start = seed_campaign.end = None
    seed_campaign.save()
    undated = services.undated_tasks(seed_campaign)
    assert undated
    PlanItem.objects.filter(pk__in=[i.pk for i in undated]).update(ongoing=True)
    assert services.undated_tasks(seed_campaign) == []

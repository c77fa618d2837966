"""A city's task answered by the unit's derived plan (issue 12 §1, ``plans.delegation``): once
the unit publishes its plan, the city's assignments in the unit's subtree are delegated to the
unit's, hidden from the branch's own lists and mirroring the unit's status, so that a branch
answers each task once and the city's board shows the unit's progress."""

import datetime as dt
import io

import pytest
from django.core.exceptions import ValidationError
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils.html import escape

from taizhang.core.models import Event
from taizhang.orgs.models import Organization
from taizhang.plans import evidence, levels, review, services
from taizhang.plans.board import build_board
from taizhang.plans.importer import parse_file
from taizhang.plans.models import Assignment, Campaign, Occurrence, ReviewStatus
from taizhang.plans.mytasks import own_tasks

from .conftest import user_with_role

D = dt.date
TODAY = D(2023, 12, 27)


@pytest.fixture
def sample_city(db, seed_file, django_capture_on_commit_callbacks):
    """The sample city: SW imports and publishes the seed; DW derives it, SW approves, DW
    publishes. ZB01 has no study session yet (so that one can complete 三.2（3）)."""
    from django.contrib.auth import get_user_model

    from taizhang.records.models import StudySession

    call_command("load_sample", stdout=io.StringIO())
    orgs = {o.code: o for o in Organization.objects.filter(code__in=["SW", "DW", "XW", "ZB01", "ZB02"])}
    StudySession.objects.filter(org=orgs["ZB01"]).delete()
    users = get_user_model().objects
    t = {"orgs": orgs, "city_office": users.get(username="shiwei"),
         "dw_office": users.get(username="dangwei"), "secretary": users.get(username="zhibu1"),
         "dw_reviewer": user_with_role("dw_reviewer", orgs["DW"], "committee_staff")}
    superior = services.save_draft(services.draft_to_dict(parse_file(seed_file)), orgs["SW"],
                                   source_name=seed_file.name)
    services.publish_plan(superior)
    t["superior"] = superior
    t["before_derive"] = _measure(t)
    unit = levels.derive_plan(superior, orgs["DW"], actor=t["dw_office"])
    levels.submit_for_review(unit, actor=t["dw_office"])
    levels.review_plan(unit, "approve", actor=t["city_office"])
    services.publish_plan(unit)
    t["unit"] = unit
    return t


def _measure(t) -> dict:
    """Queries of the branch secretary's own tasks and of the city's board (warmed up once:
    per-user and content-type caches are not what is measured)."""
    own_tasks(t["secretary"], today=TODAY)
    build_board(Campaign.objects.get(pk=t["superior"].pk), t["city_office"], today=TODAY)
    with CaptureQueriesContext(connection) as home:
        own_tasks(t["secretary"], today=TODAY)
    superior = Campaign.objects.get(pk=t["superior"].pk)
    with CaptureQueriesContext(connection) as board:
        build_board(superior, t["city_office"], today=TODAY)
    return {"home": len(home), "board": len(board)}


def _cell(board, org, ref):
    row = next(r for r in board.rows if r.org_id == org.pk)
    return row.cells[[i.ref for i in board.items].index(ref)]


def test_city_assignments_in_the_unit_subtree_are_delegated(sample_city):
    t = sample_city
    superior, unit = t["superior"], t["unit"]
    city_rows = Assignment.objects.filter(item__plan=superior.plan)
    dw_subtree = city_rows.filter(org__path__startswith=t["orgs"]["DW"].path).exclude(org__code="DW")
    assert dw_subtree.count() > 0
    assert dw_subtree.filter(delegated_to=None).count() == 0  # every task was derived
    # DW's own tasks stay on the city's list: the city reviews them (seed 四.2)
    assert city_rows.filter(org__code="DW").count() > 0
    assert city_rows.filter(org__code="DW").exclude(delegated_to=None).count() == 0
    # each points to the unit's assignment of the same task and organization
    for row in dw_subtree.select_related("delegated_to__item")[:50]:
        assert row.delegated_to.org_id == row.org_id
        assert row.delegated_to.item.source_item_id == row.item_id
        assert row.delegated_to.item.plan_id == unit.plan.pk
    # XW did not derive: its rows (and the city's own) are its own
    assert city_rows.filter(org__code__in=["SW", "XW", "XZ01"]).exclude(delegated_to=None).count() == 0
    # the history of the city's assignment says it follows the unit's
    row = dw_subtree.get(org__code="ZB01", item__ref="三.2（3）")
    event = Event.objects.get(object_id=row.pk, verb="delegate", content_type__model="assignment")
    assert "某某局机关党委" in event.comment
    # the branch's home tasks and the city's board take as many queries as before the unit
    # published (a filter more, no query more)
    assert _measure(t) == t["before_derive"]


def test_branch_secretary_sees_each_task_once(sample_city, client):
    t = sample_city
    tasks = own_tasks(t["secretary"], today=TODAY)
    rows = tasks.overdue + tasks.due_soon + tasks.returned
    assert rows, "the branch has overdue work in December 2023"
    titles = [task.title for task in rows]
    assert len(titles) == len(set(titles))
    city_urls = {a.get_absolute_url() for a in Assignment.objects.filter(
        item__plan=t["superior"].plan, org=t["orgs"]["ZB01"])}
    unit_urls = {a.get_absolute_url() for a in Assignment.objects.filter(
        item__plan=t["unit"].plan, org=t["orgs"]["ZB01"])}
    urls = {task.url for task in rows}
    assert urls & unit_urls and not urls & city_urls  # the unit's copies, none of the city's
    client.force_login(t["secretary"])
    page = client.get("/").content.decode()
    shown = own_tasks(t["secretary"])  # the home page's date is today's
    shown = [task.title for task in shown.overdue + shown.due_soon + shown.returned]
    assert shown
    for title in shown:
        assert page.count(escape(title)) == 1, title
    # the urging list of the city names each branch's task once too (the unit's)
    from taizhang.notify.urging import candidates

    found = [(c.org.code, c.title) for c in candidates(t["city_office"], today=TODAY)
             if c.org.code == "ZB01"]
    assert found and len(found) == len(set(found))
    city_plan = t["superior"].plan.pk
    assert all((c.target.assignment if isinstance(c.target, Occurrence) else c.target).item.plan_id
               != city_plan for c in candidates(t["city_office"], today=TODAY)
               if c.kind != "measure" and c.org.path.startswith(t["orgs"]["DW"].path))


def test_city_board_cell_follows_the_unit_when_a_record_completes_it(
        sample_city, django_capture_on_commit_callbacks):
    t = sample_city
    from taizhang.records import services as records

    zb01 = t["orgs"]["ZB01"]
    before = _cell(build_board(t["superior"], t["city_office"], today=TODAY), zb01, "三.2（3）")
    city_oct = Occurrence.objects.get(assignment__item__plan=t["superior"].plan, assignment__org=zb01,
                                      assignment__item__ref="三.2（3）", period_start=D(2023, 10, 1))
    assert city_oct.status == "pending"
    with django_capture_on_commit_callbacks(execute=True):
        records.create_study_session(zb01, D(2023, 10, 20), "集中学习", attendance=[])
    unit_oct = Occurrence.objects.get(assignment__item__plan=t["unit"].plan, assignment__org=zb01,
                                      assignment__item__ref="三.2（3）", period_start=D(2023, 10, 1))
    city_oct.refresh_from_db()
    assert unit_oct.status == "done"
    assert (city_oct.status, city_oct.evidence_count, city_oct.evidence_needed) == (
        "done", unit_oct.evidence_count, unit_oct.evidence_needed)
    after = _cell(build_board(t["superior"], t["city_office"], today=TODAY), zb01, "三.2（3）")
    assert (before.done, after.done, after.total) == (0, 1, before.total)
    follow = Event.objects.get(object_id=city_oct.pk, verb="follow", content_type__model="occurrence")
    assert (follow.from_state, follow.to_state) == ("pending", "done")
    # XW's branch is not touched by DW's record, and the city's rows are not evaluated apart
    assert evidence.evaluate_campaign(t["superior"]).changed == []


def test_submit_approve_and_return_on_the_unit_copy_mirror_to_the_city(sample_city):
    t = sample_city
    zb01 = t["orgs"]["ZB01"]
    mine = Assignment.objects.filter(item__plan=t["unit"].plan, org=zb01, status="pending",
                                     item__recurrence="").order_by("pk").first()
    city = Assignment.objects.get(delegated_to=mine)
    review.submit_work(mine, t["secretary"], "已按要求完成")
    city.refresh_from_db()
    assert city.status == "submitted"
    # the city does not review it (the unit does); nobody works on the city's copy
    city_queue, _periods = review.review_queue(t["city_office"])
    assert city.pk not in {a.pk for a in city_queue}
    assert mine.pk in {a.pk for a in review.review_queue(t["dw_reviewer"])[0]}
    with pytest.raises(ValidationError, match="已由本单位党委清单"):
        review.submit_work(city, t["secretary"], "再报一次")
    review.review(mine, "return_for_revision", t["dw_reviewer"], "请补充材料")
    city.refresh_from_db()
    assert city.status == "returned"
    review.submit_work(mine, t["secretary"], "已补充")
    review.review(mine, "approve", t["dw_reviewer"])
    city.refresh_from_db()
    assert (city.status, city.reviewed) == ("done", True)
    verbs = list(Event.objects.filter(object_id=city.pk, content_type__model="assignment")
                 .order_by("pk").values_list("verb", "to_state"))
    assert verbs[-4:] == [("follow", "submitted"), ("follow", "returned"), ("follow", "submitted"),
                          ("follow", "done")]


def test_republish_relinks_a_withdrawn_task(db):
    """A task the unit withdraws from its branches (here: made its committee's) is the city's
    branches' own again: undelegated, back to pending and counted by records."""
    from .test_levels import city_tree, plan_data

    c = city_tree()
    city_office = user_with_role("city_office", c["city"], "committee_staff")
    dw_office = user_with_role("dw_office", c["dw"], "committee_staff")
    secretary = user_with_role("sec", c["branches"][0], "branch_secretary")
    superior = services.save_draft(plan_data(), c["city"])
    services.publish_plan(superior)
    unit = levels.derive_plan(superior, c["dw"], actor=dw_office)
    levels.submit_for_review(unit, actor=dw_office)
    levels.review_plan(unit, "approve", actor=city_office)
    services.publish_plan(unit)
    zb01 = c["branches"][0]
    city = Assignment.objects.get(item__plan=superior.plan, item__ref="三.1", org=zb01)
    mine = Assignment.objects.get(item__plan=unit.plan, item__ref="三.1", org=zb01)
    assert city.delegated_to_id == mine.pk
    review.submit_work(mine, secretary, "已学习")
    city.refresh_from_db()
    assert city.status == "submitted"
    # publishing again changes nothing
    services.publish_plan(unit)
    city.refresh_from_db()
    assert (city.delegated_to_id, city.status) == (mine.pk, "submitted")
    # the unit withdraws 三.1 from its branches; ZB02's pending copy goes at the re-publish
    item = unit.plan.items.get(ref="三.1")
    item.responsible = "committee"
    item.save()
    levels.plan_changed(unit, actor=dw_office)
    levels.submit_for_review(unit, actor=dw_office)
    levels.review_plan(unit, "approve", actor=city_office)
    assert Campaign.objects.get(pk=unit.pk).review_status == ReviewStatus.APPROVED
    services.publish_plan(unit)
    city.refresh_from_db()
    other = Assignment.objects.get(item__plan=superior.plan, item__ref="三.1", org=c["branches"][1])
    assert (city.delegated_to_id, city.status) == (None, "pending")
    assert (other.delegated_to_id, other.status) == (None, "pending")
    assert Event.objects.filter(object_id=city.pk, verb="undelegate",
                                content_type__model="assignment").count() == 1
    # 三.2 stays delegated; the branch's home page shows the city's 三.1 again, once
    assert Assignment.objects.get(item__plan=superior.plan, item__ref="三.2", org=zb01).delegated_to_id
    titles = [task.title for task in own_tasks(secretary, today=TODAY).due_soon]
    assert titles.count("三.1 开展专题学习") == 1

"""Seed 三.4 (立足岗位作贡献) is completed by a branch's real records: a 党员示范岗 and a
志愿服务 activity in the campaign, counted for that branch only, and lost again on delete."""

import datetime as dt
from decimal import Decimal

import pytest

from taizhang.plans import services as plans
from taizhang.plans.importer import parse_file, parse_text
from taizhang.plans.models import Assignment, PlanItem
from taizhang.volunteering import services

D = dt.date

# A small plan in the seed's words for 三.4 (the project's own text, not the seed's file).
PLAN = """某单位2023年主题教育重点工作任务清单
主题教育从2023年9月开始，2024年1月基本结束。
一、抓实基层党组织主题教育
以党支部为单位开展主题教育。
1.开展“立足岗位作贡献”活动。
设立党员示范岗，引导党员亮身份、强服务、争先锋，组建党员志愿服务队，结合在职党员进社区，开展结对共建等活动。
"""


def publish(text_or_draft, committee):
    draft = parse_text(text_or_draft) if isinstance(text_or_draft, str) else text_or_draft
    campaign = plans.save_draft(plans.draft_to_dict(draft), committee)
    plans.publish_plan(campaign)
    return campaign


def state(campaign, ref, org):
    a = Assignment.objects.get(item__plan=campaign.plan, item__ref=ref, org=org)
    return a.status, a.evidence_count, a.evidence_needed


def test_a_post_and_an_activity_complete_the_branch_task(tree, branch, other_branch, members,
                                                         django_capture_on_commit_callbacks):
    campaign = publish(PLAN, tree["committee"])
    item = PlanItem.objects.get(plan=campaign.plan, ref="一.1")
    assert [(r.record_kind, r.per, r.min_count) for r in item.rules.all()] == [
        ("model_post", "record", 1), ("volunteer_activity", "record", 1)]
    assert state(campaign, "一.1", branch) == ("pending", 0, 2)

    with django_capture_on_commit_callbacks(execute=True):
        post = services.create_post(org=branch, name="党员先锋岗", member=members[0], start=D(2023, 9, 15))
    assert state(campaign, "一.1", branch) == ("pending", 1, 2)  # a post alone is half of it

    group = tree["groups"][branch.code][0]
    members[1].group = group
    members[1].save()
    with django_capture_on_commit_callbacks(execute=True):
        # the branch's Party group organised it: it counts for the branch
        activity = services.create_activity(org=group, team="党员志愿服务队", date=D(2023, 10, 14),
                                            place="幸福社区", hours=Decimal("2"), content="义务巡河",
                                            participants=[members[1]])
    assert state(campaign, "一.1", branch) == ("done", 2, 2)
    assert state(campaign, "一.1", other_branch) == ("pending", 0, 2)  # only that branch

    with django_capture_on_commit_callbacks(execute=True):
        services.delete_record(activity)
    assert state(campaign, "一.1", branch) == ("pending", 1, 2)
    with django_capture_on_commit_callbacks(execute=True):
        post.start = D(2023, 8, 1)  # set up before the campaign: not counted
        services.save_post(post)
    assert state(campaign, "一.1", branch) == ("pending", 0, 2)


def test_records_entered_before_publishing_count_at_publish(tree, branch, members):
    services.create_post(org=branch, name="党员先锋岗", member=members[0], start=D(2023, 9, 15))
    services.create_activity(org=branch, team="党员志愿服务队", date=D(2023, 11, 4), place="和平社区",
                             hours=Decimal("3"), content="社区义诊", participants=members)
    campaign = publish(PLAN, tree["committee"])
    assert state(campaign, "一.1", branch) == ("done", 2, 2)


def test_seed_task_three_four_is_completed_by_the_records(tree, branch, members, seed_file,
                                                          django_capture_on_commit_callbacks):
    campaign = publish(parse_file(seed_file), tree["committee"])
    item = PlanItem.objects.get(plan=campaign.plan, ref="三.4")
    assert [r.record_kind for r in item.rules.all()] == ["model_post", "volunteer_activity"]
    with django_capture_on_commit_callbacks(execute=True):
        services.create_post(org=branch, name="业务窗口党员示范岗", member=members[0], start=D(2023, 10, 9))
        services.create_activity(org=branch, team="党员志愿服务队", date=D(2023, 12, 2), place="幸福社区",
                                 hours=Decimal("1.5"), content="垃圾分类宣传", participants=members[:2])
    assert state(campaign, "三.4", branch) == ("done", 2, 2)


@pytest.mark.parametrize("code", ["model_post", "volunteer_activity", "community_registration"])
def test_the_codes_are_offered_as_rule_choices(code):
    from taizhang.plans.evidence import evidence_choices

    assert code in dict(evidence_choices())

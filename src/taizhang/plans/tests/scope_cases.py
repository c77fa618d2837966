"""Scoping-walk cases of the plans URLs and API (see taizhang.core.testing)."""

from taizhang.core.testing import LISTED, SECRET, Case
from taizhang.plans import services
from taizhang.plans.importer import parse_text
from taizhang.plans.models import Assignment, Campaign, Occurrence, Plan, PlanImport, PlanItem

PLAN = f"""{SECRET}任务清单
本次工作从2023年9月开始，2024年1月基本结束。
一、支部任务
1.每月开展集中学习，{SECRET}。
"""


def cases(world):
    draft = services.draft_to_dict(parse_text(PLAN, "b.txt"))
    b_campaign = services.save_draft(draft, world.branch_b)  # branch B's own campaign
    services.publish_plan(b_campaign)
    committee_draft = services.draft_to_dict(parse_text(PLAN.replace(SECRET, "全体"), "c.txt"))
    committee_campaign = services.save_draft(committee_draft, world.committee)
    services.publish_plan(committee_campaign)
    b_assignment = Assignment.objects.get(org=world.branch_b, item__plan__campaign=committee_campaign)
    b_occurrence = Occurrence.objects.filter(assignment=b_assignment).first()
    b_item = PlanItem.objects.filter(plan=b_campaign.plan).first()
    pending = PlanImport.objects.create(org=world.committee, source_name="x.txt", draft=draft)
    # a plan derived below the committee, held by branch B (issue 12 §1): A never sees it
    b_derived = Campaign.objects.create(org=world.branch_b, title=SECRET, derived_from=committee_campaign)
    Plan.objects.create(campaign=b_derived)
    return [
        Case("plans:campaign_list", expect=LISTED),
        Case("plans:import"),  # 403 with the reason: a branch secretary may not import
        Case("plans:import_preview", {"pk": pending.pk}, post=True, data={"confirm": "1"}),
        Case("plans:import_layout", {"pk": pending.pk}, post=True, data={"sheet": "x"}),
        Case("plans:campaign_detail", {"pk": b_campaign.pk}),
        Case("plans:campaign_publish", {"pk": b_campaign.pk}, post=True),
        Case("plans:campaign_edit", {"pk": b_campaign.pk}, post=True, data={"title": "x"}),
        Case("plans:campaign_edit", {"pk": committee_campaign.pk}, post=True, data={"title": "x"}),
        Case("plans:campaign_publish", {"pk": committee_campaign.pk}, post=True),
        Case("plans:derive", {"pk": committee_campaign.pk}, post=True,
             data={"org": world.branch_b.pk}),
        Case("plans:derive", {"pk": b_campaign.pk}, post=True, data={"org": world.branch_a.pk}),
        Case("plans:item_add", {"pk": b_campaign.pk}, post=True, data={"title": "x"}),
        Case("plans:item_add", {"pk": b_derived.pk}),
        Case("plans:item_add", {"pk": committee_campaign.pk}, post=True, data={"title": "x"}),
        Case("plans:plan_review", {"pk": b_derived.pk}, post=True, data={"action": "approve"}),
        Case("plans:plan_review", {"pk": b_derived.pk}),
        Case("plans:board", {"pk": b_campaign.pk}),
        Case("plans:board", {"pk": committee_campaign.pk}, expect=LISTED),
        Case("plans:board", {"pk": committee_campaign.pk}, expect=LISTED, query="status=overdue"),
        Case("plans:board_export", {"pk": committee_campaign.pk}, expect=LISTED),
        Case("plans:board_export", {"pk": b_campaign.pk}),
        Case("plans:dashboard", {"pk": committee_campaign.pk}, expect=LISTED),
        Case("plans:dashboard", {"pk": b_campaign.pk}),
        Case("plans:assignment_detail", {"pk": b_assignment.pk}),
        Case("plans:item_edit", {"pk": b_item.pk}, post=True),
        Case("plans:item_edit", {"pk": committee_campaign.plan.items.filter(kind="task").first().pk},
             post=True),
        Case("plans:review_queue"),  # 403 with the reason: a branch secretary reviews nowhere
        Case("plans:review_bulk", post=True, data={"target": [f"occurrence-{b_occurrence.pk}"]}),
        Case("plans:submit", {"kind": "assignment", "pk": b_assignment.pk}, post=True,
             data={"text": "x"}),
        Case("plans:submit", {"kind": "occurrence", "pk": b_occurrence.pk}, post=True,
             data={"text": "x"}),
        Case("plans:decide", {"kind": "occurrence", "pk": b_occurrence.pk, "action": "approve"},
             post=True),
        Case("campaign-list", expect=LISTED),
        Case("campaign-detail", {"pk": b_campaign.pk}),
        Case("planitem-list", expect=LISTED),
        Case("planitem-detail", {"pk": b_item.pk}),
        Case("assignment-list", expect=LISTED),
        Case("assignment-detail", {"pk": b_assignment.pk}),
        Case("occurrence-list", expect=LISTED),
        Case("occurrence-detail", {"pk": b_occurrence.pk}),
    ]

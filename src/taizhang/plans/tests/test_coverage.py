"""``plans.coverage``: each task with how it is completed, the command and the plan page."""

from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from taizhang.plans import services
from taizhang.plans.coverage import plan_coverage
from taizhang.plans.importer import parse_file
from taizhang.plans.models import EvidencePer, PlanItem
from taizhang.plans.publishing import assignable_items

RULES = {
    "二.1": [{"record_kind": "committee_meeting"}],
    "二.3": [{"record_kind": "study_session", "min_count": 2}],
    "三.2（2）": [{"record_kind": "lecture", "per": EvidencePer.SECRETARY},
                 {"record_kind": "micro_lecture", "per": EvidencePer.EACH_MEMBER}],
    # a record kind no app declares, next to a known one: only a submission answers the task
    "三.4": [{"record_kind": "theme_party_day"}, {"record_kind": "legacy_kind"}],
}


@pytest.fixture
def campaign(tree, seed_file):
    """The seed with fixed rules: the four tasks of :data:`RULES`, none on the others."""
    campaign = services.save_draft(services.draft_to_dict(parse_file(seed_file)), tree["committee"])
    for item in assignable_items(campaign.plan):
        services.set_rules(item, RULES.get(item.ref, []))
    return campaign


def test_each_task_in_words_and_the_summary(campaign):
    coverage = plan_coverage(campaign.plan)
    assert coverage.total == 22 and coverage.completed == 3
    assert coverage.line == "3 of 22 tasks completed by records"
    tasks = {t.item.ref: t for t in coverage.tasks}
    assert tasks["二.1"].how == "党委会 ≥1 次/期间内"
    # monthly, and 集中学习 also counts the committee's 理论学习中心组学习 (its source says so)
    assert tasks["二.3"].how == "集中学习（含理论学习中心组学习） ≥2 次/每月"
    assert tasks["三.2（2）"].how == "党课：书记本人 ≥1 次；微党课：每名党员 1 次"
    assert tasks["三.4"].by_records is False and tasks["三.4"].how == "需报送材料"
    assert tasks["三.4"].rules == ["主题党日 ≥1 次/期间内", "legacy_kind（需报送材料）"]
    assert tasks["二.2"].rules == [] and tasks["二.2"].how == "需报送材料"
    assert "三.2" not in tasks  # a parent of sub-items is not assigned
    # A task with a deadline counts the records up to it (seed 三.1 "9月底之前").
    from taizhang.plans.coverage import rule_in_words
    from taizhang.plans.models import EvidenceRule, PlanItem

    item = PlanItem.objects.get(plan=campaign.plan, ref="三.1")
    assert rule_in_words(item, EvidenceRule(item=item, record_kind="study_session")) == \
        "集中学习（含理论学习中心组学习） ≥1 次/2023-09-30前"
    assert [t.item.ref for t in coverage.by_submission][:3] == ["二.2", "二.4", "二.5"]


def test_command_prints_each_task_and_ends_with_one_line(campaign):
    out = StringIO()
    call_command("plan_coverage", str(campaign.pk), stdout=out)
    lines = out.getvalue().splitlines()
    assert len(lines) == 23
    assert lines[-1] == "3 of 22 tasks completed by records"
    assert sum("tasks completed by records" in line for line in lines) == 1
    assert lines[0].startswith("records") and "二.1" in lines[0] and lines[0].endswith("党委会 ≥1 次/期间内")
    assert lines[1].startswith("submission") and lines[1].endswith("需报送材料")


def test_command_names_an_unknown_campaign(db):
    with pytest.raises(CommandError, match="campaign_id：找不到编号为 999 的主题教育"):
        call_command("plan_coverage", "999", stdout=StringIO())


def test_plan_page_shows_the_coverage(client, office, campaign):
    client.force_login(office)
    page = client.get(reverse("plans:campaign_detail", args=[campaign.pk]))
    html = page.content.decode()
    assert page.context["coverage"].line == "3 of 22 tasks completed by records"
    assert "22 项任务中 3 项由工作记录完成" in html and "tasks completed by records" not in html
    assert "3 / 22" not in html  # the ambiguous "N/M" form is gone
    assert html.count('data-coverage="records"') == 3
    assert html.count('data-coverage="submission"') == 19
    item = PlanItem.objects.get(plan=campaign.plan, ref="二.1")
    assert f'data-ref="{item.ref}"' in html

"""``taizhang plan_coverage CAMPAIGN_ID``: how each task of a campaign's plan is completed."""

from django.core.management.base import BaseCommand, CommandError

from taizhang.core.commands import get_by_id
from taizhang.plans.coverage import plan_coverage
from taizhang.plans.models import Campaign, Plan


class Command(BaseCommand):
    help = ("Print each assignable task of a campaign's plan with how it is completed (its "
            "evidence rules in words, or 需报送材料), then one line "
            "'N of M tasks completed by records'.")

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", help="the campaign's id (a whole number, as printed by import_plan --save)")

    def handle(self, *args, campaign_id: str, **options):
        campaign = get_by_id(Campaign.objects.select_related("plan"), campaign_id, "campaign_id", "主题教育")
        try:
            plan = campaign.plan
        except Plan.DoesNotExist:
            raise CommandError(f"campaign_id：主题教育 {campaign.pk} 还没有任务清单") from None
        coverage = plan_coverage(plan)
        for task in coverage.tasks:
            mark = "records   " if task.by_records else "submission"
            self.stdout.write(f"{mark}  {task.item.ref:<10} {task.item.title[:30]}：{task.how}")
        self.stdout.write(coverage.line)

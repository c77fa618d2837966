"""``taizhang publish_plan ID``: assignments and occurrences for every responsible org."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.core.commands import get_by_id
from taizhang.plans import services
from taizhang.plans.models import Campaign


class Command(BaseCommand):
    help = "Publish a campaign's plan; prints assignments and occurrences created and updated."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", help="the campaign's id (a whole number, as printed by import_plan --save)")

    def handle(self, *args, campaign_id: str, **options):
        campaign = get_by_id(Campaign.objects.select_related("org", "plan"), campaign_id, "campaign_id", "主题教育")
        try:
            result = services.publish_plan(campaign)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(result.summary())

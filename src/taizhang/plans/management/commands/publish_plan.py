"""``taizhang publish_plan ID``: assignments and occurrences for every responsible org."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from taizhang.plans import services
from taizhang.plans.models import Campaign


class Command(BaseCommand):
    help = "Publish a campaign's plan; prints assignments and occurrences created and updated."

    def add_arguments(self, parser):
        parser.add_argument("campaign_id", type=int)

    def handle(self, *args, campaign_id: int, **options):
        try:
            campaign = Campaign.objects.select_related("org", "plan").get(pk=campaign_id)
        except Campaign.DoesNotExist:
            raise CommandError(f"no campaign with id {campaign_id}") from None
        try:
            result = services.publish_plan(campaign)
        except ValidationError as exc:
            raise CommandError("；".join(exc.messages)) from None
        self.stdout.write(result.summary())

"""The sample campaign loaded by ``taizhang load_sample``: the project's own invented task list."""

from pathlib import Path

from django.utils.translation import gettext as _

from . import services
from .importer import parse_file

SAMPLE_PLAN = Path(__file__).resolve().parent / "fixtures" / "sample_plan.txt"


def load_sample_plan(committee) -> str:
    """Import and publish ``fixtures/sample_plan.txt`` for ``committee``; return a summary line."""
    draft = parse_file(SAMPLE_PLAN)
    campaign = services.save_draft(
        services.draft_to_dict(draft), committee, source_name=SAMPLE_PLAN.name
    )
    result = services.publish_plan(campaign)
    return _("“%(title)s”（编号 %(pk)d）%(summary)s") % {
        "title": campaign.title, "pk": campaign.pk, "summary": result.summary()}

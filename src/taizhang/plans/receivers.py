"""Signal receivers of the plans app: re-evaluate evidence when a registered record changes."""

from django.dispatch import receiver

from taizhang.core.sources import evidence_changed

from . import evidence


@receiver(evidence_changed, dispatch_uid="plans.evidence.evidence_changed")
def on_evidence_changed(sender, org_ids=(), dates=(), codes=None, **kwargs):
    """After a record of ``sender`` (any registered evidence source) was saved or deleted
    (sent on commit): re-evaluate the occurrences and assignments it can affect — of the
    organizations ``org_ids``, windows holding ``dates``, rules reading ``codes`` (all of the
    sender's when None) — and only those."""
    evidence.reevaluate(sender, org_ids, dates, codes)

"""Signal receivers of the plans app: re-evaluate evidence when records change."""

from django.dispatch import receiver

from taizhang.records.signals import record_changed

from . import evidence


@receiver(record_changed, dispatch_uid="plans.evidence.record_changed")
def on_record_changed(sender, org_ids=(), dates=(), **kwargs):
    """After a record of ``sender`` was saved or deleted (sent on commit): re-evaluate the
    occurrences and assignments it can affect, and only those."""
    evidence.reevaluate(sender, org_ids, dates)

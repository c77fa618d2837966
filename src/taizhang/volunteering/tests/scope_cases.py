"""Scoping-walk cases of the volunteering URLs that are not a registered kind's pages (those
come from ``core.testing.source_cases`` over the registry): the per-member hours ledger."""

from taizhang.core.testing import LISTED, Case


def cases(world):
    b = world.branch_b
    return [
        Case("volunteering:hours", expect=LISTED),
        Case("volunteering:hours", expect=LISTED, query=f"org={b.pk}"),
        Case("volunteering:hours_export", expect=LISTED),
        Case("volunteering:hours_export", expect=LISTED, query=f"org={b.pk}"),
    ]

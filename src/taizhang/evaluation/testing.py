"""Sample appraisals, for the generated view tests and the scoping walk (``Source.sample`` in
:mod:`.sources`; see ``taizhang.core.testing.build_sample``)."""

from __future__ import annotations

from taizhang.core.testing import PAST

from . import services
from .models import Grade


def sample_appraisal(org, member, text: str):
    """``member`` rated 基本合格 for the year of ``core.testing.PAST`` by ``org`` (his or her
    branch), with ``text`` as the follow-up record."""
    return services.create_appraisal(org=org, member=member, year=PAST.year, grade=Grade.BASICALLY_QUALIFIED,
                                     rated_on=PAST, follow_up=text)

"""Builders of one record of each kind through the service, for the generated view tests
(``core.sources.Source.sample``): ``fn(org, member, text) -> instance``. ``member`` must
belong to ``org``'s subtree; ``text`` goes into the record's text fields."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from . import services

DAY = dt.date(2023, 10, 12)


def sample_model_post(org, member, text):
    """A 党员示范岗 of ``org`` held by ``member``, set up on 2023-10-12."""
    return services.create_post(org=org, name=text, member=member, commitment=text, start=DAY)


def sample_volunteer_activity(org, member, text):
    """A 2-hour activity of ``org`` on 2023-10-12 with ``member`` taking part."""
    return services.create_activity(org=org, team=text, date=DAY, place=text, hours=Decimal("2"),
                                    content=text, participants=[member])


def sample_community_registration(org, member, text):
    """``member``'s registration with the community named ``text`` on 2023-10-12."""
    return services.create_registration(org=org, member=member, community=text, registered_on=DAY,
                                        commitment=text)

"""Test fixtures of the role models app (named by ``sources.SOURCES[*].sample``)."""

from __future__ import annotations

import datetime as dt

from . import services
from .models import NomineeKind


def sample_role_model(org, member, text):
    """A nomination of ``member`` (or, without one, of a collective) by ``org`` on
    2023-11-20 with ``text`` as its deeds, made through the service."""
    data = {"org": org, "title": "身边榜样", "deeds": text, "nominated_on": dt.date(2023, 11, 20)}
    if member is not None:
        data.update(kind=NomineeKind.MEMBER, member=member)
    else:
        data.update(kind=NomineeKind.COLLECTIVE, collective=f"{org.name}服务队")
    return services.nominate(data)

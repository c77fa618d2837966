"""Test fixtures of the institutions app (named by ``sources.SOURCES[*].sample``)."""

from __future__ import annotations

import datetime as dt

from . import services


def sample_institution(org, member, text):
    """An institution made by ``org`` on 2023-12-15 with ``text`` in its name and content."""
    return services.create_institution({"org": org, "name": f"{text}制度", "date": dt.date(2023, 12, 15),
                                        "summary": text})


def sample_case(org, member, text):
    """A good practice of ``org`` written up on 2023-12-20 with ``text`` as its title and content."""
    return services.create_case({"org": org, "title": text[:200], "date": dt.date(2023, 12, 20), "summary": text})

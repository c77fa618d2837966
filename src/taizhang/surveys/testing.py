"""Test fixtures of the surveys app (named by ``sources.SOURCES[*].sample``)."""

from __future__ import annotations

import datetime as dt

from . import services


def sample_survey(org, member, text):
    """A survey of ``org`` open 2023-12-01…2023-12-31 with ``text`` in its title and two
    items, answered once through a token (so it counts for the plan)."""
    survey = services.create_survey({"org": org, "title": f"{text}满意度测评", "start": dt.date(2023, 12, 1),
                                     "end": dt.date(2023, 12, 31), "items": [f"{text}作风", "办事效率"]})
    token = services.issue_tokens(survey, 1)[0]
    services.submit(token.token, {i.pk: "satisfied" for i in survey.items.all()}, text,
                    today=dt.date(2023, 12, 10))
    survey.refresh_from_db()
    return survey

"""Test fixtures of the democratic app (named by ``sources.SOURCES[*].sample``): a record of
``org`` whose leadership team (created when missing) has ``member`` on it."""

from __future__ import annotations

import datetime as dt

from taizhang.orgs.models import LeadershipMember, LeadershipTeam

from . import services

DAY = dt.date(2023, 12, 12)


def team_member(org, member) -> LeadershipMember:
    """``member`` on the leadership team of ``org`` (both created when missing)."""
    team, _c = LeadershipTeam.objects.get_or_create(org=org, defaults={"name": f"{org.name}领导班子"})
    count = team.members.count()
    lm, _c = LeadershipMember.objects.get_or_create(team=team, member=member,
                                                    defaults={"title": "书记" if not count else "委员", "order": count})
    return lm


def sample_opinion(org, member, text):
    """An opinion of a forum addressed to ``member`` as a team member, with ``text``."""
    lm = team_member(org, member)
    return services.create_opinion({"org": org, "date": DAY, "year": 2023, "text": text, "giver": text[:100],
                                    "addressee": lm})


def sample_exam(org, member, text):
    """``member``'s material (draft) with ``text`` as its title and content."""
    lm = team_member(org, member)
    return services.create_exam({"org": org, "date": DAY, "year": 2023, "leader": lm, "title": text[:200],
                                 "content": text})


def sample_life_meeting(org, member, text):
    """A meeting of ``org``'s team (``member`` on it) with ``text`` as its theme and summary."""
    team_member(org, member)
    return services.create_life_meeting({"org": org, "date": DAY, "year": 2023, "title": text[:200],
                                         "summary": text, "reported_on": DAY + dt.timedelta(days=10)})

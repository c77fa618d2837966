"""Sample problems, measures and progress updates, for the generated view tests and the
scoping walk (``Source.sample`` in :mod:`.sources`; see ``taizhang.core.testing``).

Each function is ``fn(org, member, text) -> instance`` and writes through :mod:`.services`
(as the system, ``user=None``); ``text`` is in the description, the measure and the update.
"""

from __future__ import annotations

import datetime as dt

from . import services

DEADLINE = dt.date(2030, 1, 31)


def sample_problem(org, member, text: str):
    """A problem of ``org`` found in a 谈心谈话, described by ``text``."""
    return services.create_problem(org=org, source="谈心谈话", description=f"{text}的问题表现")


def sample_measure(org, member, text: str):
    """A measure (deadline :data:`DEADLINE`) of a new :func:`sample_problem`."""
    problem = sample_problem(org, member, text)
    return services.add_measure(problem, measure=f"{text}的整改措施", deadline=DEADLINE,
                                leader_name=f"{text}领导")


def sample_update(org, member, text: str):
    """A progress update of a new :func:`sample_measure`."""
    return services.add_update(sample_measure(org, member, text), done=f"{text}的进展")

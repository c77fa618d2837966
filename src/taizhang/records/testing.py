"""Sample records of the records app's kinds, for the generated view tests and the scoping
walk (``Source.sample`` in :mod:`.sources`; see ``taizhang.core.testing.build_sample``).

Each function is ``fn(org, member, text) -> instance``: one record of ``org`` done by
``member`` (a member of ``org``), carrying ``text`` in every place a page or export shows
text, written through :mod:`.services` like a user's entry.
"""

from __future__ import annotations

from taizhang.core.testing import PAST

from . import services
from .models import MeetingKind


def sample_meeting(org, member, text: str):
    """A 支部党员大会 with ``member`` on leave (the reason, title, minutes and one motion
    carry ``text``) and QR sign-in enabled."""
    return services.create_meeting(
        org, MeetingKind.BRANCH_GENERAL_MEETING, PAST, title=text, minutes=text, sign_in_enabled=True,
        attendance=[{"member": member, "status": "leave", "reason": text}],
        motions=[{"title": text, "yes": 1}])


def sample_study(org, member, text: str):
    """A 集中学习 led by ``member`` on the topic ``text``, ``member`` present."""
    return services.create_study_session(org, PAST, text, leader=member, content=text, attendance=[member])


def sample_suggestion(org, member, text: str):
    """A suggestion by ``member`` with the content ``text``."""
    return services.submit_suggestion(org, text, member=member, date=PAST)

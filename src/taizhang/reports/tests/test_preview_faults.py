"""The meeting report's HTML preview (new-user pass, issue 12): user text is escaped once
(every preview, not only the agenda), and a motion's result follows TZ Art. 11 when the
meeting announced none: it passes when its yes votes exceed half of the members with voting
rights who should attend, with more than half of them present."""

import datetime as dt

import pytest
from django.urls import reverse

from taizhang.core.testing import build_world
from taizhang.orgs.models import Member
from taizhang.records import services
from taizhang.records.models import MeetingKind
from taizhang.reports.builders.common import for_html
from taizhang.reports.builders.common import text as listing


@pytest.fixture
def world(db, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return build_world()


def _meeting(world, members: int, present: int, motions):
    people = [Member.objects.create(org=world.branch_a, name=f"党员{i}") for i in range(members)]
    attendance = [{"member": m, "status": "present" if i < present else "absent"} for i, m in enumerate(people)]
    return services.create_meeting(world.branch_a, MeetingKind.BRANCH_GENERAL_MEETING, dt.date(2023, 10, 12),
                                   title="A&B <会>", topics="学习&讨论\n选举<委员>", minutes="甲 & 乙",
                                   attendance=attendance, motions=motions)


def test_preview_escapes_user_text_once(client, world):
    meeting = _meeting(world, 3, 3, [])
    client.force_login(world.secretary_a)
    html = client.get(reverse("reports:report", args=["meeting"]), {"meeting": meeting.pk}).content.decode()
    assert "&amp;amp;" not in html and "&amp;lt;" not in html
    assert "1. 学习&amp;讨论<br>2. 选举&lt;委员&gt;" in html
    assert "甲 &amp; 乙" in html and "A&amp;B &lt;会&gt;" in html
    # The walker turns every docx listing of any report's context back into plain text.
    assert for_html({"a": [listing("x & y")], "b": listing("<p>")}) == {"a": ["x & y"], "b": "<p>"}


@pytest.mark.parametrize("members, present, votes, declared, shown", [
    (17, 15, (15, 0, 0), None, "通过"),        # 15 > 17 / 2
    (17, 15, (8, 7, 0), None, "未通过"),       # 8 is not more than half of 17 (not of the 15 present)
    (17, 15, (9, 6, 0), None, "通过"),
    (17, 8, (8, 0, 0), None, "未达到法定人数"),  # 8 present of 17: not more than half
    (17, 15, (8, 7, 0), True, "通过"),          # what the meeting announced is shown as announced
])
def test_motion_result_follows_the_rule(client, world, members, present, votes, declared, shown):
    yes, no, abstain = votes
    meeting = _meeting(world, members, present, [{"title": "决议", "yes": yes, "no": no, "abstain": abstain,
                                                  "declared_passed": declared}])
    client.force_login(world.secretary_a)
    html = client.get(reverse("reports:report", args=["meeting"]), {"meeting": meeting.pk}).content.decode()
    assert f"{yes}，反对 {no}，弃权 {abstain}（{shown}）" in html

"""The roster import writes in bulk (issue 13 §1): a constant number of queries however many
members, every member and post audited, the single-holder posts handled as before."""

import datetime as dt

import pytest
from auditlog.models import LogEntry
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from taizhang.orgs.models import Member, Position
from taizhang.orgs.services import import_roster

from .factories import UserFactory
from .helpers import csv_bytes

pytestmark = pytest.mark.django_db


DIGITS = "零一二三四五六七八九"


def name(i: int) -> str:
    """王 and the three digits of ``i`` in characters: 王零零一."""
    return "王" + "".join(DIGITS[int(c)] for c in f"{i:03d}")


def rows(n: int, start: int = 0) -> list[list[str]]:
    """``n`` members of 第1党支部 / 第1党小组; the first is 支部书记, every fifth 宣传委员."""
    return [[name(i), "男", "1980.05", "2005.7.1", "正式党员", "第1党支部", "第1党小组",
             "支部书记" if i == start else ("宣传委员" if i % 5 == 0 else ""), f"1380000{i:04d}"]
            for i in range(start, start + n)]


def test_query_count_does_not_grow_with_the_roster(tree):
    assert import_roster(csv_bytes(rows(3, 500)), tree["committee"]).created == 3
    counts = []
    for n, start in ((5, 0), (40, 100)):  # each adds members and a new secretary (ending one)
        with CaptureQueriesContext(connection) as ctx:
            result = import_roster(csv_bytes(rows(n, start)), tree["committee"])
        assert result.errors == [] and result.created == n
        counts.append(len(ctx))
    assert counts[0] == counts[1] and counts[0] < 40


def test_members_and_posts_are_audited_and_a_new_secretary_ends_the_old(tree):
    from auditlog.context import set_actor

    user = UserFactory(username="staff")
    assert import_roster(csv_bytes(rows(6)), tree["committee"]).created == 6
    member_type = ContentType.objects.get_for_model(Member)
    position_type = ContentType.objects.get_for_model(Position)
    assert LogEntry.objects.filter(content_type=member_type, action=LogEntry.Action.CREATE).count() == 6
    assert LogEntry.objects.filter(content_type=position_type, action=LogEntry.Action.CREATE).count() == 2
    entry = LogEntry.objects.get(content_type=member_type, object_id=Member.objects.get(name=name(1)).pk)
    assert entry.changes["name"] == ["None", name(1)]
    assert entry.changes["phone"][1].endswith("0001") and entry.changes["phone"][1] != "13800000001"  # masked
    again = rows(6)
    again[0][7] = ""  # 王零零零 is no longer secretary, 王零零三 is; 王零零一 moves group
    again[3][7] = "支部书记"
    again[1][6] = "第2党小组"
    with set_actor(user):
        result = import_roster(csv_bytes(again), tree["committee"], today=dt.date(2026, 1, 31))
    assert (result.created, result.updated, result.unchanged) == (0, 3, 3)
    assert (result.positions_added, result.positions_ended) == (1, 1)
    secretary = Position.objects.get(org=tree["branches"][0], role="secretary", ended_on__isnull=True)
    assert secretary.member.name == name(3)
    old = Position.objects.get(member__name=name(0), role="secretary")
    assert old.ended_on == dt.date(2026, 1, 31)
    ended = LogEntry.objects.get(content_type=position_type, object_id=old.pk, action=LogEntry.Action.UPDATE)
    assert ended.changes["ended_on"] == ["None", "2026-01-31"] and ended.actor_id == user.pk
    moved = LogEntry.objects.get(content_type=member_type, action=LogEntry.Action.UPDATE,
                                 object_id=Member.objects.get(name=name(1)).pk)
    assert moved.actor_id == user.pk and set(moved.changes) >= {"group"}


def test_a_new_member_taking_the_post_ends_the_holder_not_in_the_file(tree):
    assert import_roster(csv_bytes(rows(3)), tree["committee"]).created == 3  # 王零零零 is 书记
    result = import_roster(csv_bytes(rows(1, 999)), tree["committee"], today=dt.date(2026, 2, 1))
    assert result.errors == [] and (result.created, result.positions_added, result.positions_ended) == (1, 1, 1)
    assert list(Position.objects.filter(role="secretary").order_by("pk").values_list("member__name", "ended_on")) == [
        (name(0), dt.date(2026, 2, 1)), (name(999), None)]

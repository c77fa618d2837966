"""The 对照检查材料's review tells the right people (issue 12 §3): on submit the office whose
approval is due (for 需上级审核, the superior's office for the second step), on return and
approval the author; nobody else, never the one who made the move."""

import datetime as dt

import pytest

from taizhang.democratic import services
from taizhang.notify.models import Notice
from taizhang.orgs.tests.factories import UserFactory, grant

D = dt.date


@pytest.fixture
def people(unit):
    """The unit's office (``office``, ``office2``), the city's (``city``, ``city2``), the
    leader 乙副书记 with an account (``leader``, role leader on the committee), and the
    unit's branch secretary ``sec2`` (who must hear nothing)."""
    office2, city2, leader = UserFactory(username="office2"), UserFactory(username="city2"), UserFactory(username="leader")
    grant(office2, unit["committee"], "committee_staff")
    grant(city2, unit["city"], "committee_staff")
    grant(leader, unit["committee"], "leader")
    member = unit["leaders"][1].member
    member.user = leader
    member.save()
    return {"office": unit["office"], "office2": office2, "city": unit["superior"], "city2": city2,
            "leader": leader, "sec2": unit["secretary"]}


def _new(before):
    return sorted((n.user.username, n.title, n.body) for n in
                  Notice.objects.exclude(pk__in=before).select_related("user"))


def _step(fn):
    before = set(Notice.objects.values_list("pk", flat=True))
    fn()
    return _new(before)


def test_each_review_step_notifies_the_right_users_only(unit, people):
    exam = services.create_exam({"org": unit["committee"], "date": D(2023, 12, 20), "leader": unit["leaders"][1],
                                 "content": "一、问题", "needs_superior": True}, actor=people["leader"])
    title = "2023年度民主生活会对照检查材料（乙副书记）"
    assert _step(lambda: services.move_exam(exam, "submit", actor=people["leader"])) == [
        ("office", f"【待审核】对照检查材料：{title}", f"某局党委 报送了“{title}”，请审核。"),
        ("office2", f"【待审核】对照检查材料：{title}", f"某局党委 报送了“{title}”，请审核。")]
    assert _step(lambda: services.move_exam(exam, "return_for_revision", actor=people["office"],
                                            comment="问题查摆不具体")) == [
        ("leader", f"【退回修改】对照检查材料：{title}", f"“{title}”被退回修改。审核意见：问题查摆不具体")]
    # the decision closes the reviewers' waiting notices
    assert not Notice.objects.filter(title__startswith="【待审核】", read_at__isnull=True).exists()
    exam.content = "一、问题（具体）"
    services.save_exam(exam, actor=people["leader"])
    second = _step(lambda: services.move_exam(exam, "submit", actor=people["leader"]))
    assert [n[0] for n in second] == ["office", "office2"]  # a new round is told again
    assert _step(lambda: services.move_exam(exam, "approve", actor=people["office2"])) == [
        ("city", f"【待上级审核】对照检查材料：{title}", f"某局党委 已审核通过“{title}”，该材料需上级党组织审核，请审核。"),
        ("city2", f"【待上级审核】对照检查材料：{title}", f"某局党委 已审核通过“{title}”，该材料需上级党组织审核，请审核。"),
        ("leader", f"【审核进展】对照检查材料：{title}", f"“{title}”已通过本级审核，待上级党组织审核。")]
    assert _step(lambda: services.move_exam(exam, "approve", actor=people["city"], on=D(2024, 1, 6))) == [
        ("leader", f"【审核通过】对照检查材料：{title}", f"“{title}”已审核通过。")]
    assert not Notice.objects.filter(read_at__isnull=True, title__contains="待").exists()
    told = set(Notice.objects.values_list("user__username", flat=True))
    assert "sec2" not in told
    assert not Notice.objects.filter(user=people["city"], title__startswith="【待审核】").exists()


def test_the_office_writing_its_teams_material_is_not_told_of_its_own_moves(unit, people):
    exam = services.create_exam({"org": unit["committee"], "date": D(2023, 12, 20), "content": "班子材料"},
                                actor=people["office"])
    assert _step(lambda: services.move_exam(exam, "submit", actor=people["office"])) == [
        ("office2", "【待审核】对照检查材料：2023年度民主生活会对照检查材料（领导班子）",
         "某局党委 报送了“2023年度民主生活会对照检查材料（领导班子）”，请审核。")]
    assert [n[0] for n in _step(lambda: services.move_exam(exam, "approve", actor=people["office2"]))] == [
        "office"]
    assert Notice.objects.filter(user=people["office"]).get().title.startswith("【审核通过】")

"""Status machine, permissions, optimistic locking, extensions, colours, duplicates."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied

from taizhang.core.status import IllegalTransition, events_for
from taizhang.rectification import services
from taizhang.rectification.models import Rectification, RectificationKind


def test_full_cycle_with_return_records_every_move(measure, office, secretary_a):
    services.add_update(measure, secretary_a, reported_on=dt.date(2025, 5, 1), done="制定轮岗表")
    services.add_update(measure, secretary_a, reported_on=dt.date(2025, 5, 20), done="公布值班电话",
                        difficulties="人手紧", next_step="纳入考核")
    measure.refresh_from_db()
    assert measure.status == "in_progress"
    assert (measure.progress, measure.progress_on) == ("公布值班电话", dt.date(2025, 5, 20))
    with pytest.raises(services.RectificationError, match="进展日期不能晚于今天"):
        services.add_update(measure, secretary_a, reported_on=dt.date(2035, 1, 1), done="预先填报")
    services.move(measure, "complete", secretary_a, completion_note="已落实", evidence="值班表")
    services.move(measure, "return_for_revision", office, "缺少群众评价")
    services.move(measure, "complete", secretary_a, completion_note="已落实并回访群众")
    services.move(measure, "verify", office, "核验通过")
    services.move(measure, "close", office, "同意销号")
    measure.refresh_from_db()
    assert measure.status == "closed" and measure.closed_on is not None
    assert measure.verified_by == office
    moves = [(e.verb, e.from_state, e.to_state, e.comment, e.actor) for e in events_for(measure)]
    assert moves == [
        ("start", "open", "in_progress", "填报整改进展", secretary_a),
        ("complete", "in_progress", "completed", "", secretary_a),
        ("return_for_revision", "completed", "in_progress", "缺少群众评价", office),
        ("complete", "in_progress", "completed", "", secretary_a),
        ("verify", "completed", "verified", "核验通过", office),
        ("close", "verified", "closed", "同意销号", office),
    ]
    services.move(measure, "reopen", office, "问题反弹")
    measure.refresh_from_db()
    assert measure.status == "in_progress" and measure.closed_on is None


def test_illegal_moves_are_refused_and_nothing_written(measure, office, secretary_a):
    with pytest.raises(IllegalTransition, match="待整改"):
        services.move(measure, "close", office)
    with pytest.raises(IllegalTransition):
        services.move(measure, "verify", office)
    with pytest.raises(services.RectificationError, match="完成情况"):
        services.move(measure, "complete", secretary_a)
    with pytest.raises(services.RectificationError, match="佐证"):
        services.move(measure, "complete", secretary_a, completion_note="已落实")
    with pytest.raises(services.RectificationError, match="理由"):
        services.move(measure, "reopen", office)
    # The branch may claim, only the committee verifies (审核把关).
    services.move(measure, "complete", secretary_a, completion_note="已落实", evidence="记录")
    with pytest.raises(PermissionDenied):
        services.move(measure, "verify", secretary_a)
    measure.refresh_from_db()
    assert measure.status == "completed"
    assert [e.verb for e in events_for(measure)] == ["complete"]


def test_optimistic_locking_refuses_the_second_save(measure, office, secretary_a):
    opened_by_both = measure.version
    services.update_measure(measure, secretary_a, version=opened_by_both, person="张三")
    with pytest.raises(services.StaleEdit, match="已被他人修改") as caught:
        services.update_measure(measure, office, version=opened_by_both, person="李四")
    assert caught.value.current.person == "张三"
    measure.refresh_from_db()
    assert measure.person == "张三" and measure.version == opened_by_both + 1
    with pytest.raises(services.StaleEdit):
        services.move(measure, "start", secretary_a, version=opened_by_both)


def test_deadline_moves_only_by_approved_extension(measure, office, secretary_a):
    with pytest.raises(services.RectificationError, match="延期"):
        services.update_measure(measure, secretary_a, deadline=dt.date(2030, 9, 30))
    request = services.request_extension(measure, secretary_a, new_deadline=dt.date(2030, 9, 30),
                                         reason="需上级批复")
    with pytest.raises(services.RectificationError, match="待审批"):
        services.request_extension(measure, secretary_a, new_deadline=dt.date(2030, 10, 30), reason="x")
    with pytest.raises(PermissionDenied):
        services.decide_extension(request, secretary_a, approve=True)
    services.decide_extension(request, office, approve=True, comment="同意")
    measure.refresh_from_db()
    assert (measure.deadline, measure.extension_count) == (dt.date(2030, 9, 30), 1)
    assert measure.due_workday == dt.date(2030, 9, 30) or measure.effective_due <= dt.date(2030, 9, 30)
    assert [e.verb for e in events_for(measure)] == ["request_extension", "extend"]
    with pytest.raises(IllegalTransition):
        services.decide_extension(request, office, approve=False)


def test_holiday_deadline_and_colours(problem):
    # 2024-10-01 is National Day: work is due on the last working day before it.
    rect = services.add_measure(problem, measure="m", deadline=dt.date(2024, 10, 1), leader_name="周宁")
    assert rect.due_workday == dt.date(2024, 9, 30) and rect.effective_due == dt.date(2024, 9, 30)
    today = dt.date(2024, 9, 25)  # Wednesday; 3 working days later: 9-27 (Fri)... 9-29 is a make-up day
    amber = services.amber_until(today)
    assert amber == dt.date(2024, 9, 29)
    assert rect.rag(today, amber) == "green"
    assert rect.rag(dt.date(2024, 9, 27), services.amber_until(dt.date(2024, 9, 27))) == "amber"
    assert rect.rag(dt.date(2024, 10, 1), services.amber_until(dt.date(2024, 10, 1))) == "red"
    immediate = services.add_measure(problem, measure="n", kind=RectificationKind.IMMEDIATE, leader_name="x")
    assert immediate.rag(today, amber) == "none"
    with pytest.raises(services.RectificationError):
        services.add_measure(problem, measure="no date", kind=RectificationKind.DEADLINE)


def test_duplicate_hint_finds_open_problems_of_the_same_org(problem, tree):
    services.create_problem(org=tree["branches"][1], source="其他", description="服务窗口午间无人值守，群众需等候")
    hits = services.similar_open_problems(tree["branches"][0], "窗口午间无人值守，群众要等候！")
    assert [p for p, _s in hits] == [problem]
    assert hits[0][1] > 0.6
    assert services.similar_open_problems(tree["branches"][0], "理论学习不深入") == []


def test_unknown_source_is_added_to_the_list(tree):
    p = services.create_problem(org=tree["committee"], source="群众意见", description="d")
    assert p.source.name == "群众意见"
    assert Rectification.objects.count() == 0


def test_a_problem_is_not_found_in_the_future(tree):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError) as caught:
        services.create_problem(org=tree["branches"][0], source="基层调研", description="还没发现的问题",
                                found_on=dt.date(2031, 5, 5))
    assert caught.value.message_dict == {"found_on": ["发现日期不能晚于今天。"]}
    problem = services.create_problem(org=tree["branches"][0], source="基层调研", description="已发现的问题",
                                      found_on=dt.date(2025, 5, 5))
    with pytest.raises(ValidationError):
        services.update_problem(problem, found_on=dt.date(2031, 5, 5))

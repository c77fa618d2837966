"""Inline enumerations "一是……；二是……" in a task's text (enumeration.py): sub-items when the
parts are scheduled or owned separately, text otherwise. Sample texts written for these tests."""

from __future__ import annotations

from datetime import date

import pytest

from taizhang.plans.importer import parse_text
from taizhang.plans.importer.enumeration import find_parts, part_owners, separate_work

from .helpers import by_path, output_corpus, source_sentences

PLAN = """某党委2023年主题教育重点任务安排
本次主题教育从2023年9月开始，2024年1月基本结束。
一、抓好领导班子学习
1.开展专题学习。一是9月底前制定学习计划；二是每月开展1次集中学习；三是12月中旬前召开专题民主生活会。
2.加强作风建设。重点抓好三个方面：一是思想建设，二是组织建设，三是作风建设。
3.讲好专题党课。一是党委班子成员带头讲党课；二是各党支部书记讲党课；三是普通党员讲微党课。
4.抓好整改落实。
一是10月底前形成问题清单（组织部负责）；
二是由纪委办公室牵头，11月15日前制定整改方案；
三是要持续跟踪整改进展。
通过整改，推动作风转变。
5.抓好学习教育。一是加强理论武装；二是改进工作作风，年底前见到成效。
"""


@pytest.fixture(scope="module")
def plan():
    return parse_text(PLAN)


def test_separately_scheduled_parts_become_sub_items(plan):
    task = by_path(plan, "一、", "1.")
    assert [(c.label, c.kind, c.title) for c in task.children] == [
        ("一是", "task", "9月底前制定学习计划"),
        ("二是", "task", "每月开展1次集中学习"),
        ("三是", "task", "12月中旬前召开专题民主生活会"),
    ]
    first, second, third = task.children
    assert (first.due, first.due_workday, first.recurrence) == (date(2023, 9, 30), date(2023, 9, 28), None)
    assert (second.due, second.recurrence, second.min_count) == (None, "FREQ=MONTHLY", 1)
    assert (third.due, third.recurrence) == (date(2023, 12, 20), None)
    assert [c.evidence for c in task.children] == [None, "study_session", "democratic_life_meeting"]
    assert [c.responsible for c in task.children] == ["committee"] * 3  # from the section
    assert [c.lines for c in task.children] == [(4, 4)] * 3
    assert first.text == "一是9月底前制定学习计划"
    assert third.text == "三是12月中旬前召开专题民主生活会。"
    # The task keeps its text as written; its own schedule is what it says outside the parts.
    assert task.text == PLAN.splitlines()[3]
    assert (task.title, task.due, task.recurrence) == ("开展专题学习", None, None)


def test_a_list_of_aspects_stays_text(plan):
    task = by_path(plan, "一、", "2.")
    assert task.children == []
    assert task.text == "2.加强作风建设。重点抓好三个方面：一是思想建设，二是组织建设，三是作风建设。"
    assert task.title == "加强作风建设"


def test_one_date_for_the_whole_list_stays_text(plan):
    task = by_path(plan, "一、", "5.")
    assert task.children == []
    assert task.due == date(2023, 12, 31)


def test_parts_with_different_owners_become_sub_items(plan):
    task = by_path(plan, "一、", "3.")
    assert [(c.label, c.title, c.responsible, c.evidence) for c in task.children] == [
        ("一是", "党委班子成员带头讲党课", "committee", "lecture"),
        ("二是", "各党支部书记讲党课", "branch", "lecture"),
        ("三是", "普通党员讲微党课", "member", "lecture"),
    ]


def test_parts_on_their_own_lines_with_owners(plan):
    task = by_path(plan, "一、", "4.")
    assert task.lines == (7, 11)
    assert [(c.label, c.title, c.lines) for c in task.children] == [
        ("一是", "10月底前形成问题清单", (8, 8)),
        ("二是", "11月15日前制定整改方案", (9, 9)),
        ("三是", "持续跟踪整改进展", (10, 10)),
    ]
    first, second, third = task.children
    assert (first.due, first.lead_unit, first.evidence) == (date(2023, 10, 31), "组织部", "problem")
    assert (second.due, second.lead_unit, second.evidence) == (date(2023, 11, 15), "纪委办公室", "rectification")
    assert (third.due, third.lead_unit, third.evidence) == (None, "", "rectification")
    # the closing line is the task's, not the last part's
    assert "通过整改" not in third.text and task.text.endswith("通过整改，推动作风转变。")


def test_no_sentence_lost_and_no_warnings(plan):
    corpus = output_corpus(plan)
    assert [s for s in source_sentences(PLAN) if s not in corpus] == []
    assert [d for d in plan.diagnostics if d.level == "warning"] == []
    node = plan.to_dict()["items"][0]["children"][0]["children"][0]
    assert node["label"] == "一是" and node["due"] == "2023-09-30" and node["children"] == []


@pytest.mark.parametrize(("text", "labels", "parts"), [
    ("抓好三件事：一是学习；二是调研；三是整改。其余照常。", ["一是", "二是", "三是"],
     ["一是学习", "二是调研", "三是整改。"]),
    ("一要提高认识，二要加强领导。", ["一要", "二要"], ["一要提高认识", "二要加强领导。"]),
    ("第一，制定方案；第二，抓好落实。", ["第一", "第二"], ["第一，制定方案", "第二，抓好落实。"]),
    ("开展学习\n一是读原著。写心得。\n二是谈体会。\n通过学习提高认识。", ["一是", "二是"],
     ["一是读原著。写心得。", "二是谈体会。"]),
])
def test_find_parts(text, labels, parts):
    found = find_parts(text)
    assert [p.label for p in found] == labels
    assert [text[p.start:p.end] for p in found] == parts


@pytest.mark.parametrize("text", [
    "坚持统一是前提，二是关键",  # 统一是: not at a boundary
    "做到一是一、二是二",  # an idiom inside a clause
    "一是加强学习",  # one marker is no enumeration
    "一是学习；三是调研",  # 二是 missing
    "深入学习，第一次集中学习，第二次分组讨论",  # 第一次 is not 第一，
    "",
])
def test_no_enumeration(text):
    assert find_parts(text) == []


def test_part_owners():
    assert part_owners("10月底前形成问题清单（组织部负责）").lead_unit == "组织部"
    owners = part_owners("由党委办公室牵头，制定方案")
    assert (owners.lead_unit, owners.responsible) == ("党委办公室", "committee")
    assert part_owners("认真负责抓好落实") is None  # 认真 is not a unit
    assert part_owners("加强学习") is None


@pytest.mark.parametrize(("own", "subjects", "split"), [
    ([True, True, False], [None] * 3, True),  # 2 of 3 scheduled
    ([True, False], [None] * 2, False),  # one date: for the whole list
    ([True, True, False, False, False], [None] * 5, False),  # 2 of 5: mostly aspects
    ([False, False], ["committee", "branch"], True),  # different owners
    ([False, False], ["member", "member"], False),  # one owner, two aspects
])
def test_decision(own, subjects, split):
    assert separate_work(own, subjects) is split


def test_sections_notes_and_items_with_numbered_children_keep_enumerations_as_text():
    text = (
        "清单\n一、总体要求\n一是9月底前动员；二是10月底前部署。\n"
        "二、重点任务\n1.开展学习。一是9月底前动员；二是10月底前部署。\n（1）读原著。\n"
        "三、工作要求\n1.压实责任。一是9月底前动员；二是10月底前部署。\n"
    )
    draft = parse_text(text)
    assert draft.items[0].children == []
    assert [c.label for c in by_path(draft, "二、", "1.").children] == ["（1）"]
    assert by_path(draft, "三、", "1.").kind == "note"
    assert by_path(draft, "三、", "1.").children == []


def test_flat_task_list_with_enumeration():
    draft = parse_text("支部任务\n1、开展学习。一是每月开展主题党日；二是每季度讲一次党课。\n2、开展调研。\n")
    first = draft.items[0]
    assert [(c.label, c.title, c.recurrence, c.evidence) for c in first.children] == [
        ("一是", "每月开展主题党日", "FREQ=MONTHLY", "theme_party_day"),
        ("二是", "每季度讲一次党课", "FREQ=MONTHLY;INTERVAL=3", "lecture"),
    ]
    assert first.recurrence is None
    assert draft.items[1].children == []

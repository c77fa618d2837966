"""Contract tests on the real input (issue 2 §3): the seed task list, read from the shared folder."""

from __future__ import annotations

import json
from datetime import date

import pytest

from taizhang.plans.importer import parse_file, parse_text

from .helpers import by_path, output_corpus, source_sentences


@pytest.fixture(scope="module")
def seed_draft(request):
    from conftest import require_shared

    from .conftest import SEED

    return parse_file(require_shared(SEED))


def test_title_preamble_and_period(seed_draft):
    assert seed_draft.title == "第二批主题教育重点工作任务清单范文"
    assert seed_draft.preamble.startswith("根据中央、省委关于开展学习贯彻主题教育的部署")
    assert (seed_draft.period_start, seed_draft.period_end) == (date(2023, 9, 1), date(2024, 1, 31))


def test_four_sections_with_their_numbered_children(seed_draft):
    assert [n.title for n in seed_draft.items] == [
        "把握总体要求", "抓好领导班子主题教育", "抓实基层党组织主题教育", "工作要求",
    ]
    assert [n.label for n in seed_draft.items] == ["一、", "二、", "三、", "四、"]
    assert [n.kind for n in seed_draft.items] == ["section"] * 4
    assert [len(n.children) for n in seed_draft.items] == [0, 14, 6, 4]
    assert [n.label for n in seed_draft.items[1].children] == [f"{i}." for i in range(1, 15)]


def test_section_one_keeps_its_unnumbered_body(seed_draft):
    one = seed_draft.items[0]
    assert one.lines == (4, 6)
    assert "认真学习贯彻习近平总书记关于主题教育系列重要讲话" in one.text
    assert "确保主题教育取得扎实成效" in one.text  # line 6, after the ##paidbegin## marker


def test_item_three_two_has_three_children(seed_draft):
    three_two = by_path(seed_draft, "三、", "2.")
    assert three_two.title == "开展理论学习"
    assert [c.label for c in three_two.children] == ["（1）", "（2）", "（3）"]
    assert all(c.kind == "task" for c in three_two.children)
    assert three_two.lines == (28, 31)


def test_titles(seed_draft):
    assert by_path(seed_draft, "二、", "1.").title == "召开党委会"
    assert by_path(seed_draft, "二、", "2.").title == "召开党委扩大会议"
    assert by_path(seed_draft, "三、", "1.").title == "进行传达部署"
    # a lead-in clause (how, not what) is passed over when a long first sentence is cut
    assert by_path(seed_draft, "三、", "2.", "（3）").title == "每月至少安排1天时间进行集中学习"
    assert by_path(seed_draft, "三、", "2.", "（1）").title == "各党支部需单独制定学习计划"
    assert by_path(seed_draft, "二、", "1.").text == "1.召开党委会。研究谋划党委及各支部主题教育工作，明确分工。"


def test_heading_with_body_lines_is_one_item(seed_draft):
    item = by_path(seed_draft, "三、", "1.")
    assert item.lines == (25, 27)
    assert item.text.splitlines()[0] == "1.进行传达部署。"
    assert item.text.splitlines()[-1] == "流动党员、年老体弱党员等以合适方式参加主题教育。"
    assert item.children == []


def test_responsible_by_section(seed_draft):
    two, three = seed_draft.items[1], seed_draft.items[2]
    assert {n.responsible for n in two.walk()} == {"committee"}
    assert {n.responsible for n in three.walk()} == {"branch"}


def test_deadlines_with_working_day(seed_draft):
    for path in (("三、", "1."), ("三、", "2.", "（1）")):
        node = by_path(seed_draft, *path)
        assert node.due == date(2023, 9, 30), path
        assert node.due_workday == date(2023, 9, 28), path
    # The period sentence under 二 is the campaign's, not the section's deadline.
    assert seed_draft.items[1].due is None
    assert by_path(seed_draft, "二、", "1.").due is None


def test_monthly_recurrence(seed_draft):
    assert by_path(seed_draft, "二、", "3.").recurrence == "FREQ=MONTHLY"
    assert by_path(seed_draft, "三、", "2.", "（3）").recurrence == "FREQ=MONTHLY"
    assert by_path(seed_draft, "三、", "2.", "（3）").min_count == 1
    # "每名"/"每一名" (三.1: "传达到每一名党员") is not a recurrence.
    assert by_path(seed_draft, "三、", "1.").recurrence is None
    assert by_path(seed_draft, "二、", "9.").recurrence is None  # 年度民主生活会


@pytest.mark.parametrize(("path", "kind"), [
    (("二、", "1."), "committee_meeting"),
    (("二、", "2."), "enlarged_committee_meeting"),
    (("二、", "4."), "lecture"),
    (("二、", "6."), "research_visit"),
    (("二、", "7."), "problem"),
    (("二、", "8."), "rectification"),
    (("二、", "9."), "democratic_preparation"),
    (("二、", "12."), "democratic_life_meeting"),
    (("二、", "13."), "organizational_life_meeting"),
    (("三、", "2.", "（3）"), "study_session"),
    (("三、", "4."), "model_post"),
])
def test_evidence(seed_draft, path, kind):
    assert by_path(seed_draft, *path).evidence == kind


def test_sections_have_no_evidence(seed_draft):
    assert [n.evidence for n in seed_draft.items] == [None] * 4


def test_no_marker_survives(seed_draft):
    dumped = json.dumps(seed_draft.to_dict(), ensure_ascii=False)
    assert "##" not in dumped
    assert "paid" not in dumped


def test_no_sentence_is_lost(seed_draft, seed_path):
    raw = seed_path.read_text(encoding="utf-8")
    sentences = source_sentences(raw)
    assert len(sentences) == 74  # the seed's sentences under this split (non-empty)
    corpus = output_corpus(seed_draft)
    missing = [s for s in sentences if s not in corpus]
    assert missing == []


def test_no_sentence_is_lost_in_node_text_alone(seed_draft, seed_path):
    """Stronger than the contract: every sentence after the title line is in the preamble or
    in some node's text (not only in a diagnostic)."""
    raw = seed_path.read_text(encoding="utf-8")
    corpus = "\n".join([seed_draft.preamble] + [n.text for n in seed_draft.walk()])
    body = raw.split("\n", 2)[2]  # after the empty line 1 and the title line 2
    assert [s for s in source_sentences(body) if s not in corpus] == []


def test_lines_cover_the_document(seed_draft):
    assert seed_draft.items[0].lines[0] == 4
    assert seed_draft.items[-1].lines == (40, 44)
    assert by_path(seed_draft, "二、").lines == (7, 22)


def test_no_diagnostics_for_the_seed(seed_draft):
    assert seed_draft.diagnostics == []


def test_json_contract_shape(seed_draft):
    data = seed_draft.to_dict()
    assert set(data) == {"title", "preamble", "period", "items", "diagnostics"}
    assert data["period"] == {"start": "2023-09-01", "end": "2024-01-31"}
    node = data["items"][2]["children"][0]
    assert set(node) == {"label", "kind", "title", "text", "responsible", "due", "due_workday",
                         "recurrence", "evidence", "lines", "children"}
    assert node["due"] == "2023-09-30" and node["due_workday"] == "2023-09-28"
    assert node["lines"] == [25, 27]


def test_parse_text_equals_parse_file(seed_draft, seed_path):
    raw = seed_path.read_text(encoding="utf-8")
    assert parse_text(raw, name=seed_path.name).to_dict() == seed_draft.to_dict()
    crlf = raw.replace("\n", "\r\n")
    assert parse_text(crlf, name=seed_path.name).to_dict() == seed_draft.to_dict()

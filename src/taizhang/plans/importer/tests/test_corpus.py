"""The generated corpus of issue 16 (``corpus.py``): each document parses to the asserted shape."""

from __future__ import annotations

import datetime as dt

import pytest

from taizhang.plans.importer import parse_file

from . import corpus

D = dt.date


def shape(draft):
    """(label, kind, title, due, recurrence, ongoing) of every node, depth first."""
    return [(n.label, n.kind, n.title, n.due, n.recurrence, n.ongoing) for n in draft.walk()]


def messages(draft, level=None):
    return [(d.line, d.message) for d in draft.diagnostics if level is None or d.level == level]


def test_the_corpus_has_at_least_fifteen_documents(tmp_path):
    paths = [make(tmp_path) for make in corpus.MAKERS]
    assert len(set(paths)) >= 15
    for path in paths:
        assert parse_file(path).items, path.name


def test_year_plan_with_merged_projects_and_sub_ids_in_their_own_column(tmp_path):
    draft = parse_file(corpus.make_year_plan(tmp_path))
    assert draft.title == "某某中学2025年党建工作项目化清单"
    assert shape(draft) == [
        ("6", "task", "师德师风建设", None, None, False),
        ("6—1", "task", "制定师德考核细则", None, None, False),
        ("6—2", "task", "开展师德专题讲座", None, "FREQ=MONTHLY", False),
        ("6—3", "task", "评选师德标兵", D(2025, 12, 31), None, False),
        ("7", "task", "支部标准化建设", None, None, False),
        ("7—1", "task", "规范三会一课记录", D(2025, 12, 31), None, True),
        ("7—2", "task", "建立党员积分台账", D(2025, 12, 31), None, True),
    ]
    sub = draft.items[0].children
    assert [n.units for n in sub] == [["党办", "教务处"], ["德育处", "工会"], ["工会"]]
    assert (3, "完成时限“寒假前”：寒假前（学校寒假开始的日期），没有具体日期，请在预览中填写") in messages(draft, "warning")
    assert (7, "完成时限“全年，其中目标、制度等寒假前”：分阶段：其中目标、制度等寒假前，没有具体日期，请在预览中填写") \
        in messages(draft, "warning")
    assert (2, "列的识别：第1列“项目序号”→序号；第2列“项目名称”→任务；第3列“子项编号”→子项编号；第4列“细化任务”→措施；"
               "第5列“完成节点”→完成时限；第6列“责任处室”→责任单位；第7列“分管领导”→负责人") in messages(draft, "info")


def test_sub_ids_in_the_seq_column(tmp_path):
    draft = parse_file(corpus.make_subids_in_seq(tmp_path))
    assert [(n.label, n.title, n.due) for n in draft.walk()] == [
        ("6", "理论学习", None), ("6-1", "读原著", D(2025, 3, 31)), ("6-2", "专题研讨", D(2025, 6, 30)),
        ("7", "调查研究", None), ("7.1", "确定课题", D(2025, 4, 30)), ("7.2", "形成报告", D(2025, 5, 31))]


def test_labels_written_in_cells_and_a_sub_id_twice(tmp_path):
    draft = parse_file(corpus.make_labels_in_cells(tmp_path))
    assert [(n.label, n.title) for n in draft.walk()] == [
        ("1", "组织建设"), ("（一）", "换届选举"), ("（二）", "发展党员"), ("（二）", "党员教育"),
        ("2", "作风建设"), ("①", "整治形式主义"), ("②", "转变作风")]
    assert (4, "子项编号“（二）”在任务“1”下重复出现") in messages(draft, "warning")
    assert not draft.year_needed  # every date writes its year


def test_week_schedule_day_merged_numbers_in_content_year_from_file_name(tmp_path):
    draft = parse_file(corpus.make_week_schedule(tmp_path))
    assert [(n.label, n.title, n.due, n.units) for n in draft.walk()] == [
        ("1", "校园植树", D(2024, 12, 2), ["总务处"]),
        ("2", "升旗仪式", D(2024, 12, 2), ["德育处"]),
        ("3", "主题党日活动", D(2024, 12, 4), ["党办"])]


def test_term_schedule_rolls_from_december_into_january(tmp_path):
    draft = parse_file(corpus.make_term_schedule(tmp_path))
    assert [(n.label, n.title, n.due, n.recurrence) for n in draft.walk()] == [
        ("1", "召开组织生活会", D(2024, 12, 29), None),
        ("2", "开展谈心谈话", D(2025, 1, 10), None),
        ("3", "年度述职评议", D(2024, 12, 31), None)]  # "12月底，1月初": the earlier, no rhythm


def test_yearless_schedule_asks_for_the_year_once(tmp_path):
    draft = parse_file(corpus.make_yearless_schedule(tmp_path))
    assert draft.year_needed
    assert [n.due for n in draft.walk()] == [None, None]
    assert [n.deadline_text for n in draft.walk()] == ["12月29日", "1月上旬"]
    asks = [m for line, m in messages(draft) if "请在预览中填写年份" in m]
    assert asks == ["表格中的日期没有写年份，标题、工作表名和文件名中也没有：请在预览中填写年份"]


def test_deadline_words(tmp_path):
    draft = parse_file(corpus.make_deadline_words(tmp_path))
    assert [(n.title, n.due, n.recurrence, n.ongoing) for n in draft.walk()] == [
        ("理论学习", None, "FREQ=WEEKLY", False),
        ("阵地建设", D(2025, 12, 31), None, True),
        ("课题研究", None, None, False),
        ("开学准备", None, None, False)]
    assert [line for line, _ in messages(draft, "warning")] == [5, 6]


def test_hidden_first_sheet_is_not_read_and_the_preview_names_the_sheets(tmp_path):
    draft = parse_file(corpus.make_hidden_first_sheet(tmp_path))
    assert [(n.title, n.due) for n in draft.walk()] == [("召开党委会", D(2025, 3, 31))]
    assert (None, "读取了工作表 “任务清单”；未读取的工作表：下拉选项") in messages(draft, "info")


def test_html_xls_with_short_rows(tmp_path):
    draft = parse_file(corpus.make_html_xls(tmp_path))
    assert [(n.label, n.title, n.due, n.recurrence) for n in draft.walk()] == [
        ("1", "学习教育", None, None), ("1.1", "集中学习", None, "FREQ=MONTHLY"), ("1.2", "个人自学", None, None),
        ("2", "组织生活", None, None), ("2.1", "民主评议党员", D(2025, 12, 31), None)]


def test_spreadsheetml_xls_year_from_sheet_name(tmp_path):
    draft = parse_file(corpus.make_spreadsheetml_xls(tmp_path))
    assert [(n.label, n.title, n.due) for n in draft.walk()] == [
        ("1", "召开党委会", D(2025, 3, 31)), ("2", "开展调研", D(2025, 6, 30))]


def test_bold_headings_without_numbering_definitions(tmp_path):
    draft = parse_file(corpus.make_bold_word(tmp_path))
    assert [(n.label, n.kind, n.title, n.due, n.recurrence) for n in draft.walk()] == [
        ("一、", "section", "加强政治建设", None, None),
        ("（一）", "task", "深化理论学习", None, "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("1.", "task", "开展谈心谈话", D(2025, 3, 31), None),  # "1..": a doubled dot
        ("（二）", "task", "严格组织生活", None, "FREQ=MONTHLY;INTERVAL=3"),
        ("二、", "section", "加强队伍建设", None, None),
        ("（一）", "task", "发展党员", D(2025, 6, 30), None)]
    assert messages(draft, "warning") == []  # "每月31日前" is read, not reported


def test_flat_bold_headings_are_tasks(tmp_path):
    draft = parse_file(corpus.make_flat_word(tmp_path))
    assert [(n.label, n.kind, n.due, n.recurrence) for n in draft.walk()] == [
        ("一、", "task", None, "FREQ=MONTHLY;BYMONTHDAY=-1"),
        ("二、", "task", D(2025, 6, 30), None),
        ("三、", "task", D(2025, 12, 31), None)]


def test_word_table_with_merged_task(tmp_path):
    draft = parse_file(corpus.make_word_table(tmp_path))
    assert [(n.label, n.title, n.due, n.recurrence) for n in draft.walk()] == [
        ("1", "党员教育", None, None), ("1.1", "集中轮训", D(2025, 5, 31), None),
        ("1.2", "网上学习", None, "FREQ=WEEKLY"), ("2", "发展党员", None, None),
        ("2.1", "确定积极分子", D(2025, 9, 30), None)]


def test_forwarding_notice_keeps_the_forwarded_plan_only(tmp_path):
    draft = parse_file(corpus.make_forwarding_word(tmp_path))
    assert draft.title == "区委组织部2025年组织工作要点"
    assert "请于3月底前报送落实方案" in draft.preamble
    assert [(n.label, n.kind) for n in draft.walk()] == [
        ("一、", "section"), ("1.", "task"), ("2.", "task"), ("二、", "section"), ("1.", "task")]
    assert draft.items[0].children[0].recurrence == "FREQ=MONTHLY;BYMONTHDAY=-1"


def test_doubled_and_full_width_dots(tmp_path):
    draft = parse_file(corpus.make_dotted_text(tmp_path))
    tasks = [n for n in draft.walk() if n.kind == "task"]
    assert [(n.label, n.recurrence) for n in tasks] == [
        ("1.", "FREQ=MONTHLY;BYMONTHDAY=-1"), ("2.", "FREQ=WEEKLY"), ("1.", None)]


def test_header_read_by_meaning(tmp_path):
    draft = parse_file(corpus.make_keyword_header(tmp_path))
    assert [(n.label, n.title, n.due, n.units) for n in draft.walk()] == [
        ("1", "读书月", None, ["初一年段"]), ("1.1", "师生共读一本书", D(2025, 4, 30), ["初一年段"]),
        ("2", "演讲比赛", None, ["初二年段", "初三年段"]), ("2.1", "主题演讲", D(2025, 5, 31), ["初二年段", "初三年段"])]


@pytest.mark.parametrize("text, label, rest", [
    ("1.校园植树", "1", "校园植树"), ("6—2 开展谈心谈话", "6—2", "开展谈心谈话"), ("6-2开展", "6-2", "开展"),
    ("6.2 学习", "6.2", "学习"), ("（二）主题党日", "（二）", "主题党日"), ("①学习", "①", "学习"),
    ("1.5倍提高", "", "1.5倍提高"), ("12月2日召开", "", "12月2日召开"), ("2024年计划", "", "2024年计划")])
def test_split_label(text, label, rest):
    from taizhang.plans.importer.table_cells import split_label

    assert split_label(text) == (label, rest)


def test_a_plan_of_sections_only_says_it_found_no_task():
    from taizhang.plans.importer import parse_text

    draft = parse_text("通知\n一、工作要求\n（一）加强领导\n（二）压实责任\n二、组织保障\n（一）注重实效\n", "要求.txt")
    assert not [n for n in draft.walk() if n.kind == "task"]
    assert any(d.message.startswith("没有识别出任何任务") for d in draft.diagnostics)

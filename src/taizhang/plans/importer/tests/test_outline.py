"""Outline numbering and the public API on documents written for these tests."""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pytest

from taizhang.plans.importer import DocumentError, parse_file, parse_text
from taizhang.plans.importer.clean import normalize_width
from taizhang.plans.importer.outline import match_label

from .helpers import by_path, output_corpus, source_sentences


@pytest.mark.parametrize(("line", "text", "style", "value", "rest"), [
    ("一、把握总体要求", "一、", "一、", 1, "把握总体要求"),
    ("十二、其他", "十二、", "一、", 12, "其他"),
    ("三、2023年工作回顾", "三、", "一、", 3, "2023年工作回顾"),
    ("（三）传达部署", "（三）", "（一）", 3, "传达部署"),
    ("(2)写心得", "(2)", "（1）", 2, "写心得"),
    ("1.召开党委会。", "1.", "1.", 1, "召开党委会。"),
    ("14.总结", "14.", "1.", 14, "总结"),
    ("1、9月：召开支部党员大会", "1、", "1、", 1, "9月：召开支部党员大会"),
    ("3）走访", "3）", "1）", 3, "走访"),
    ("②子项", "②", "①", 2, "子项"),
    ("⑵子项", "⑵", "⑴", 2, "子项"),
    ("第十二条 内容", "第十二条", "第条", 12, "内容"),
    ("第二章　职责", "第二章", "第章", 2, "职责"),
    ("2.3 细则", "2.3", "1.1", 3, "细则"),
])
def test_match_label(line, text, style, value, rest):
    label = match_label(line)
    assert (label.text, label.style, label.value, label.rest) == (text, style, value, rest)


@pytest.mark.parametrize("line", [
    "1.5倍", "2023年9月开始", "2023.12.31前完成", "（牵头单位：党委办公室）", "第二批主题教育",
    "十分重要", "一是加强学习", "认真学习", "9.30前完成", "",
])
def test_not_a_label(line):
    assert match_label(line) is None


DEEP = """某单位党建工作办法
第一章 总则
第一条 为加强党支部建设，制定本办法。
第二条 本办法适用于：
（一）各党支部；
（二）各党小组，具体包括：
1.机关党小组；
①第一小组。
②第二小组。
2.离退休党小组。
第二章 职责
第三条 党支部每月召开一次支委会。
第四条 党员每季度参加一次主题党日。
"""


def test_deep_nesting_with_circled_numbers_and_articles():
    draft = parse_text(DEEP)
    assert draft.title == "某单位党建工作办法"
    assert [n.label for n in draft.items] == ["第一章", "第二章"]
    assert [n.kind for n in draft.items] == ["section", "section"]
    assert [c.label for c in draft.items[0].children] == ["第一条", "第二条"]
    second = by_path(draft, "第一章", "第二条")
    assert [c.label for c in second.children] == ["（一）", "（二）"]
    group = by_path(draft, "第一章", "第二条", "（二）", "1.")
    assert [c.label for c in group.children] == ["①", "②"]
    assert by_path(draft, "第一章", "第二条", "（二）", "1.", "②").title == "第二小组"
    assert by_path(draft, "第一章", "第二条", "（二）", "2.").lines == (10, 10)
    assert by_path(draft, "第二章", "第三条").recurrence == "FREQ=MONTHLY"
    assert by_path(draft, "第二章", "第三条").evidence == "branch_committee_meeting"
    assert by_path(draft, "第二章", "第四条").recurrence == "FREQ=MONTHLY;INTERVAL=3"
    # articles are numbered through the document: 第三条 after 第二条 is no restart
    assert [d.message for d in draft.diagnostics if d.level == "warning"] == []


ORDER = """支部工作安排
1、学习
（1）读报告。
（2）写心得。
2、实践
（1）走访群众。
"""


def test_styles_in_another_order():
    draft = parse_text(ORDER)
    assert [n.label for n in draft.items] == ["1、", "2、"]
    assert [n.kind for n in draft.items] == ["section", "section"]
    assert [[c.label for c in n.children] for n in draft.items] == [["（1）", "（2）"], ["（1）"]]
    assert [d for d in draft.diagnostics if d.level == "warning"] == []


def test_flat_arabic_list_is_tasks():
    draft = parse_text("清单\n1、学习。\n2、实践。\n")
    assert [n.kind for n in draft.items] == ["task", "task"]


def test_known_style_goes_back_to_its_depth():
    text = "标题\n一、甲\n（一）甲一\n1.细项\n二、乙\n1.直接细项\n（一）乙一\n"
    draft = parse_text(text)
    two = by_path(draft, "二、")
    # 1. under 二 directly; the later （一） is 二's child, not a child of 1.
    assert [c.label for c in two.children] == ["1.", "（一）"]
    assert by_path(draft, "二、", "1.").children == []


def test_numbering_gap_duplicate_and_unparsed_deadline():
    text = "测试清单\n一、部分\n1.甲任务。\n2.乙任务。\n4.丁任务。\n4.重复任务。\n5.下月底前完成戊任务。\n"
    draft = parse_text(text)
    found = [(d.line, d.level, d.message) for d in draft.diagnostics]
    assert (5, "warning", "编号不连续：“2.”之后应是第 3 个，实际是“4.”") in found
    assert (6, "warning", "编号“4.”重复（与上一条相同）") in found
    assert (7, "warning", "无法识别完成时限：下月底前完成戊任务") in found
    assert [d.line for d in draft.diagnostics if d.line is not None] == [5, 6, 7]
    assert len(draft.items[0].children) == 5  # nothing dropped


def test_numbering_that_does_not_start_at_one():
    draft = parse_text("清单\n一、部分\n2.甲。\n3.乙。\n")
    assert [(d.line, d.message) for d in draft.diagnostics if d.level == "warning"] == [
        (3, "本级编号从“2.”开始，不是从第 1 个开始，可能漏了前面的条目"),
    ]


def test_no_numbered_items_is_an_error():
    with pytest.raises(DocumentError, match=r"^plain\.txt：没有找到带编号的条目"):
        parse_text("一份通知\n请各支部认真学习。\n按时完成。\n", name="plain.txt")


@pytest.mark.parametrize("text", ["", "\n\n  \n", "##paidbegin##\n##paidend##\n", "\u3000\u3000\r\n"])
def test_empty_text_is_an_error(text):
    with pytest.raises(DocumentError, match=r"^empty\.txt：文档是空的，没有任何文字$"):
        parse_text(text, name="empty.txt")


def test_empty_and_missing_files(tmp_path: Path):
    empty = tmp_path / "空文件.txt"
    empty.write_bytes(b"")
    with pytest.raises(DocumentError) as err:
        parse_file(empty)
    assert "空文件.txt" in str(err.value) and "\n" not in str(err.value)
    with pytest.raises(DocumentError) as err:
        parse_file(tmp_path / "missing.txt")
    assert "missing.txt" in str(err.value) and "\n" not in str(err.value)
    unnumbered = tmp_path / "note.txt"
    unnumbered.write_text("通知\n请认真学习。\n", encoding="utf-8")
    with pytest.raises(DocumentError, match="note.txt：没有找到带编号的条目"):
        parse_file(unnumbered)


def test_crlf_and_full_width_digits():
    text = "清单\r\n一、部分\r\n１．召开党委会，１０月１５日前完成。\r\n２．每月开展集中学习。\r\n"
    draft = parse_text(text)
    first, second = draft.items[0].children
    assert first.label == "1." and first.title == "召开党委会"
    assert first.lines == (3, 3)
    assert first.text == "1.召开党委会，10月15日前完成。"
    assert second.recurrence == "FREQ=MONTHLY"
    assert draft.diagnostics[-1].message.startswith("未找到主题教育期间")


def test_year_from_title_and_signature_block():
    text = (
        "第三党支部2023年学习计划\n一、安排\n1、9月底前召开支部党员大会。\n2、年底前完成总结。\n"
        "\n机关党委办公室\n2023年9月8日\n"
    )
    draft = parse_text(text)
    one, two = draft.items[0].children
    assert one.due == date(2023, 9, 30) and one.due_workday == date(2023, 9, 28)
    assert two.due == date(2023, 12, 31)
    assert two.lines == (4, 4) and "机关党委办公室" not in two.text
    signature = [d for d in draft.diagnostics if d.level == "info" and d.line == 6]
    assert len(signature) == 1
    assert signature[0].message == "第 6–7 行是落款，不属于任何条目：机关党委办公室 2023年9月8日"


def test_owners_in_parentheses_override_and_are_inherited():
    text = (
        "某局任务安排\n一、抓好班子学习\n（牵头单位：党委办公室；责任单位：各党支部）\n"
        "（一）制定学习计划\n4月15日前印发学习计划。\n二、抓实支部学习\n（一）传达部署\n"
    )
    draft = parse_text(text)
    one = draft.items[0]
    assert (one.responsible, one.lead_unit, one.responsible_units) == ("branch", "党委办公室", "各党支部")
    assert by_path(draft, "一、", "（一）").responsible == "branch"
    assert by_path(draft, "二、").responsible == "branch"  # from its own heading (支部)
    assert draft.items[0].children[0].lines == (4, 5)


def test_note_and_preamble():
    text = "清单\n说明文字在前。\n一、部分\n1.任务甲。\n备注：以上任务按月报送。\n请遵照执行。\n"
    draft = parse_text(text)
    assert draft.preamble == "说明文字在前。"
    assert [n.kind for n in draft.items] == ["section", "note"]
    note = draft.items[1]
    assert note.text == "备注：以上任务按月报送。\n请遵照执行。" and note.lines == (5, 6)
    assert note.responsible is None and note.evidence is None


def test_label_alone_on_its_line_takes_the_next_line_as_title():
    draft = parse_text("清单\n一、\n组织领导\n1.\n召开党委会。研究部署。\n")
    assert draft.items[0].title == "组织领导"
    assert draft.items[0].children[0].title == "召开党委会"


def test_long_first_sentence_is_cut_at_a_comma():
    draft = parse_text("清单\n一、部分\n（1）9月底之前，各党支部需单独制定学习计划，每月扎实开展学习教育。\n")
    assert draft.items[0].children[0].title == "各党支部需单独制定学习计划"


def test_no_text_lost_in_own_documents():
    for doc in (DEEP, ORDER):
        corpus = output_corpus(parse_text(doc))
        assert [s for s in source_sentences(doc) if s not in corpus] == []


def test_importer_never_imports_django():
    root = Path(__file__).resolve().parents[1]
    offenders = [
        str(path.relative_to(root))
        for path in root.rglob("*.py")
        if re.search(r"^\s*(?:from|import)\s+django\b", path.read_text(encoding="utf-8"), re.M)
    ]
    assert offenders == []


def test_lists_of_more_than_99_items_keep_counting():
    # Found by a new user: a list of 105 items stopped at 99 and swallowed 100–105 silently.
    from taizhang.plans.importer import parse_text

    text = "清单\n一、任务\n" + "".join(f"{i}.开展学习{i}。\n" for i in range(1, 106))
    draft = parse_text(text)
    labels = [child.label for child in draft.items[0].children]
    assert len(labels) == 105 and labels[-1] == "105."
    assert draft.items[0].children[99].title == "开展学习100"


# -- Roman numerals, enclosed numbers and 第一部分 (a new user's task lists) --------------------

@pytest.mark.parametrize(("line", "text", "style", "value", "rest"), [
    ("Ⅰ、抓好班子学习", "Ⅰ、", "Ⅰ", 1, "抓好班子学习"),
    ("Ⅲ．推进整改", "Ⅲ．", "Ⅰ", 3, "推进整改"),  # full-width stop (cleaning makes it ".")
    ("Ⅳ 总结", "Ⅳ", "Ⅰ", 4, "总结"),
    ("ⅩⅡ、其他", "ⅩⅡ、", "Ⅰ", 12, "其他"),
    ("II. 重点任务", "II.", "Ⅰ", 2, "重点任务"),  # ASCII letters: the same style as Ⅱ
    ("IV、工作要求", "IV、", "Ⅰ", 4, "工作要求"),
    ("ⅱ.细化分工", "ⅱ.", "ⅰ", 2, "细化分工"),
    ("iii.抓好督导", "iii.", "ⅰ", 3, "抓好督导"),  # Word lowerRoman
    ("③、走访群众", "③、", "①", 3, "走访群众"),
    ("➁谈心谈话", "➁", "①", 2, "谈心谈话"),  # dingbat circled: the same style as ②
    ("㉑第二十一项", "㉑", "①", 21, "第二十一项"),
    ("❷建立台账", "❷", "❶", 2, "建立台账"),
    ("➋建立台账", "➋", "❶", 2, "建立台账"),
    ("⓫第十一项", "⓫", "❶", 11, "第十一项"),
    ("⓶细项", "⓶", "⓵", 2, "细项"),
    ("㊂细项", "㊂", "㊀", 3, "细项"),
    ("第二部分 基层党组织", "第二部分", "第部分", 2, "基层党组织"),
    ("第三部分：工作要求", "第三部分：", "第部分", 3, "工作要求"),
    ("第一部分", "第一部分", "第部分", 1, ""),  # alone on its line: title on the next line
])
def test_match_label_roman_enclosed_and_parts(line, text, style, value, rest):
    label = match_label(line)
    assert (label.text, label.style, label.value, label.rest) == (text, style, value, rest)


@pytest.mark.parametrize("line", [
    "I. M. Pei designed it", "I.e. 即", "V.2版本说明", "IX.2023 会议", "XII. 2023年", "IIII.错",
    "C.选项", "Ⅲ级响应", "Ⅱ类问题", "①②两项工作由党委负责", "①至③项按月报送", "①、②项合并",
    "第二批主题教育", "MIX. 混合",
])
def test_not_a_roman_or_enclosed_label(line):
    assert match_label(line) is None


PARTS = """某党委2024年党建工作安排
第一部分 抓好领导班子建设
一、加强理论学习
1.召开党委会，研究年度学习计划。
2.开展中心组学习。
①3月底前学习党章。
②6月底前学习条例。
二、开展调查研究
1.班子成员每人牵头一个调研课题。
第二部分
抓实基层党组织建设
一、规范组织生活
1.党支部每月召开支委会。
"""


def test_parts_are_outline_levels_above_sections():
    draft = parse_text(PARTS)
    assert [(n.label, n.kind, n.title, n.responsible) for n in draft.items] == [
        ("第一部分", "section", "抓好领导班子建设", "committee"),
        ("第二部分", "section", "抓实基层党组织建设", "branch"),
    ]
    # under a part, 一、 headings stay sections and 1. items stay tasks
    assert [(n.label, n.kind, n.title) for n in draft.items[0].children] == [
        ("一、", "section", "加强理论学习"), ("二、", "section", "开展调查研究")]
    study = by_path(draft, "第一部分", "一、", "2.")
    assert (study.kind, study.evidence) == ("task", "central_group_study")
    assert [(c.label, c.title, c.due) for c in study.children] == [
        ("①", "3月底前学习党章", date(2024, 3, 31)), ("②", "6月底前学习条例", date(2024, 6, 30))]
    # the section's own words give its level, not the part above it (党支部 → branch)
    assert by_path(draft, "第二部分", "一、", "1.").responsible == "branch"
    assert by_path(draft, "第二部分", "一、", "1.").recurrence == "FREQ=MONTHLY"
    assert draft.items[1].lines == (10, 13)
    assert [d for d in draft.diagnostics if d.level == "warning"] == []


ROMAN = """支部2023年工作要点
Ⅰ．抓好学习
一、集中学习
1.每月开展1次集中学习。
Ⅱ．抓好调研
一、走访群众
1.走访困难党员，10月底前完成。
Ⅲ．工作要求
1.杜绝形式主义。
"""


def test_roman_headings_are_the_top_level():
    draft = parse_text(ROMAN)
    assert [(n.label, n.kind, n.title) for n in draft.items] == [
        ("Ⅰ.", "section", "抓好学习"), ("Ⅱ.", "section", "抓好调研"), ("Ⅲ.", "section", "工作要求")]
    assert by_path(draft, "Ⅰ.", "一、", "1.").recurrence == "FREQ=MONTHLY"
    assert by_path(draft, "Ⅱ.", "一、").kind == "section"
    assert by_path(draft, "Ⅱ.", "一、", "1.").due == date(2023, 10, 31)  # year from the title
    assert by_path(draft, "Ⅲ.", "1.").kind == "note"  # 工作要求 under a part: notes
    assert [d for d in draft.diagnostics if d.level == "warning"] == []


def test_ascii_roman_headings_and_english_lines():
    text = ("Work plan\nI. 抓好学习\n1.开展集中学习。\nI. M. Pei 的讲座资料附后。\nII. 抓好调研\n1.开展走访。\n"
            "IX.2023 版本说明。\n")
    draft = parse_text(text)
    assert [(n.label, n.title) for n in draft.items] == [("I.", "抓好学习"), ("II.", "抓好调研")]
    first = by_path(draft, "I.", "1.")
    assert first.text == "1.开展集中学习。\nI. M. Pei 的讲座资料附后。"  # an English line is body text
    assert by_path(draft, "II.", "1.").text.endswith("IX.2023 版本说明。")


def test_enclosed_numbers_inside_a_sentence_stay_text():
    text = ("清单\n一、学习\n1.开展学习，内容包括①党章②党的二十大报告。\n"
            "①②两项由各党支部负责。\n2.开展调研。\n")
    draft = parse_text(text)
    first = by_path(draft, "一、", "1.")
    assert first.children == []
    assert first.text == "1.开展学习，内容包括①党章②党的二十大报告。\n①②两项由各党支部负责。"
    assert [c.label for c in draft.items[0].children] == ["1.", "2."]


def test_negative_circled_numbers_are_their_own_level():
    text = "清单\n1.开展学习。\n❶读原著。\n①第一章。\n②第二章。\n❷写心得。\n"
    draft = parse_text(text)
    first = draft.items[0]
    assert [c.label for c in first.children] == ["❶", "❷"]
    assert [c.label for c in first.children[0].children] == ["①", "②"]
    assert [d for d in draft.diagnostics if d.level == "warning"] == []


def test_no_text_lost_with_new_styles():
    for doc in (PARTS, ROMAN):
        corpus = output_corpus(parse_text(doc))
        # "Ⅰ．" is kept as "Ⅰ." (clean.normalize_width): compare width-normalised sentences
        assert [s for s in source_sentences(normalize_width(doc)) if s not in corpus] == []


def test_outline_levels_of_the_new_styles():
    from taizhang.plans.importer.outline import build_outline

    lines = list(enumerate(["工作安排", "第一部分 总体", "Ⅰ、班子", "一、学习", "1.读原著。", "❶第一章。",
                            "①第一节。", "Ⅱ、支部", "第二部分 保障"], start=1))
    outline = build_outline(lines)
    assert outline.styles == ["第部分", "Ⅰ", "一、", "1.", "❶", "①"]

    def depths(items):
        for item in items:
            yield item.label.text, item.depth
            yield from depths(item.children)

    assert list(depths(outline.items)) == [
        ("第一部分", 0), ("Ⅰ、", 1), ("一、", 2), ("1.", 3), ("❶", 4), ("①", 5), ("Ⅱ、", 1), ("第二部分", 0)]

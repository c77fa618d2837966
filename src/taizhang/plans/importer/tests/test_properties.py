"""Property: for any outline document built from known label styles, the importer recovers the
tree exactly, reports no numbering problem, and loses no text."""

from __future__ import annotations

from datetime import date

from hypothesis import given, settings
from hypothesis import strategies as st

from taizhang.plans.importer import parse_text

from .helpers import output_corpus, source_sentences

CN = "一二三四五六七八九十"
STYLES = {
    "一、": lambda n: f"{_cn(n)}、",
    "（一）": lambda n: f"（{_cn(n)}）",
    "1.": lambda n: f"{n}.",
    "1、": lambda n: f"{n}、",
    "（1）": lambda n: f"（{n}）",
    "①": lambda n: "①②③④⑤⑥⑦⑧⑨⑩"[n - 1],
    "第一条": lambda n: f"第{_cn(n)}条 ",
    "Ⅰ、": lambda n: "ⅠⅡⅢⅣⅤⅥⅦⅧⅨⅩ"[n - 1] + "、",
    "❶": lambda n: "❶❷❸❹❺❻❼❽❾❿"[n - 1],
    "第一部分": lambda n: f"第{_cn(n)}部分 ",
}
# Body text that cannot start a label: no digits, numerals, parentheses or 第.
WORDS = st.text(alphabet="学习党支部开展组织工作会议落实整改建设要求群众服务", min_size=2, max_size=12)
SENTENCE_END = st.sampled_from(["。", "！", "", "，并抓好落实。"])


def _cn(n: int) -> str:
    return CN[n - 1] if n <= 10 else "十" + CN[n - 11]


@st.composite
def trees(draw, depth=0, max_depth=3):
    """A list of items; an item is (heading words, [body lines], children)."""
    count = draw(st.integers(min_value=1, max_value=4 if depth else 3))
    items = []
    for _ in range(count):
        heading = draw(WORDS) + draw(SENTENCE_END)
        body = draw(st.lists(WORDS.map(lambda w: w + "。"), max_size=2))
        children = draw(trees(depth + 1, max_depth)) if depth < max_depth and draw(st.booleans()) else []
        items.append((heading, body, children))
    return items


def _render(items, styles, depth, out):
    for number, (heading, body, children) in enumerate(items, start=1):
        out.append(STYLES[styles[depth]](number) + heading)
        out.extend(body)
        _render(children, styles, depth + 1, out)


def _shape(items):
    return [(len(body) + 1, _shape(children)) for _, body, children in items]


def _node_shape(nodes):
    return [(len(node.text.split("\n")), _node_shape(node.children)) for node in nodes]


@settings(max_examples=150, deadline=None)
@given(
    items=trees(),
    styles=st.permutations(list(STYLES)).map(lambda s: s[:4]),
    crlf=st.booleans(),
    preamble=st.lists(WORDS.map(lambda w: w + "。"), max_size=2),
)
def test_outline_round_trip(items, styles, crlf, preamble):
    lines = ["生成的任务清单"] + preamble
    _render(items, styles, 0, lines)
    text = ("\r\n" if crlf else "\n").join(lines) + "\n"

    draft = parse_text(text)

    assert draft.title == "生成的任务清单"
    assert draft.preamble == "\n".join(preamble)
    assert _node_shape(draft.items) == _shape(items)
    # no numbering problem; "no task recognised" is a note on the outline's kinds (a
    # generated outline may be all headings), true exactly when no node is a task
    no_task = [d for d in draft.diagnostics if d.message.startswith("没有识别出任何任务")]
    assert [d for d in draft.diagnostics if d.level == "warning" and d not in no_task] == []
    assert bool(no_task) == (not any(node.kind == "task" for node in draft.walk()))
    corpus = output_corpus(draft)
    assert [s for s in source_sentences(text) if s not in corpus] == []
    last = max(node.lines[1] for node in draft.walk())
    assert last == len(lines)


# -- enumerations "一是……；二是……" inside a task (enumeration.py) ---------------------------

# Words without numerals, level keywords (党, 支部), owners (负责, 牵头), recurrence (每) or dates.
PLAIN = st.text(alphabet="学习开展工作会议落实整改建设群众服务推进调研走访", min_size=2, max_size=10)
DEADLINES = {"9月底前": date(2023, 9, 30), "10月15日前": date(2023, 10, 15),
             "11月中旬前": date(2023, 11, 20)}
PART_SEP = st.sampled_from(["；", "，", "。", "\n"])


@settings(max_examples=150, deadline=None)
@given(
    parts=st.lists(st.tuples(PLAIN, st.sampled_from([None, *DEADLINES]), st.booleans()),
                   min_size=2, max_size=5),
    sep=PART_SEP,
    lead=PLAIN,
    tail=st.lists(PLAIN.map(lambda w: w + "。"), max_size=1),
)
def test_enumeration_sub_items(parts, sep, lead, tail):
    body = sep.join(
        f"{_cn(i)}是" + (when or "" if before else "") + words + ("" if before else when or "")
        for i, (words, when, before) in enumerate(parts, start=1)
    ) + "。"
    lines = ["生成的任务清单", "本次主题教育从2023年9月开始，2024年1月基本结束。", "一、重点任务",
             f"1.{lead}。{body}", *tail]
    text = "\n".join(lines) + "\n"

    draft = parse_text(text)

    task = draft.items[0].children[0]
    dated = sum(1 for _, when, _ in parts if when)
    if dated >= 2 and 2 * dated >= len(parts):
        assert [c.label for c in task.children] == [f"{_cn(i)}是" for i in range(1, len(parts) + 1)]
        assert [c.due for c in task.children] == [DEADLINES.get(when) for _, when, _ in parts]
        assert task.due is None  # the task itself names no date outside its parts
        assert {c.lines for c in task.children} <= {(4, 4), (5, 5), (6, 6), (7, 7), (8, 8)}
    else:
        assert task.children == []
        assert task.due == max((DEADLINES[w] for _, w, _ in parts if w), default=None)
    corpus = output_corpus(draft)
    assert [s for s in source_sentences(text) if s not in corpus] == []
    # no numbering problem; "no task recognised" is a note on the outline's kinds (a
    # generated outline may be all headings), true exactly when no node is a task
    no_task = [d for d in draft.diagnostics if d.message.startswith("没有识别出任何任务")]
    assert [d for d in draft.diagnostics if d.level == "warning" and d not in no_task] == []
    assert bool(no_task) == (not any(node.kind == "task" for node in draft.walk()))

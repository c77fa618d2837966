"""Property: for any outline document built from known label styles, the importer recovers the
tree exactly, reports no numbering problem, and loses no text."""

from __future__ import annotations

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
    assert [d for d in draft.diagnostics if d.level == "warning"] == []
    corpus = output_corpus(draft)
    assert [s for s in source_sentences(text) if s not in corpus] == []
    last = max(node.lines[1] for node in draft.walk())
    assert last == len(lines)

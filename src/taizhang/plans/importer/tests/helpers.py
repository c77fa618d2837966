"""Helpers shared by the importer tests (no fixtures here; see conftest.py)."""

from __future__ import annotations

import re

from taizhang.plans.importer.model import PlanDraft

MARKER_RE = re.compile(r"##paid(?:begin|end)##")
SENTENCE_SPLIT_RE = re.compile(r"[。！？]")


def source_sentences(raw: str) -> list[str]:
    """Every sentence of a source text, split on 。！？ and line ends, markers removed."""
    out = []
    for line in re.split(r"\r\n|\r|\n", raw):
        line = MARKER_RE.sub("", line)
        for sentence in SENTENCE_SPLIT_RE.split(line):
            sentence = sentence.strip()
            if sentence:
                out.append(sentence)
    return out


def output_corpus(draft: PlanDraft) -> str:
    """All text the draft keeps: title, preamble, every node's text, every diagnostic."""
    parts = [draft.title, draft.preamble]
    parts.extend(node.text for node in draft.walk())
    parts.extend(d.message for d in draft.diagnostics)
    return "\n".join(parts)


def by_path(draft: PlanDraft, *labels: str):
    """The node reached by following labels from the top, e.g. by_path(d, "三、", "2.", "（1）")."""
    nodes = draft.items
    node = None
    for label in labels:
        matches = [n for n in nodes if n.label == label]
        assert len(matches) == 1, f"{label!r} not unique among {[n.label for n in nodes]}"
        node = matches[0]
        nodes = node.children
    return node

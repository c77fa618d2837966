"""A notice that forwards another notice: two documents in one file (issue 16 §2).

Offices pass plans down by forwarding them: "关于转发《……工作要点》的通知 / 各党支部： / 现将《……》
转发给你们，请结合实际认真贯彻落实。1. 请于3月底前报送…… / 附件 / ……工作要点 / 一、……". The plan is
the forwarded document, the one that holds the task list; the forwarding notice (with any
numbered requests of its own) is its preamble, never tasks mixed into the plan.

Pure Python. :func:`split_forwarding` finds the forwarded document's title: the first line
after the forwarding sentence that is short, unnumbered, without sentence punctuation, ends
like a document title (通知/方案/计划/要点/清单/安排/意见/办法) and is followed by numbered lines.
"""

from __future__ import annotations

import re

from .outline import Line, match_label

# The forwarding notice's own title or sentence.
FORWARD_RE = re.compile(r"转发|现将.{0,80}?(?:印发|转发|下发)给你们")
TITLE_END_RE = re.compile(r"(?:通知|方案|计划|要点|清单|安排|意见|办法|细则|任务|台账)[》」]?$")
_SENTENCE_RE = re.compile(r"[。；;：:！？!?，,]")
_ATTACHMENT_RE = re.compile(r"^附\s*件\s*\d*\s*[：:]?\s*")
_SEARCH_LINES = 12  # the forwarding sentence is near the top
_TITLE_MAX = 60


def split_forwarding(lines: list[Line]) -> tuple[list[Line], list[Line]]:
    """(the forwarding notice's lines, the forwarded document's lines), or ([], lines) when
    ``lines`` (cleaned (number, text) pairs) are not a forwarding notice."""
    texts = [(i, text) for i, (_, text) in enumerate(lines) if text]
    head = texts[:_SEARCH_LINES]
    forward_at = next((i for i, text in head if FORWARD_RE.search(text)), None)
    if forward_at is None:
        return [], lines
    for pos, (i, text) in enumerate(texts):
        if i <= forward_at:
            continue
        candidate = _ATTACHMENT_RE.sub("", text).strip()
        if not candidate or len(candidate) > _TITLE_MAX or _SENTENCE_RE.search(candidate):
            continue
        if match_label(candidate) is not None or not TITLE_END_RE.search(candidate):
            continue
        if FORWARD_RE.search(candidate):
            continue  # the forwarding notice's own title
        following = [t for _, t in texts[pos + 1:pos + 30]]
        if any(match_label(t) is not None for t in following):
            if candidate != text:  # "附件：……工作要点" on one line: the title is the plan's first line
                number = lines[i][0]
                return lines[:i] + [(number, text[:len(text) - len(candidate)].strip())], \
                    [(number, candidate)] + lines[i + 1:]
            return lines[:i], lines[i:]
    return [], lines

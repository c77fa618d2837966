"""Header rows of tables as offices write them: normalising a header cell, naming its column
by the exact names an importer knows or by what it says, and finding the header row among
the first rows whatever stands above it (titles, notes, blank rows). Pure Python, no Django.

Used by the plan importer (columns by meaning, issue 16 §1), the roster (``orgs.roster``) and
the rectification ledger (``rectification.ledger_parse``), each with its own names.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable

_BRACKETS = re.compile(r"[（(【\[].*?[）)】\]]")
_MARKS = re.compile(r"[\s\u3000*＊:：]+")
# A header cell is a name, not a sentence: longer cells are data.
HEADER_MAX_CHARS = 14
HEADER_SEARCH_ROWS = 15


def normalise_header(cell: str) -> str:
    """A header cell as compared: NFKC (full width → ASCII), bracketed notes, whitespace and
    marks (``*``, ``：``) removed, "／" as "/". "完成\\n时限（截止）" → "完成时限"."""
    text = unicodedata.normalize("NFKC", cell or "")
    return _MARKS.sub("", _BRACKETS.sub("", text)).replace("／", "/")


def classify_header(cell: str, exact: dict[str, str],
                    keywords: Iterable[tuple[str, tuple[str, ...]]] = ()) -> str | None:
    """The key of the column a header cell names, or None.

    ``exact``: normalised name → key (tried first). ``keywords``: (key, words) pairs tried in
    order; the first key one of whose words the cell contains wins ("细化任务" with
    ``[("measure", ("细化",)), ("task", ("任务",))]`` → "measure"). Cells over
    :data:`HEADER_MAX_CHARS` characters are never headers.
    """
    name = normalise_header(cell)
    if not name or len(name) > HEADER_MAX_CHARS:
        return None
    if name in exact:
        return exact[name]
    for key, words in keywords:
        if any(word in name for word in words):
            return key
    return None


def find_header_row(rows: list[tuple[int, list[str]]], classify: Callable[[str], str | None],
                    accept: Callable[[set[str]], bool],
                    search_rows: int = HEADER_SEARCH_ROWS) -> tuple[int, set[str]] | None:
    """(index into ``rows``, keys it names) of the row among the first ``search_rows`` that
    ``accept`` takes and names the most columns; the first such row on a tie. None when no
    row qualifies. ``rows``: (row number, cells) pairs; ``classify``: header cell → key."""
    best: tuple[int, set[str]] | None = None
    for i, (_number, cells) in enumerate(rows[:search_rows]):
        keys = {key for key in map(classify, cells) if key}
        if accept(keys) and (best is None or len(keys) > len(best[1])):
            best = (i, keys)
    return best

"""Pages of a long import preview (issue 16 §3: "a plan over 200 items is collapsed by
section and paged, never one page of tens of MB").

A draft of at most :data:`PAGED_OVER` items is one page, as before. A longer one is cut into
pages of whole top-level sections, at most :data:`PAGE_ITEMS` rows each (a row renders six
form widgets: 100 rows is a page of about 1 MB that Django renders in about a second) (a section longer
than that is cut into runs of rows); the preview shows every section collapsed to its title
and count, with the page it is on, and the editable rows of one page only.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .forms import flatten

PAGED_OVER = 200
PAGE_ITEMS = 100


@dataclass
class Page:
    """One page: its 1-based ``number`` and the keys ("0-2-1") of the rows it edits."""

    number: int
    keys: list[str] = field(default_factory=list)


@dataclass
class SectionSummary:
    """A top-level item collapsed: its label, title, how many items it holds, its page."""

    label: str
    title: str
    count: int
    page: int


def paginate(draft: dict, page_items: int = PAGE_ITEMS,
             paged_over: int = PAGED_OVER) -> tuple[list[Page], list[SectionSummary]]:
    """Cut the draft's rows into pages of whole top-level sections (see the module
    docstring). Returns ([one page with every key], []) for a draft of at most
    ``paged_over`` rows, else (pages, one summary per top-level item)."""
    rows = list(flatten(draft.get("items") or []))
    if len(rows) <= paged_over:
        return [Page(1, [key for key, _depth, _node in rows])], []
    groups: list[list[str]] = []
    for key, depth, _node in rows:
        if depth == 0:
            groups.append([])
        groups[-1].append(key)
    pages: list[Page] = [Page(1)]
    summaries = []
    for group, top in zip(groups, draft["items"], strict=True):
        if pages[-1].keys and len(pages[-1].keys) + len(group) > page_items:
            pages.append(Page(len(pages) + 1))
        summaries.append(SectionSummary(top.get("label") or "", top.get("title") or "", len(group), pages[-1].number))
        for key in group:
            if len(pages[-1].keys) >= page_items:
                pages.append(Page(len(pages) + 1))
            pages[-1].keys.append(key)
    return pages, summaries


def page_number(value, pages: list[Page]) -> int:
    """The page asked for (``?page=``/POST ``page``), clamped to 1..len(pages)."""
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return min(max(number, 1), len(pages))

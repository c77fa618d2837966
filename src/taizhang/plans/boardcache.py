"""A cache of the board page as computed (issue 14 §4), that never shows stale work.

The page's rows, cells, totals and their HTML (``plans.boardsql.shown_board`` and the
``board_rows`` tag) are kept in Django's cache under a key made of everything they depend
on: the campaign (its ``updated_at`` moves on every publish, which is when assignments and
periods are added or removed), the columns (task ids, deadlines, recurrence: read every
request, one query), the user's subtrees, the query string, today's date (statuses move
with it), the row limit, the language, and a version stamp read every request: the latest
``updated_at`` of all assignments, periods and organizations — three index-only look-ups in
one query. Every status move (records, reviews), deadline change and organization edit
saves ``updated_at`` (``core.status.apply_transition`` saves the object;
``publishing._update_by_value`` writes it with the deadlines), so the next request after any
change misses the cache and computes afresh: the city sees a branch's record at once (issue
12). ``TAIZHANG_BOARD_CACHE_SECONDS`` (default 300; 0 turns the cache off) bounds how long an
unchanged board is kept.
"""

from __future__ import annotations

import hashlib

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from taizhang.core.scoping import scope_paths
from taizhang.orgs.models import Organization

from .board import board_columns
from .boardsql import shown_board
from .models import Assignment, Campaign, Occurrence
from .rollup import rows_limit

SECONDS_SETTING = "TAIZHANG_BOARD_CACHE_SECONDS"
DEFAULT_SECONDS = 300

_STAMP_SQL = " ".join([
    "SELECT",
    ", ".join(f"(SELECT MAX(updated_at) FROM {model._meta.db_table})"
              for model in (Assignment, Occurrence, Organization)),
])


def version_stamp() -> tuple:
    """The latest ``updated_at`` of assignments, periods and organizations (one query; each
    an index look-up, ``updated_at`` being indexed on the three tables)."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL)
        return tuple(str(value) for value in cursor.fetchone())


def cached_board(campaign: Campaign, user, drill_url, *, query: str, page=1, rollup: bool = False,
                 **args):
    """``shown_board(campaign, user, drill_url, page=…, rollup=…, **args)`` and the HTML of
    its rows (``templatetags.plans.board_rows``), from the cache when nothing it depends on
    has changed (module docstring). ``query`` is the request's query string (the drill-down
    links are built from it). Returns (board, page or None, rolled up, rows HTML)."""
    from .templatetags.plans import board_rows

    seconds = int(getattr(settings, SECONDS_SETTING, DEFAULT_SECONDS))
    if seconds <= 0:
        board, shown, rolled_up = shown_board(campaign, user, drill_url, page=page, rollup=rollup, **args)
        return board, shown, rolled_up, board_rows(board)
    columns = board_columns(campaign, args.get("responsible", "branch"), args.get("section"),
                            args.get("month"))
    today = args.get("today") or timezone.localdate()
    key_parts = (
        campaign.pk, str(campaign.updated_at), version_stamp(),
        [(i.pk, str(i.due), str(i.due_workday), i.recurrence, i.ref, i.title) for i in columns],
        scope_paths(user), query, str(today), rows_limit(), translation.get_language(), page, rollup,
    )
    key = "taizhang:board:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        board, count, number, rolled_up, html = found
        shown = Paginator(range(count), rows_limit()).get_page(number) if count else None
        return board, shown, rolled_up, mark_safe(html)
    board, shown, rolled_up = shown_board(campaign, user, drill_url, page=page, rollup=rollup,
                                          columns=columns, **{**args, "today": today})
    html = board_rows(board)
    cache.set(key, (board, shown.paginator.count if shown else 0, shown.number if shown else 0,
                    rolled_up, str(html)), seconds)
    return board, shown, rolled_up, html

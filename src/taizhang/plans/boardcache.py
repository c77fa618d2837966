"""A cache of the board page as computed (issue 14 §4), that never shows stale work.

The page's rows, cells and totals (``plans.boardsql.shown_board``) and the HTML of the
page's content are kept in Django's cache under a key made of everything they depend
on: the campaign (its ``updated_at`` moves on every publish, which is when assignments and
periods are added or removed), the user's subtrees, the query string, today's date
(statuses move with it), the row limit, the language, and a version stamp read every
request: the latest ``updated_at`` of all assignments, periods and organizations (index-only
look-ups) and of the plan's items with their number (the columns) — one query. Every status move (records, reviews), deadline change and organization edit
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
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from taizhang.core.scoping import scope_paths
from taizhang.orgs.models import Organization

from .boardsql import shown_board
from .models import Assignment, Campaign, Occurrence, PlanItem
from .rollup import rows_limit

SECONDS_SETTING = "TAIZHANG_BOARD_CACHE_SECONDS"
DEFAULT_SECONDS = 300

_STAMP_SQL = "SELECT " + ", ".join(
    [f"(SELECT MAX(updated_at) FROM {model._meta.db_table})" for model in (Assignment, Occurrence, Organization)]
    + [f"(SELECT MAX(updated_at) FROM {PlanItem._meta.db_table} WHERE plan_id = %s)",
       f"(SELECT COUNT(*) FROM {PlanItem._meta.db_table} WHERE plan_id = %s)"])


def version_stamp(campaign: Campaign) -> tuple:
    """The latest ``updated_at`` of assignments, periods and organizations (each an index
    look-up, ``updated_at`` being indexed on the three tables) and the latest ``updated_at``
    and the number of ``campaign``'s plan items (its columns). One query."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL, [campaign.plan.pk, campaign.plan.pk])
        return tuple(str(value) for value in cursor.fetchone())


class _Found:
    """What the cache holds besides the board: the content HTML and the page's position."""

    def __init__(self, html: str, count: int, number: int, rolled_up: bool):
        self.html, self.count, self.number, self.rolled_up = html, count, number, rolled_up


def cached_board_page(campaign: Campaign, user, drill_url, render, *, query: str, page=1,
                      rollup: bool = False, **args):
    """The board page's content: ``render(board, page, rolled_up, rows_html) -> str`` of
    ``shown_board(campaign, user, drill_url, page=…, rollup=…, **args)`` and its rows' HTML
    (``templatetags.plans.board_rows``), from the cache when nothing it depends on has changed
    (module docstring). ``query`` is the request's query string (the drill-down links are
    built from it). Returns (HTML, board, page or None, rolled up); on a hit the board is
    read from the cache only if used (a lazy object). Queries on a hit: one (the stamp)."""
    from .templatetags.plans import board_rows

    seconds = int(getattr(settings, SECONDS_SETTING, DEFAULT_SECONDS))
    today = args.get("today") or timezone.localdate()
    args = {**args, "today": today}
    key = None
    if seconds > 0:
        key_parts = (campaign.pk, str(campaign.updated_at), version_stamp(campaign), scope_paths(user),
                     query, str(today), rows_limit(), translation.get_language(), page, rollup)
        key = "taizhang:board:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()
        found = cache.get(key)
        if found is not None:
            shown = Paginator(range(found.count), rows_limit()).get_page(found.number) if found.count else None

            def board():
                board = cache.get(key + ":board")
                if board is None:  # evicted meanwhile: computed again
                    board = shown_board(campaign, user, drill_url, page=page, rollup=rollup, **args)[0]
                return board

            return mark_safe(found.html), SimpleLazyObject(board), shown, found.rolled_up
    board, shown, rolled_up = shown_board(campaign, user, drill_url, page=page, rollup=rollup, **args)
    html = render(board, shown, rolled_up, board_rows(board))
    if key:
        cache.set_many({key: _Found(str(html), shown.paginator.count if shown else 0,
                                    shown.number if shown else 0, rolled_up),
                        key + ":board": board}, seconds)
    return mark_safe(html), board, shown, rolled_up

"""A cache of the board page as computed (issue 14 §4), that never shows stale work, and
that after a change computes again only the rows that changed.

Two entries per board page, under a key made of everything the page depends on but the
data's version: the campaign (its ``updated_at`` moves on every publish, which is when
assignments and periods are added or removed), the user's subtrees, the query string, today's
date (statuses move with it), the row limit, the language and the page:

- the page's content HTML with the version stamp it was computed at, read every request;
- the page's makings (``plans.boardparts.Parts``: the page's rows, the counts per group of
  organizations) and each row's HTML, read when the stamp moved.

The version stamp, read every request (one query, index-only look-ups): the latest
``updated_at`` of all assignments, periods and organizations and of the plan's items with
their number (the columns). Every status move (records, reviews), deadline change and
organization edit saves ``updated_at`` (``core.status.apply_transition`` saves the object;
``publishing._update_by_value`` writes it with the deadlines), so the next request after any
change sees it (the city sees a branch's record at once, issue 12):

- nothing moved: the HTML as kept (one query);
- only assignments or periods moved: the organizations whose assignments or periods were
  saved since the kept stamp (or up to :data:`RACE_SECONDS` before it was read, for a
  transaction that committed after a later one) are read by the ``updated_at`` indexes (one query) and
  ``boardparts.refresh`` counts their groups and rows again (at most two queries); only the
  changed rows are rendered again, then the page's frame (totals, columns);
- anything else moved (an organization, a task), more than :data:`MAX_CHANGED`
  organizations changed, a status filter, or the makings are older than the cache's
  lifetime: the page is computed afresh.

``TAIZHANG_BOARD_CACHE_SECONDS`` (default 300; 0 turns the cache off) bounds how long a board
is kept, and how long kept makings are refreshed before being computed afresh.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import re
import time

from django.conf import settings
from django.core.cache import cache
from django.core.paginator import Paginator
from django.db import connection
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import mark_safe

from taizhang.core.scoping import scope_paths
from taizhang.orgs.models import Organization

from .board import Board
from .boardparts import STATES, Parts, assemble, board_parts, counts, page_of, page_rows, refresh
from .models import Assignment, Campaign, Occurrence, PlanItem
from .rollup import rows_limit

SECONDS_SETTING = "TAIZHANG_BOARD_CACHE_SECONDS"
DEFAULT_SECONDS = 300
RACE_SECONDS = 2  # changes saved this long before the kept stamp are looked at again
MAX_CHANGED = 50  # above this many changed organizations the board is computed afresh

_STAMP_SQL = "SELECT " + ", ".join(
    [f"(SELECT MAX(updated_at) FROM {model._meta.db_table})" for model in (Assignment, Occurrence, Organization)]
    + [f"(SELECT MAX(updated_at) FROM {PlanItem._meta.db_table} WHERE plan_id = %s)",
       f"(SELECT COUNT(*) FROM {PlanItem._meta.db_table} WHERE plan_id = %s)"])


_A, _OC, _O = Assignment._meta.db_table, Occurrence._meta.db_table, Organization._meta.db_table
_CHANGED_SQL = (
    f"SELECT o.path FROM {_A} a JOIN {_O} o ON o.id = a.org_id WHERE a.updated_at > %s "
    f"UNION SELECT o.path FROM {_OC} oc JOIN {_A} a ON a.id = oc.assignment_id "
    f"JOIN {_O} o ON o.id = a.org_id WHERE oc.updated_at > %s LIMIT %s")


def version_stamp(campaign: Campaign) -> tuple:
    """The latest ``updated_at`` of assignments, periods and organizations (each an index
    look-up, ``updated_at`` being indexed on the three tables) and the latest ``updated_at``
    and the number of ``campaign``'s plan items (its columns), as text. One query."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL, [campaign.plan.pk, campaign.plan.pk])
        return tuple(str(value) for value in cursor.fetchone())


def _moment(text: str) -> dt.datetime | None:
    """A stamp's ``updated_at`` (text as :func:`version_stamp` gives it) → an aware datetime."""
    value = parse_datetime(text) if text != "None" else None
    if value is not None and timezone.is_naive(value):  # SQLite keeps UTC without a zone
        value = timezone.make_aware(value, dt.timezone.utc)
    return value


def changed_paths(stamp: tuple, read_at: dt.datetime) -> list[str] | None:
    """The paths of the organizations whose assignments or periods were saved after
    ``stamp`` (a :func:`version_stamp` read at ``read_at``) or less than
    :data:`RACE_SECONDS` before ``read_at`` (a transaction open then may have committed
    after the stamp was read, with an older ``updated_at``); None when more than
    :data:`MAX_CHANGED` or when the stamp has none. One query (the ``updated_at`` indexes)."""
    assignments, occurrences = _moment(stamp[0]), _moment(stamp[1])
    if assignments is None or occurrences is None:
        return None
    recent = read_at - dt.timedelta(seconds=RACE_SECONDS)
    since = [connection.ops.adapt_datetimefield_value(min(moment, recent))
             for moment in (assignments, occurrences)]
    with connection.cursor() as cursor:  # raw: compiling the ORM's union cost more than running it
        cursor.execute(_CHANGED_SQL, [*since, MAX_CHANGED + 1])
        found = [path for (path,) in cursor.fetchall()]
    return found if len(found) <= MAX_CHANGED else None


class _Found:
    """The page's content HTML, its position and the stamp it was computed at."""

    def __init__(self, html: str, count: int, number: int, rolled_up: bool, stamp: tuple):
        self.html, self.count, self.number, self.rolled_up = html, count, number, rolled_up
        self.stamp = stamp


_MARK = "\ue000"  # a private-use character around the frame's placeholders
_PLACEHOLDER = re.compile(f"{_MARK}([^{_MARK}]*){_MARK}")


def _frame(render, parts: Parts, shown, has_rows: bool) -> str:
    """The page's content rendered once with placeholders for what a refresh changes: the
    totals, the column counts and the rows (filled by :func:`_fill`)."""
    totals = {state: f"{_MARK}t:{state}{_MARK}" for state in STATES}
    columns = [{state: f"{_MARK}c:{n}:{state}{_MARK}" for state in STATES} for n in range(len(parts.item_ids))]
    rows = mark_safe(f"{_MARK}rows{_MARK}" if has_rows else "")
    return str(render(Board(parts.items, [], columns, totals), shown, parts.rolled_up, rows))


def _fill(frame: str, totals: dict, columns: list[dict], rows_html: str) -> str:
    def value(match) -> str:
        kind, _, rest = match.group(1).partition(":")
        if kind == "rows":
            return rows_html
        if kind == "t":
            return str(totals[rest])
        n, _, state = rest.partition(":")
        return str(columns[int(n)][state])

    return _PLACEHOLDER.sub(value, frame)


class _Kept:
    """The page's makings, each shown row's HTML by path, the stamp, when it was read
    (``read_at``, an aware datetime) and when the makings were computed afresh (``born``,
    ``time.time()``)."""

    def __init__(self, parts: Parts, stamp: tuple, read_at: dt.datetime):
        self.parts, self.stamp, self.read_at, self.html, self.born = parts, stamp, read_at, {}, time.time()
        self.frame = ""  # the content with placeholders (_frame)


def cached_board_page(campaign: Campaign, user, drill_url, render, *, query: str, page=1,
                      rollup: bool = False, **args):
    """The board page's content: ``render(board, page, rolled_up, rows_html) -> str``, where
    ``board`` holds the columns, column counts and totals of the board (not its rows: those
    are ``rows_html``, ``templatetags.plans.board_row_html``), of ``boardparts.board_parts(
    campaign, user, page=…, rollup=…, **args)``, from the cache when nothing it depends on has
    changed and refreshed for the changed organizations only (module docstring). ``query`` is
    the request's query string (the drill-down links are built from it). Returns (HTML,
    board, page or None, rolled up); the board with its rows is built only if used (a lazy
    object). Queries: one (the stamp) when nothing changed; four at most besides the stamp
    after a change in some organizations' assignments or periods, whatever their number."""
    from .templatetags.plans import board_row_html

    seconds = int(getattr(settings, SECONDS_SETTING, DEFAULT_SECONDS))
    today = args.get("today") or timezone.localdate()
    args = {**args, "today": today}

    def afresh() -> Parts:
        return board_parts(campaign, user, page=page, rollup=rollup, **args)

    if seconds <= 0:
        parts = afresh()
        board, shown, rolled_up = assemble(parts, drill_url)
        html = render(Board(board.items, [], board.column_counts, board.totals), shown, rolled_up,
                      mark_safe("".join(board_row_html(board.rows))))
        return mark_safe(html), board, shown, rolled_up

    read_at = timezone.now()  # before the stamp: a save after this is after the stamp too
    stamp = version_stamp(campaign)
    key_parts = (campaign.pk, str(campaign.updated_at), scope_paths(user), query, str(today),
                 rows_limit(), translation.get_language(), page, rollup)
    key = "taizhang:board:" + hashlib.sha256(repr(key_parts).encode()).hexdigest()

    def lazy_board():
        kept = cache.get(key + ":kept")
        if kept is None or kept.stamp != stamp:  # evicted or moved on meanwhile: computed again
            return assemble(afresh(), drill_url)[0]
        return assemble(kept.parts, drill_url)[0]

    found = cache.get(key)
    if found is not None and found.stamp == stamp:
        shown = Paginator(range(found.count), rows_limit()).get_page(found.number) if found.count else None
        return mark_safe(found.html), SimpleLazyObject(lazy_board), shown, found.rolled_up

    kept = cache.get(key + ":kept")
    touched = None
    if (kept is not None and kept.stamp[2:] == stamp[2:] and time.time() - kept.born < seconds):
        changed = changed_paths(kept.stamp, kept.read_at)
        if changed is not None:
            touched = refresh(kept.parts, changed)
    if touched is None:
        kept = _Kept(afresh(), stamp, read_at)
    else:
        kept.stamp, kept.read_at = stamp, read_at
        for path in touched:
            kept.html.pop(path, None)
    parts = kept.parts
    missing = {path for path in parts.shown if path not in kept.html}
    if missing:
        rows = page_rows(parts, drill_url, missing)
        kept.html.update(zip([row.path for row in rows], board_row_html(rows), strict=True))
    columns, totals = counts(parts)
    shown = page_of(parts)
    if not kept.frame:
        kept.frame = _frame(render, parts, shown, bool(kept.html))
    html = _fill(kept.frame, totals, columns, "".join(kept.html.get(path, "") for path in parts.shown))
    cache.set_many({key: _Found(html, shown.paginator.count if shown else 0, shown.number if shown else 0,
                                parts.rolled_up, stamp),
                    key + ":kept": kept}, seconds)
    return mark_safe(html), SimpleLazyObject(lambda: assemble(parts, drill_url)[0]), shown, parts.rolled_up

"""A big progress board rolled up per child organization, with drill-down (issue 14 §4).

Above :func:`rows_limit` rows (setting ``TAIZHANG_BOARD_ROWS``, default 100) the board shows
one row per child organization of the deepest organization that holds all its rows: a city
committee over unit committees sees one row per unit, a committee over general branches one
row per general branch; each rolled-up row links to the board of that child (``?under=``).
A child that is itself one row (a branch directly under the committee) keeps its own row.
What stays above the limit is paged (``?page=``), so no board page renders more than
:data:`MAX_ROWS` rows. Totals and column counts stay those of the whole board. ``?rollup=1``
rolls up below the limit too (one row per unit whatever their number).

A rolled-up cell counts the child's organizations in that column: done/total, coloured by
its most urgent status (overdue, returned, submitted, due soon, not started; done when all
are). One query (the rolled-up children's names; none when every child is one row),
whatever the number of organizations.

The board page computes the same rows in SQL (``plans.boardsql.shown_board``, cells built for
the page's rows only) and caches them (``plans.boardcache``); :func:`limit_rows` over
``build_board`` is the reference it is tested against.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.conf import settings
from django.core.paginator import Paginator

from taizhang.orgs.models import Organization

from .board import DONE, DUE_SOON, NOT_STARTED, OVERDUE, RETURNED, STATUS_LABELS, SUBMITTED, Board, Row

ROWS_SETTING = "TAIZHANG_BOARD_ROWS"
DEFAULT_ROWS = 100
MAX_ROWS = 200
URGENCY = (OVERDUE, RETURNED, SUBMITTED, DUE_SOON, NOT_STARTED)


def rows_limit() -> int:
    """Rows a board page shows before rolling up / paging: ``settings.TAIZHANG_BOARD_ROWS``
    (default 100), kept within 1 … :data:`MAX_ROWS`."""
    return max(1, min(int(getattr(settings, ROWS_SETTING, DEFAULT_ROWS)), MAX_ROWS))


@dataclass
class RolledCell:
    """The cell of a rolled-up row: ``done`` of ``total`` organizations, ``status`` the most
    urgent among them; ``url`` the child's board."""

    status: str
    done: int
    total: int
    url: str
    label_text: str

    @property
    def label(self) -> str:
        return self.label_text

    @property
    def title(self) -> str:
        return f"{self.label_text} · {self.done}/{self.total}"


def common_root(rows: list[Row]) -> str:
    """The path of the deepest organization holding every row (rows sorted by path): the
    common prefix of the first and last path, cut to whole tree steps; "" for no rows."""
    if not rows:
        return ""
    first, last = rows[0].path, rows[-1].path
    n = 0
    while n < min(len(first), len(last)) and first[n] == last[n]:
        n += 1
    step = Organization.steplen
    return first[: n - n % step]


def roll_up(board: Board, drill_url, root_path: str | None = None) -> Board:
    """``board`` with its rows grouped per child of ``root_path`` (default
    :func:`common_root`). ``drill_url(org_id) -> str`` gives the link of a child's board.
    Rows of the root itself stay as they are, first."""
    rows = board.rows
    root = common_root(rows) if root_path is None else root_path
    width = len(root) + Organization.steplen
    own: list[Row] = []
    groups: dict[str, list[Row]] = {}
    for row in rows:
        if len(row.path) < width or not row.path.startswith(root):
            own.append(row)
        else:
            groups.setdefault(row.path[:width], []).append(row)
    # a child that is itself one row keeps that row: only the others need a name (one query)
    rolled_paths = [path for path, members in groups.items()
                    if not (len(members) == 1 and members[0].path == path)]
    names = {path: (pk, name) for path, pk, name in Organization.objects.filter(
        path__in=rolled_paths).values_list("path", "pk", "name")} if rolled_paths else {}
    labels = {key: str(label) for key, label in STATUS_LABELS.items()}
    rolled = list(own)
    columns = range(len(board.items))
    for path, members in groups.items():
        if len(members) == 1 and members[0].path == path:
            rolled.append(members[0])
            continue
        pk, name = names[path]
        url = drill_url(pk)
        cells, counts = [], dict.fromkeys(STATUS_LABELS, 0)
        for n in columns:
            present = [r.cells[n].status for r in members if r.cells[n] is not None]
            if not present:
                cells.append(None)
                continue
            done = present.count(DONE)
            status = DONE if done == len(present) else next(s for s in URGENCY if s in present)
            cells.append(RolledCell(status, done, len(present), url, labels[status]))
        for member in members:
            for key, value in member.counts.items():
                counts[key] = counts.get(key, 0) + value
        rolled.append(Row(pk, name, cells, counts, path=path, drill_url=url))
    return Board(board.items, rolled, board.column_counts, board.totals)


def limit_rows(board: Board, drill_url, page: str | int | None = 1, rollup: bool = False):
    """The board as shown: rolled up when it has more than :func:`rows_limit` rows (or always
    with ``rollup``, e.g. a superior's per-unit board), then paged by that many. Returns
    (board, page or None when one page holds it all, whether some row stands for several
    organizations)."""
    limit = rows_limit()
    rolled_up = False
    if rollup or len(board.rows) > limit:
        board = roll_up(board, drill_url)
        rolled_up = any(row.drill_url for row in board.rows)
    if len(board.rows) <= limit:
        return board, None, rolled_up
    shown = Paginator(board.rows, limit).get_page(page)
    return Board(board.items, list(shown.object_list), board.column_counts, board.totals), shown, rolled_up

"""The ledger's figures (status counts and the per-unit roll-up) computed once and kept
(issue 14: at 2,000,000 measures the three aggregates took 5 s of the 6 s page).

:func:`ledger_figures` gives the page's status counts (``ledger.status_counts``) and the
roll-up's grouped problem and measure counts (``rollup.unit_rollup``):

- computed: when the ledger shows every measure the user sees under the roll-up's root (no
  filter but ``?org=``), the status counts and the roll-up's measure counts are one
  aggregate grouped per unit (``rollup.unit_counts``; the measures outside the root, for a
  user with several subtrees, in a bucket of their own), else two as before; one more
  for the problems per unit;
- kept in Django's cache under a key made of the user's subtrees, the filters, today's
  date (overdue and amber move with it) and a version stamp read every request: the latest
  ``updated_at`` of measures, problems and organizations (index-only look-ups, one query),
  which a deletion of a measure or problem moves too (signals below: the problem, or the
  organization, is touched — in the database, so every server process sees it). Every
  write of the app saves ``updated_at`` (services, importer), so the next request after
  any change computes afresh. ``TAIZHANG_LEDGER_CACHE_SECONDS`` (default 300; 0 turns the
  cache off) bounds how long unchanged figures are kept.
"""

from __future__ import annotations

import datetime as dt
import hashlib

from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.db.models.signals import post_delete
from django.utils import timezone

from taizhang.core.scoping import scope_paths
from taizhang.orgs.models import Organization

from .models import Problem, Rectification

SECONDS_SETTING = "TAIZHANG_LEDGER_CACHE_SECONDS"
DEFAULT_SECONDS = 300
_STAMP_SQL = "SELECT " + ", ".join(
    f"(SELECT MAX(updated_at) FROM {model._meta.db_table})" for model in (Rectification, Problem, Organization))


def version_stamp() -> tuple:
    """The latest ``updated_at`` of measures, problems and organizations: one query of three
    index-only look-ups (``updated_at`` is indexed on the three tables). A deletion moves it
    too (signals below), in the database, so every server process sees it."""
    with connection.cursor() as cursor:
        cursor.execute(_STAMP_SQL)
        return tuple(str(value) for value in cursor.fetchone())


def _measure_deleted(sender, instance, **kwargs) -> None:
    """A measure was deleted (``MAX(updated_at)`` does not move): its problem is touched."""
    Problem.objects.filter(pk=instance.problem_id).update(updated_at=timezone.now())


def _problem_deleted(sender, instance, **kwargs) -> None:
    """A problem was deleted: its organization is touched (a rare write; the board then
    computes its page afresh once)."""
    Organization.objects.filter(pk=instance.org_id).update(updated_at=timezone.now())


post_delete.connect(_measure_deleted, sender=Rectification, dispatch_uid="taizhang-ledger-deleted-measure")
post_delete.connect(_problem_deleted, sender=Problem, dispatch_uid="taizhang-ledger-deleted-problem")


def read_stamp() -> tuple | None:
    """The version stamp for this request (:func:`version_stamp`, one query), or None when
    the cache is off (``TAIZHANG_LEDGER_CACHE_SECONDS`` = 0). Read once, given to
    :func:`ledger_figures` and :func:`first_page`."""
    if int(getattr(settings, SECONDS_SETTING, DEFAULT_SECONDS)) <= 0:
        return None
    return version_stamp()


def _kept(kind: str, user, root, filters: dict, today: dt.date, stamp: tuple | None, compute):
    """``compute()`` kept in the cache under ``kind`` and everything it depends on (module
    docstring), or computed every time without a ``stamp``."""
    if stamp is None:
        return compute()
    parts = (kind, scope_paths(user), sorted((k, str(getattr(v, "pk", v))) for k, v in filters.items() if v),
             root.pk if root is not None else None, str(today), stamp)
    key = "taizhang:ledger:" + hashlib.sha256(repr(parts).encode()).hexdigest()
    found = cache.get(key)
    if found is not None:
        return found[0]
    value = compute()
    cache.set(key, (value,), int(getattr(settings, SECONDS_SETTING, DEFAULT_SECONDS)))  # None kept too
    return value


def ledger_figures(queryset, user, root: Organization | None, filters: dict, today: dt.date,
                   problems=None, measures=None, stamp=None) -> tuple[dict, dict | None]:
    """(status counts of ``queryset`` as ``ledger.status_counts``, roll-up counts
    ``{"problems": {unit path: {"n"}}, "measures": {unit path: {"total", "closed",
    "overdue"}}}`` of ``problems`` / ``measures`` under ``root``, or ``None`` without a
    root). ``filters``: the ledger's cleaned filter values (a filter other than ``org``
    keeps the counts and the roll-up apart). ``stamp``: :func:`read_stamp`'s (read here
    when not given). From the cache when nothing changed (module docstring): no query then
    but the stamp; two or three aggregates otherwise."""
    stamp = read_stamp() if stamp is None else stamp
    return _kept("figures", user, root, filters, today, stamp,
                 lambda: compute_figures(queryset, root, filters, today, problems, measures))


def first_page(queryset, user, root: Organization | None, filters: dict, today: dt.date, size: int,
               stamp=None) -> list[int] | None:
    """``ledger.first_page_ids(queryset, size, today)`` kept like the figures: its count per
    organization reads every measure of the set (1.8 s at the province's 2,000,000), so the
    ids of the first page are kept until something changes (issue 14)."""
    from .ledger import first_page_ids

    stamp = read_stamp() if stamp is None else stamp
    return _kept(f"first:{size}", user, root, filters, today, stamp,
                 lambda: first_page_ids(queryset, size, today))


def compute_figures(queryset, root, filters: dict, today: dt.date, problems=None, measures=None):
    """:func:`ledger_figures` without the cache."""
    from .ledger import status_counts
    from .rollup import grouped_problems, unit_counts

    if root is None:
        return status_counts(queryset, today), None
    only_org = not any(v for k, v in filters.items() if k != "org")
    measures = Rectification.objects.all() if measures is None else measures
    if only_org:
        per_unit = unit_counts(queryset, root, today)
        counts = _sum_counts(per_unit.values())
        per_unit.pop("", None)
    else:
        counts = status_counts(queryset, today)
        per_unit = unit_counts(measures.filter(org__path__startswith=root.path), root, today)
    rollup = {"problems": grouped_problems(problems, root),
              "measures": {unit: {"total": row["total"], "closed": row["closed"], "overdue": row["overdue"]}
                           for unit, row in per_unit.items()}}
    return counts, rollup


def _sum_counts(rows) -> dict:
    from .models import RectificationStatus

    names = ["total", "overdue", "amber", *RectificationStatus.values]
    data = {name: sum(row[name] for row in rows) for name in names}
    total = data["total"]
    data["closure_rate"] = round(100 * data[RectificationStatus.CLOSED] / total, 1) if total else 0.0
    return data

"""Findings kept between evaluations and renewed incrementally (issue 14).

:func:`evaluate_stored` gives the same :class:`~.engine.Report` as
:func:`~.engine.evaluate` (in :func:`canonical` order) but keeps it, per committee-view row,
in :class:`~.models.StoredFindings`; the next call with the same key (root, period, today,
rules and settings: :func:`evaluation_key`) recomputes only the rows of the organizations
marked as changed since (:mod:`.marks`, fed by the evidence-changed announcement and the
model signals), and reads the others back. A changed setting or rule changes the key, so
everything is recomputed; a changed tree marks everything. A new day is a new key (the
"due" / "missing" states and the state checks depend on today).

Cost: two small queries to find the marks, one to read the kept rows, and the
restricted evaluation of the changed rows (:class:`~.engine.Context` ``only_orgs``).
"""

from __future__ import annotations

import datetime as dt
import gc
import hashlib
import pickle
from functools import partial

from django.db import transaction
from django.db.models import Max

from taizhang.orgs.models import Organization

from . import conf, marks
from . import periods as P
from .engine import Cell, Report, Violation, evaluate, without_cyclic_gc
from .models import FindingsChange, StoredEvaluation, StoredFindings
from .rules import active_rules

#: Above this share of changed rows the whole subtree is evaluated again (one pass over the
#: subtree costs less than many rows listed one by one).
FULL_SHARE = 0.3


#: A plain tuple read back as a finding / a cell (C calls: no Python frame per object).
_AS_VIOLATION = partial(tuple.__new__, Violation)
_AS_CELL = partial(tuple.__new__, Cell)


def _dumps(found: dict[str, tuple[list, list]]) -> bytes:
    """One row's ``{rule id: ([findings], [cells])}`` pickled with the findings and cells as
    plain tuples (pickled without a Python call each; rules by id, ``Rule.__reduce__``)."""
    plain = {rule_id: (list(map(tuple, violations)), list(map(tuple, cells)))
             for rule_id, (violations, cells) in found.items()}
    return pickle.dumps(plain, protocol=pickle.HIGHEST_PROTOCOL)


def _loads(data) -> dict[str, tuple[list, list]]:
    """The row kept by :func:`_dumps` (or by the earlier format, findings pickled as
    themselves), its tuples made findings and cells again."""
    return {rule_id: (list(map(_AS_VIOLATION, violations)), list(map(_AS_CELL, cells)))
            for rule_id, (violations, cells) in pickle.loads(bytes(data)).items()}


def evaluation_key(root: Organization, period: P.Period, today: dt.date, rule_ids=None) -> str:
    """"root:period:today:fingerprint" — the fingerprint covers the settings' values
    (:func:`.conf.current`), the active rules (id, check, parameters, severity) and
    ``rule_ids``, so a changed setting or rule never reuses a kept evaluation."""
    settings = [(s.name, repr(value)) for s, value, _changed in conf.current()]
    rules = [(r.id, r.check, repr(r.params), r.severity) for r in active_rules()]
    digest = hashlib.sha1(repr((settings, rules, sorted(rule_ids) if rule_ids else None)).encode()).hexdigest()
    return f"{root.pk}:{period.key}:{today.isoformat()}:{digest[:16]}"


def _per_row(report: Report, row_of) -> dict[int, dict[str, tuple[list, list]]]:
    """{row id: {rule id: ([violations], [cells])}} in the report's order."""
    result: dict[int, dict[str, tuple[list, list]]] = {}
    for v in report.violations:
        result.setdefault(v.row_id, {}).setdefault(v.rule.id, ([], []))[0].append(v)
    for c in report.cells:
        result.setdefault(row_of(c.org_id), {}).setdefault(c.rule.id, ([], []))[1].append(c)
    return result


def _assemble(report: Report, per_row: dict) -> Report:
    """``report`` with its findings and cells taken from ``per_row``: rule by rule, row by
    row (the committee view's order), each in the order its check produced them."""
    violations, cells = [], []
    order = [row.id for row in report.rows]
    for rule in report.rules:
        for row_id in order:
            found = per_row.get(row_id, {}).get(rule.id)
            if found:
                violations.extend(found[0])
                cells.extend(found[1])
    report.violations, report.cells = violations, cells
    return report


def canonical(report: Report) -> Report:
    """``report`` in the order :func:`evaluate_stored` gives (see :func:`_assemble`)."""
    return _assemble(report, _per_row(report, report.row_of))


def evaluate_stored(root: Organization, period: P.Period, today: dt.date | None = None,
                    rule_ids: list[str] | None = None) -> Report:
    """:func:`~.engine.evaluate` of ``root``'s subtree in ``period``, kept and renewed
    incrementally (module docstring). Returns a :class:`Report` equal to
    ``canonical(evaluate(root, period, today, rule_ids))``."""
    marks.flush()
    today = today or P.today()
    key = evaluation_key(root, period, today, rule_ids)
    kept = StoredEvaluation.objects.filter(key=key).first()
    if kept is None:
        top = FindingsChange.objects.aggregate(top=Max("id"))["top"] or 0  # before reading any fact
        return _store_all(root, period, today, rule_ids, key, top)
    marked = list(FindingsChange.objects.filter(id__gt=kept.seen).values_list("id", "org_id"))  # before any fact
    top = max((i for i, _o in marked), default=kept.seen)
    changed = {org_id for _i, org_id in marked}
    if None in changed:
        return _store_all(root, period, today, rule_ids, key, top)
    report = evaluate(root, period, today, rule_ids, only_orgs=changed)
    dirty = report.only
    if len(dirty) > FULL_SHARE * max(len(report.rows), 1):
        return _store_all(root, period, today, rule_ids, key, top)
    fresh = _per_row(report, report.row_of)
    kept_rows = list(kept.rows.exclude(row_id__in=dirty).values_list("row_id", "data"))
    collecting = gc.isenabled()
    gc.disable()  # tens of thousands of tuples, no cycles: the collector would walk the heap for nothing
    try:
        per_row = {row_id: _loads(data) for row_id, data in kept_rows}
    except Exception:  # noqa: BLE001 — kept by another version of the code: evaluate again
        return _store_all(root, period, today, rule_ids, key, top)
    finally:
        if collecting:
            gc.enable()
    per_row.update({row_id: fresh.get(row_id, {}) for row_id in dirty})
    if not dirty:
        if top > kept.seen:
            StoredEvaluation.objects.filter(pk=kept.pk).update(seen=top)
        return _assemble(report, per_row)
    with transaction.atomic():
        kept.rows.filter(row_id__in=dirty).delete()
        StoredFindings.objects.bulk_create([StoredFindings(evaluation=kept, row_id=row_id, data=_dumps(fresh[row_id]))
                                            for row_id in sorted(dirty) if fresh.get(row_id)])
        StoredEvaluation.objects.filter(pk=kept.pk).update(seen=top)
    return _assemble(report, per_row)


def _store_all(root, period, today, rule_ids, key, top) -> Report:
    """Evaluate the whole subtree and keep it under ``key`` (replacing the evaluations of
    the same root and period kept for another day or other settings)."""
    report = evaluate(root, period, today, rule_ids)
    with without_cyclic_gc():  # tens of thousands of lists and tuples more, no cycles (see there)
        per_row = _per_row(report, report.row_of)
        rows = [StoredFindings(row_id=row_id, data=_dumps(found)) for row_id, found in per_row.items()]
    with transaction.atomic():
        StoredEvaluation.objects.filter(root_id=root.pk, key__startswith=f"{root.pk}:{period.key}:").delete()
        kept = StoredEvaluation.objects.create(key=key, root_id=root.pk, seen=top)
        for row in rows:
            row.evaluation = kept
        StoredFindings.objects.bulk_create(rows, batch_size=200)
    prune()
    return _assemble(report, per_row)


def prune() -> int:
    """Delete the change marks every kept evaluation has already seen; returns how many."""
    from django.db.models import Min

    oldest = StoredEvaluation.objects.aggregate(seen=Min("seen"))["seen"]
    if oldest is None:
        return FindingsChange.objects.all().delete()[0]
    return FindingsChange.objects.filter(id__lte=oldest).delete()[0]

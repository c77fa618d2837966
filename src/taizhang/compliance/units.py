"""The committee view rolled up per unit for a superior (issue 12 §1).

A city committee over unit committees sees, above its branches × rules matrix, one row per
child organization: its organizations red / amber / green, its errors and warnings, with a
link to that unit's own committee view (``?org=<unit>``). Counted from the one
:class:`~.engine.Report` the page already computed (no query per unit; one query for the
children).
"""

from __future__ import annotations

from dataclasses import dataclass

from taizhang.orgs.models import Organization
from taizhang.orgs.units import child_units, has_units

from .engine import Report
from .rules import ERROR, WARNING


@dataclass
class UnitFindings:
    """One unit's findings; ``org`` is ``None`` for the whole (the total row). ``red``,
    ``amber``, ``green``: organizations (branches, committees; not groups) by health;
    ``errors``, ``warnings``: findings of that severity."""

    org: Organization | None
    red: int = 0
    amber: int = 0
    green: int = 0
    errors: int = 0
    warnings: int = 0
    own: bool = False

    @property
    def orgs(self) -> int:
        return self.red + self.amber + self.green


def unit_findings(report: Report) -> tuple[list[UnitFindings], UnitFindings] | None:
    """Rows per child of ``report.root`` (tree order; the root's own first) and the total,
    or ``None`` when the root has no child committee. One query (the children)."""
    root = report.root
    children = child_units(root)
    if not has_units(children):
        return None
    width = len(root.path) + Organization.steplen
    unit_of = {row.id: row.path[:width] for row in report.rows}
    own = UnitFindings(root, own=True)
    by_path = {child.path: UnitFindings(child) for child in children}
    by_path[root.path] = own
    for row in report.rows:
        target = by_path.get(unit_of[row.id])
        if target is not None:
            health = report.health(row.id)
            setattr(target, health, getattr(target, health) + 1)
    for violation in report.violations:
        target = by_path.get(unit_of.get(violation.row_id, ""))
        if target is None:
            continue
        if violation.severity == ERROR:
            target.errors += 1
        elif violation.severity == WARNING:
            target.warnings += 1
    rows = [own, *(by_path[child.path] for child in children)]
    total = UnitFindings(None, *(sum(getattr(r, f) for r in rows)
                                 for f in ("red", "amber", "green", "errors", "warnings")))
    return rows, total

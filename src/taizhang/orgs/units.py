"""A superior's view of its units: the child organizations of a root and the SQL expression
that groups a record by the child subtree it lies in (issue 12 §1: "the superior's board
rolls up per unit … the same roll-up for the problem list and compliance").

The grouping is that of ``plans.rollup``: a record of organization path ``p`` under the
root of path ``r`` belongs to the child whose path is ``p[:len(r) + steplen]``; a record of
the root itself (``len(p) == len(r)``) is the root's own.
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.functions import Substr

from taizhang.core.scoping import scope_paths

from .models import Organization, OrgKind


def default_root(user) -> Organization | None:
    """The organization a user's roll-up starts from: the topmost of the subtrees the user
    may see (the first scope path; for a superuser the shallowest organization), ``None``
    when the user sees none. One query (plus the cached scope paths)."""
    paths = scope_paths(user)
    orgs = Organization.objects.all()
    if paths is None:
        return orgs.order_by("depth", "path").first()
    if not paths:
        return None
    return orgs.filter(path=paths[0]).first()


def child_units(root: Organization) -> list[Organization]:
    """The children of ``root`` in tree order (one query)."""
    return list(Organization.objects.filter(path__startswith=root.path, depth=root.depth + 1).order_by("path"))


def has_units(children: list[Organization]) -> bool:
    """True when some child is a committee (党委): the organization is a superior over units
    and its pages show one row per unit (a committee over its branches does not)."""
    return any(child.kind == OrgKind.COMMITTEE for child in children)


def unit_path(field: str, root: Organization):
    """SQL expression: the path of the child of ``root`` that holds the record whose
    organization path is ``field`` (e.g. ``"org__path"``); the root's own path for records
    of the root itself. Use in ``.values(unit=unit_path(...))`` to group by unit."""
    return Substr(F(field), 1, len(root.path) + Organization.steplen)

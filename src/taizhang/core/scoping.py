"""The one scoping mechanism: which rows of any model a user may see or change.

A user holds roles (``orgs.RoleAssignment``) on organizations; a role is valid for the
organization's whole subtree. The organization tree stores a materialized path, so "in the
subtree of X" is one indexed prefix filter ``path__startswith=X.path``. Every view and API
queryset goes through :meth:`ScopedQuerySet.restrict`; a model declares the path from itself
to its organization in ``scope_org_field`` (``""`` for ``Organization`` itself).

Some objects of a superior apply downwards: a committee's campaign and its task list are read
by every branch under it. Such a model sets ``scope_visible_below = True``; for the "view"
action its rows are then also visible to users whose subtrees lie below the row's
organization (the row's org is an ancestor: an exact match on one of the user's path
prefixes, still an indexed lookup). ``scope_below_filter`` (a Q) narrows what is read
below, e.g. only published campaigns, never a draft.
"""

from __future__ import annotations

from django.db import models
from django.db.models import Q

VIEW = "view"
CHANGE = "change"
REVIEW = "review"
MANAGE = "manage"  # import and publish plans, set up orgs: the committee office
# Work with an organization's ledgers (its records, problems, checks, reports): every role but
# a plain member's, who acts on himself (DESIGN.md "Who uses it": 党员 | self). The menu
# offers the ledgers only with it.
BROWSE = "browse"

# Which roles allow which action (DESIGN.md "Who uses it"). Inspectors and plain members read.
ROLE_ACTIONS: dict[str, set[str]] = {
    "committee_admin": {VIEW, BROWSE, CHANGE, REVIEW, MANAGE},
    "committee_staff": {VIEW, BROWSE, CHANGE, REVIEW, MANAGE},
    "leader": {VIEW, BROWSE, CHANGE},
    "branch_secretary": {VIEW, BROWSE, CHANGE},
    "branch_committee": {VIEW, BROWSE, CHANGE},
    "member": {VIEW},
    "inspector": {VIEW, BROWSE},
}

_CACHE_ATTR = "_taizhang_scope_paths"


def scope_paths(user, action: str = VIEW) -> list[str] | None:
    """Return the materialized paths of the subtrees where ``user`` may do ``action``.

    ``None`` means everywhere (superuser); ``[]`` means nowhere. Nested paths are collapsed
    to their topmost ancestor. Cached on the user object for the request.
    """
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return []
    if user.is_superuser:
        return None
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if action not in cache:
        from taizhang.orgs.models import RoleAssignment

        roles = [r for r, actions in ROLE_ACTIONS.items() if action in actions]
        paths = sorted(
            set(
                RoleAssignment.objects.filter(user=user, role__in=roles).values_list(
                    "org__path", flat=True
                )
            )
        )
        collapsed: list[str] = []
        for path in paths:  # sorted: an ancestor comes before its descendants
            if not any(path.startswith(top) for top in collapsed):
                collapsed.append(path)
        cache[action] = collapsed
    return cache[action]


def held_actions(user) -> set[str]:
    """The actions ``user`` may do somewhere (on at least one organization): all of them for
    a superuser, none for an anonymous or inactive user. One query, cached on the user like
    :func:`scope_paths`; ``action in held_actions(user)`` equals ``scope_paths(user, action) != []``."""
    if not getattr(user, "is_authenticated", False) or not user.is_active:
        return set()
    if user.is_superuser:
        return {a for actions in ROLE_ACTIONS.values() for a in actions}
    cache = getattr(user, _CACHE_ATTR, None)
    if cache is None:
        cache = {}
        setattr(user, _CACHE_ATTR, cache)
    if "_held" not in cache:
        from taizhang.orgs.models import RoleAssignment

        roles = set(RoleAssignment.objects.filter(user=user).values_list("role", flat=True).distinct())
        cache["_held"] = {a for r in roles for a in ROLE_ACTIONS.get(r, ())}
    return cache["_held"]


def clear_scope_cache(user) -> None:
    """Forget cached scope paths (after a user's roles change within one request or test)."""
    if hasattr(user, _CACHE_ATTR):
        delattr(user, _CACHE_ATTR)


def path_q(field: str, paths: list[str]) -> Q:
    """A Q matching rows whose organization (reached by ``field``) lies in any of ``paths``."""
    lookup = f"{field}__path__startswith" if field else "path__startswith"
    q = Q()
    for path in paths:
        q |= Q(**{lookup: path})
    return q


def ancestor_q(field: str, paths: list[str]) -> Q:
    """A Q matching rows whose organization is a strict ancestor of any of ``paths``."""
    from taizhang.orgs.models import Organization

    step = Organization.steplen
    ancestors = {path[:end] for path in paths for end in range(step, len(path), step)}
    if not ancestors:
        return Q(pk__in=[])
    return Q(**{f"{field}__path__in" if field else "path__in": sorted(ancestors)})


class ScopedQuerySet(models.QuerySet):
    """QuerySet with the scoping filter; use as ``objects = ScopedQuerySet.as_manager()``."""

    def restrict(self, user, action: str = VIEW):
        """Rows of this queryset that ``user`` may ``action`` ("view", "change", "review", "manage")."""
        paths = scope_paths(user, action)
        if paths is None:
            return self
        if not paths:
            return self.none()
        field = self.model.scope_org_field
        q = path_q(field, paths)
        if action == VIEW and getattr(self.model, "scope_visible_below", False):
            # Optionally only some of a superior's rows are read below (e.g. published plans).
            q |= ancestor_q(field, paths) & getattr(self.model, "scope_below_filter", Q())
        return self.filter(q)

    def visible_to(self, user):
        """Rows ``user`` may see: shorthand for ``restrict(user, "view")``."""
        return self.restrict(user, VIEW)


def can(user, action: str, org) -> bool:
    """True when ``user`` may do ``action`` on objects of organization ``org``."""
    paths = scope_paths(user, action)
    if paths is None:
        return True
    return any(org.path.startswith(p) for p in paths)

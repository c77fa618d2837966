"""Test support shared by every app: the two-branch "world" of the scoping walk.

The project-wide test ``tests/test_scope_walk.py`` logs in as the secretary of branch A and
opens every URL and API endpoint of the project. Each app contributes the URLs it owns in
``taizhang/<app>/tests/scope_cases.py`` as ``def cases(world) -> list[Case]``, creating the
objects of branch B it needs with :data:`SECRET` in their text, so a list page can be checked
for leaks. A URL without any case fails the walk: a new page cannot skip the check.
"""

from __future__ import annotations

from dataclasses import dataclass, field

# Text put into branch B's objects; it must never appear on a page that A's secretary opens.
SECRET = "乙支部内部信息"

HIDDEN = "hidden"  # an object of branch B: 403 or 404, for GET and POST
LISTED = "listed"  # a page A may open: 200 (or a redirect), without SECRET in the body
PUBLIC = "public"  # reachable without scope (login page, API root, schema): any non-5xx


@dataclass
class Case:
    """One request of the walk: the URL name, its kwargs, what A's secretary must get.

    ``query`` is appended to the URL (e.g. filters naming branch B). ``post`` also sends a
    POST with ``data`` and expects 403/404/405 (for HIDDEN) and no write.
    """

    url_name: str
    kwargs: dict = field(default_factory=dict)
    expect: str = HIDDEN
    query: str = ""
    post: bool = False
    data: dict = field(default_factory=dict)


@dataclass
class World:
    """Committee DW with branches A (ZB01) and B (ZB02); users of each; B's member."""

    committee: object
    branch_a: object
    branch_b: object
    secretary_a: object
    secretary_b: object
    office: object
    member_b: object
    extra: dict = field(default_factory=dict)


def build_world() -> World:
    """Create the world (needs the database)."""
    from taizhang.orgs.tests.factories import MemberFactory, UserFactory, build_tree, grant

    tree = build_tree(branches=2, groups=1)
    a, b = tree["branches"]
    secretary_a, secretary_b, office = (UserFactory(username=n) for n in ("sec_a", "sec_b", "office"))
    grant(secretary_a, a, "branch_secretary")
    grant(secretary_b, b, "branch_secretary")
    grant(office, tree["committee"], "committee_staff")
    b.name = f"第2党支部{SECRET}"  # any page naming branch B leaks
    b.save()
    member_b = MemberFactory(org=b, name=f"{SECRET}王", phone="13900001111")
    return World(tree["committee"], a, b, secretary_a, secretary_b, office, member_b)

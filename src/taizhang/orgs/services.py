"""Write operations of the orgs app: roster import and export (DESIGN.md "Writes go through
service functions"). Views, the CLI and tests all call these.

Import rules (issue 2 §2, DESIGN.md "Imports are atomic"):
- the whole file is parsed and validated first (:func:`taizhang.orgs.roster.parse_roster`),
  then every row is resolved to organizations and members; any error → nothing is written
  and :attr:`RosterResult.errors` lists every bad row;
- unknown 所在支部 / 党小组 names are created under the chosen organization / the branch;
- a row updates the member with the same name in the same branch; when the name repeats
  (in the file or the branch) the phone number decides; a member found elsewhere in the
  organization with the same name and phone is moved; blank cells never erase stored data;
- the 职务 column states a member's current posts in the branch, its groups (and the
  committee when importing at committee level): missing posts are added, others ended
  (``ended_on`` = today); a new 书记 / 党小组长 ends the previous holder's post.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch

from taizhang.core.excel import DATE_FORMAT, MONTH_FORMAT, Column, write_xlsx

from .models import Member, MemberStatus, Organization, OrgKind, Position, mask_phone
from .roster_write import RosterBatch
from .roster import (
    BRANCH_COL,
    GROUP_COL,
    HEADERS,
    POSITIONS,
    RosterError,
    RosterRow,
    parse_roster,
)
from .roster_values import BRANCH, COMMITTEE, GROUP, POSITION_LABELS, clean_name

FIELD_LABELS = {
    "gender": "性别", "birth_date": "出生年月", "joined_on": "入党时间", "status": "党员类型",
    "phone": "联系电话", "org": "所在支部", "group": "党小组", "positions": "职务",
}
SINGLE_HOLDER_ROLES = ("secretary", "group_leader")
_COUNTERS = {"create": "created", "update": "updated", "unchanged": "unchanged"}
# Fixed Chinese cell texts (the import reads these back whatever the UI language).
STATUS_TEXT = {MemberStatus.FULL: "正式党员", MemberStatus.PROBATIONARY: "预备党员"}
GENDER_TEXT = {"male": "男", "female": "女"}


@dataclass
class MemberChange:
    """What one row does: ``action`` is "create", "update" or "unchanged"; ``fields`` are the
    Chinese labels of the changed fields."""

    row: int
    name: str
    branch: str
    group: str
    action: str
    fields: list[str] = field(default_factory=list)


@dataclass
class RosterResult:
    """Outcome of :func:`import_roster`. With errors nothing was written; with ``dry_run``
    the counts are what a real import would do, but nothing was kept."""

    dry_run: bool = False
    source_format: str = ""
    rows_read: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    positions_added: int = 0
    positions_ended: int = 0
    orgs_created: list[str] = field(default_factory=list)
    changes: list[MemberChange] = field(default_factory=list)
    errors: list[RosterError] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


def _read_bytes(file) -> tuple[bytes, str]:
    if isinstance(file, (bytes, bytearray)):
        return bytes(file), ""
    if isinstance(file, (str, Path)):
        path = Path(file)
        return path.read_bytes(), path.name
    if hasattr(file, "seek"):
        file.seek(0)
    data = file.read()
    return data, Path(getattr(file, "name", "") or "").name


def import_roster(file, org: Organization, dry_run: bool = False, today: dt.date | None = None,
                  filename: str | None = None) -> RosterResult:
    """Import a roster file into ``org`` (a committee, general branch or branch).

    ``file``: a path, bytes, or a file object (e.g. an uploaded file); ``filename``: the name
    the user gave it (for bytes: a damaged .xlsx is then reported as a bad workbook, not as
    text in an unknown encoding, and messages name it). Returns a
    :class:`RosterResult`; never raises for bad content. The write is one transaction.
    Raises ``OSError`` only when a given path cannot be read.
    """
    today = today or dt.date.today()
    data, own_name = _read_bytes(file)
    filename = filename or own_name
    parsed = parse_roster(data, filename, today=today)
    result = RosterResult(dry_run=dry_run, source_format=parsed.source_format, rows_read=len(parsed.rows))
    result.errors = list(parsed.errors)
    if result.errors:
        return result
    if org.kind == OrgKind.GROUP:
        result.errors.append(RosterError(None, "", "请选择党委、党总支或党支部导入花名册，不能导入到党小组"))
        return result
    if org.kind != OrgKind.BRANCH and BRANCH_COL not in parsed.columns:
        result.errors.append(RosterError(None, "", "缺少“所在支部”列"))
        return result
    resolver = _Resolver(org, parsed.columns, today)
    plans = resolver.resolve(parsed.rows)
    result.errors = resolver.errors
    if result.errors:
        return result
    try:
        with transaction.atomic():
            resolver.apply(plans, result)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


@dataclass
class _RowPlan:
    row: RosterRow
    branch: Organization | str  # an existing branch, or the name of one to create
    group: Organization | str | None
    member: Member | None


class _Resolver:
    """Maps rows to organizations and members without writing, then applies the plans."""

    def __init__(self, org: Organization, columns: dict, today: dt.date):
        self.org = org
        self.columns = columns
        self.today = today
        self.errors: list[RosterError] = []
        subtree = list(Organization.objects.filter(path__startswith=org.path))
        self.by_id = {o.pk: o for o in subtree}
        self.branches: dict[str, list[Organization]] = {}
        self.other_orgs: dict[str, Organization] = {}
        self.groups: dict[tuple[int, str], Organization] = {}
        for o in subtree:
            key = clean_name(o.name)
            if o.kind == OrgKind.BRANCH:
                self.branches.setdefault(key, []).append(o)
            elif o.kind == OrgKind.GROUP:
                parent_path = o.path[: -o.steplen]
                parent = next((p for p in subtree if p.path == parent_path), None)
                if parent is not None:
                    self.groups[(parent.pk, key)] = o
            else:
                self.other_orgs[key] = o
        self.committee = self._committee()
        self.members = list(
            Member.objects.filter(org__path__startswith=org.path).select_related("org", "group").prefetch_related(
                Prefetch("positions", queryset=Position.objects.open())
            )
        )

    def _committee(self) -> Organization | None:
        if self.org.kind == OrgKind.COMMITTEE:
            return self.org
        return Organization.objects.get_ancestors(self.org).filter(kind=OrgKind.COMMITTEE).last()

    def committee_of(self, branch) -> Organization | None:
        """The committee whose posts (党委书记, 委员 …) a member of ``branch`` holds: the
        nearest committee at or above the branch inside the imported subtree, else the import
        organization's own (:meth:`_committee`). A roster exported from a city committee
        names each member's own unit committee, so reading it back there changes nothing.
        ``branch``: an ``Organization`` or the name of a branch still to be created (under
        the import organization)."""
        if isinstance(branch, Organization):
            inside = [o for o in self.by_id.values() if o.kind == OrgKind.COMMITTEE
                      and branch.path.startswith(o.path)]
            if inside:
                return max(inside, key=lambda o: len(o.path))
        return self.committee

    def _error(self, row: int, column: str, message: str) -> None:
        self.errors.append(RosterError(row, column, message))

    def _branch_for(self, row: RosterRow):
        if self.org.kind == OrgKind.BRANCH:
            if row.branch and row.branch != clean_name(self.org.name):
                self._error(row.row, HEADERS[BRANCH_COL], f"“{row.branch}”不是导入的支部“{self.org.name}”")
                return None
            return self.org
        if not row.branch:
            self._error(row.row, HEADERS[BRANCH_COL], "不能为空")
            return None
        found = self.branches.get(row.branch, [])
        if len(found) > 1:
            self._error(row.row, HEADERS[BRANCH_COL], f"“{row.branch}”有多个同名支部，无法确定")
            return None
        if found:
            return found[0]
        if row.branch in self.other_orgs:
            self._error(row.row, HEADERS[BRANCH_COL], f"“{row.branch}”不是党支部")
            return None
        return row.branch  # to be created

    def resolve(self, rows: list[RosterRow]) -> list[_RowPlan]:
        plans: list[_RowPlan] = []
        for row in rows:
            branch = self._branch_for(row)
            if branch is None:
                continue
            group = None
            if row.group:
                group = self.groups.get((branch.pk, row.group), row.group) if isinstance(branch, Organization) else row.group
            if any(scope == COMMITTEE for scope, _ in row.positions) and self.committee_of(branch) is None:
                self._error(row.row, HEADERS[POSITIONS], "所在组织没有上级党委，不能填写党委职务")
                continue
            plans.append(_RowPlan(row, branch, group, None))
        self._match(plans)
        return plans

    def _match(self, plans: list[_RowPlan]) -> None:
        """Pair rows with existing members: name + branch, the phone deciding among namesakes."""
        by_branch: dict[tuple[int, str], list[Member]] = {}
        for m in self.members:
            by_branch.setdefault((m.org_id, m.name), []).append(m)
        groups: dict[tuple, list[_RowPlan]] = {}
        for plan in plans:
            key = (plan.branch.pk if isinstance(plan.branch, Organization) else plan.branch, plan.row.name)
            groups.setdefault(key, []).append(plan)
        taken: set[int] = set()
        for (branch_key, name), group_plans in groups.items():
            candidates = by_branch.get((branch_key, name), []) if isinstance(branch_key, int) else []
            if len(group_plans) == 1 and len(candidates) <= 1:
                if candidates:
                    group_plans[0].member = candidates[0]
                    taken.add(candidates[0].pk)
                continue
            for plan in group_plans:
                match = next((c for c in candidates if c.pk not in taken and _same_phone(plan.row, c)), None)
                if match is not None:
                    plan.member = match
                    taken.add(match.pk)
                elif not plan.row.phone:
                    self._error(plan.row.row, HEADERS["phone"], f"本支部有多名党员叫“{name}”，请填写联系电话以区分")
        # Not found in its branch: the same person (name + phone) elsewhere in the org moved.
        for plan in plans:
            if plan.member is None and plan.row.phone:
                elsewhere = [m for m in self.members if m.pk not in taken and m.name == plan.row.name
                             and _same_phone(plan.row, m)]
                if len(elsewhere) == 1:
                    plan.member = elsewhere[0]
                    taken.add(elsewhere[0].pk)

    # ---- writing -------------------------------------------------------------------------

    def apply(self, plans: list[_RowPlan], result: RosterResult) -> None:
        new_branches: dict[str, Organization] = {}
        new_groups: dict[tuple[int, str], Organization] = {}
        for plan in plans:
            if isinstance(plan.branch, str):
                if plan.branch not in new_branches:
                    new_branches[plan.branch] = _add_child(self.org, plan.branch, OrgKind.BRANCH)
                    result.orgs_created.append(plan.branch)
                plan.branch = new_branches[plan.branch]
            if isinstance(plan.group, str):
                key = (plan.branch.pk, plan.group)
                if key not in new_groups:
                    new_groups[key] = _add_child(plan.branch, plan.group, OrgKind.GROUP)
                    result.orgs_created.append(f"{plan.branch.name} / {plan.group}")
                plan.group = new_groups[key]
        # Every member and post is decided in memory, then written in bulk (orgs.roster_write).
        orgs = {**self.by_id, **{o.pk: o for o in (*new_branches.values(), *new_groups.values())}}
        if self.committee is not None:
            orgs[self.committee.pk] = self.committee
        self.batch = RosterBatch(self.members, SINGLE_HOLDER_ROLES, orgs, self.today)
        for plan in plans:
            change = self._apply_member(plan, result)
            result.changes.append(change)
            counter = _COUNTERS[change.action]
            setattr(result, counter, getattr(result, counter) + 1)
        self.batch.flush()

    def _apply_member(self, plan: _RowPlan, result: RosterResult) -> MemberChange:
        row, member = plan.row, plan.member
        wanted = {"status": row.status, "org": plan.branch}
        if GROUP_COL in self.columns:
            wanted["group"] = plan.group
        for name in ("gender", "birth_date", "joined_on"):
            if getattr(row, name):
                wanted[name] = getattr(row, name)
        if row.phone and not row.phone_masked:
            wanted["phone"] = row.phone
        change = MemberChange(row=row.row, name=row.name, branch=plan.branch.name,
                              group=plan.group.name if plan.group else "", action="create")
        old_orgs: list[Organization] = []
        if member is None:
            member = self.batch.create_member(name=row.name, **wanted)
        else:
            old_orgs = [o for o in (member.org, member.group) if o is not None]
            changed = [k for k, v in wanted.items() if getattr(member, k) != v]
            if not member.is_active:
                changed.append("is_active")
            if changed:
                self.batch.change_member(member, {k: wanted.get(k, True) for k in changed})
            change.fields = [FIELD_LABELS.get(k, "在册") for k in changed]
            change.action = "update" if changed else "unchanged"
        if POSITIONS in self.columns:
            added, ended = self._sync_positions(member, plan, old_orgs)
            result.positions_added += added
            result.positions_ended += ended
            if (added or ended) and change.action != "create":
                change.action = "update"
                change.fields.append(FIELD_LABELS["positions"])
        return change

    def _sync_positions(self, member: Member, plan: _RowPlan, old_orgs: list) -> tuple[int, int]:
        scope_orgs = {BRANCH: plan.branch, GROUP: plan.group}
        managed = [o for o in (plan.branch, plan.group, *old_orgs) if o is not None]
        if self.org.kind == OrgKind.COMMITTEE:
            committee = self.committee_of(plan.branch)
            scope_orgs[COMMITTEE] = committee
            managed.append(committee)
        target = {(scope_orgs[scope].pk, role) for scope, role in plan.row.positions if scope_orgs.get(scope)}
        return self.batch.sync_positions(member, target, {o.pk for o in managed})


def _same_phone(row: RosterRow, member: Member) -> bool:
    if not row.phone or not member.phone:
        return False
    if row.phone_masked:
        return mask_phone(member.phone) == row.phone
    return member.phone == row.phone


def next_code(parent: Organization, kind: str) -> str:
    """A free code for a new child of ``parent``: branches ``ZB01``, ``ZB02`` … (unique in the
    whole tree), groups ``<branch code>-1``, ``-2`` …"""
    existing = set(Organization.objects.values_list("code", flat=True))
    n = 1
    while True:
        code = f"ZB{n:02d}" if kind == OrgKind.BRANCH else f"{parent.code}-{n}"
        if code not in existing:
            return code
        n += 1


def _add_child(parent: Organization, name: str, kind: str) -> Organization:
    """Create a child organization of ``parent`` through treebeard's manager."""
    return Organization.objects.add_child(parent, dict(name=name, code=next_code(parent, kind), kind=kind))


# ---- export ---------------------------------------------------------------------------------

EXPORT_COLUMNS = [
    Column(HEADERS["name"], 10), Column(HEADERS["gender"], 6),
    Column(HEADERS["birth_date"], 10, MONTH_FORMAT), Column(HEADERS["joined_on"], 12, DATE_FORMAT),
    Column(HEADERS["status"], 10), Column(HEADERS["branch"], 24), Column(HEADERS["group"], 14),
    Column(HEADERS["positions"], 22), Column(HEADERS["phone"], 14),
]


def roster_queryset(user=None, org: Organization | None = None):
    """Active members ``user`` may see (all when ``user`` is None, e.g. the CLI), optionally
    limited to ``org``'s subtree, with what the export and the list need, in roster order."""
    qs = Member.objects.filter(is_active=True)
    if user is not None:
        qs = qs.visible_to(user)
    if org is not None:
        qs = qs.filter(org__path__startswith=org.path)
    current = Position.objects.current().select_related("org").order_by("role")
    return qs.select_related("org", "group").prefetch_related(
        Prefetch("positions", queryset=current, to_attr="current_positions")
    ).order_by("org__path", "group__path", "name", "pk")


def position_labels(member: Member) -> str:
    """"书记、党小组长" — the member's current posts as the roster writes them (needs the
    ``current_positions`` prefetch of :func:`roster_queryset`)."""
    labels = []
    current = getattr(member, "current_positions", None)
    if current is None:
        current = member.positions.current().select_related("org")
    for position in current:
        if position.org_id == member.org_id:
            scope = BRANCH
        elif position.org.kind == OrgKind.GROUP:
            scope = GROUP
        elif position.org.kind == OrgKind.COMMITTEE:
            scope = COMMITTEE
        else:
            continue
        label = POSITION_LABELS.get((scope, position.role))
        if label and label not in labels:
            labels.append(label)
    order = list(POSITION_LABELS.values())
    return "、".join(sorted(labels, key=order.index))


def roster_rows(queryset):
    """Rows of the export in :data:`EXPORT_COLUMNS` order; phone numbers masked."""
    for m in queryset.iterator(chunk_size=500):
        yield [
            m.name, GENDER_TEXT.get(m.gender, ""), m.birth_date, m.joined_on,
            STATUS_TEXT.get(m.status, ""), m.org.name, m.group.name if m.group else "",
            position_labels(m), m.masked_phone,
        ]


def export_roster(target, org: Organization | None = None, user=None) -> int:
    """Write the roster (.xlsx, the import's format) to ``target`` (path or binary file);
    returns the number of members written. Phone numbers are masked (DESIGN.md Conventions)."""
    return write_xlsx(target, "党员花名册", EXPORT_COLUMNS, roster_rows(roster_queryset(user, org)))

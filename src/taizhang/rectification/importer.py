"""Import of an existing rectification ledger (.xlsx, also .xls/.ods via LibreOffice).

Issue 4 §3 and DESIGN.md "Imports are atomic": the whole file is read and checked first
(:mod:`.ledger_parse`: which ledgers are understood, and how); any error → nothing written,
and every bad row is reported with its sheet row number and column. A dry run does
everything in a transaction that is rolled back.

Re-importing the same file creates nothing: a problem is identified by its organization and
its description (whitespace ignored), a measure by its problem and its text. A re-import may
add a progress update (new 整改进展 text) or fill blank fields; it never moves a deadline
(that is an extension request) nor a status (that is the committee's verification): such
differences are reported as warnings.
"""

from __future__ import annotations

import datetime as dt
import re
import tempfile
from pathlib import Path

from django.db import transaction
from django.utils import timezone

from taizhang.core.sources import announce
from taizhang.orgs.models import LeadershipMember, Organization, OrgKind

from .models import (
    OTHER_SOURCE,
    Problem,
    ProblemSource,
    ProgressUpdate,
    Rectification,
    RectificationStatus,
    next_problem_number,
)

from .ledger_parse import LedgerIssue, LedgerResult, MeasureRow, _squash, parse_ledger


class _Rollback(Exception):
    """Raised inside the transaction of a dry run so that nothing is kept."""


def _committee_of(org: Organization) -> Organization:
    if org.kind == OrgKind.COMMITTEE:
        return org
    return Organization.objects.get_ancestors(org).filter(kind=OrgKind.COMMITTEE).last() or org


def _as_path(file, name: str | None) -> tuple[Path, str, tempfile.TemporaryDirectory | None]:
    if isinstance(file, (str, Path)):
        path = Path(file)
        return path, name or path.name, None
    data = bytes(file) if isinstance(file, (bytes, bytearray)) else file.read()
    name = name or Path(getattr(file, "name", "") or "ledger.xlsx").name
    tmp = tempfile.TemporaryDirectory()
    path = Path(tmp.name) / ("upload" + (Path(name).suffix or ".xlsx"))
    path.write_bytes(data)
    return path, name, tmp


def resolve_orgs(result: LedgerResult, org: Organization) -> None:
    """Set each problem's organization: ``org``, or, when the ledger has a 所属组织 column (a
    ledger of several organizations, as the export writes it), the organization of that name
    in ``org``'s subtree. An unknown or ambiguous name is an error naming the row."""
    by_name: dict[str, list[Organization]] = {}
    for candidate in Organization.objects.filter(path__startswith=org.path):
        by_name.setdefault(_squash(candidate.name), []).append(candidate)
    for prow in result.problems:
        if not prow.org_name or _squash(prow.org_name) == _squash(org.name):
            prow.org = org
            continue
        found = by_name.get(_squash(prow.org_name), [])
        if len(found) == 1:
            prow.org = found[0]
        else:
            reason = "有多个同名组织，无法确定" if found else f"不是“{org.name}”或其下级组织"
            result.errors.append(LedgerIssue(prow.row, "所属组织", f"“{prow.org_name}”{reason}"))


def import_ledger(file, org: Organization, dry_run: bool = False, user=None,
                  name: str | None = None, today: dt.date | None = None) -> LedgerResult:
    """Import a ledger into ``org``'s problem list, all or nothing.

    ``file``: a path, bytes or a file object; ``name`` the user's file name for messages.
    ``user``: recorded as the creator (None: the CLI). Returns a :class:`LedgerResult`;
    raises only ``OSError`` for an unreadable path.
    """
    today = today or timezone.localdate()
    path, name, tmp = _as_path(file, name)
    try:
        result = parse_ledger(path, name, today=today)
    finally:
        if tmp is not None:
            tmp.cleanup()
    result.dry_run = dry_run
    if not result.errors:
        resolve_orgs(result, org)
    if result.errors:
        return result
    try:
        with transaction.atomic():
            _Writer(org, user, today, result).apply()
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    return result


class _Writer:
    """Applies parsed problems to the database (inside the caller's transaction)."""

    def __init__(self, org, user, today, result: LedgerResult):
        self.org, self.user, self.today, self.result = org, user, today, result
        self.actor = user if getattr(user, "is_authenticated", False) else None
        committee = _committee_of(org)
        leaders: dict[str, list] = {}
        for lm in LeadershipMember.objects.filter(team__org=committee).select_related("member"):
            leaders.setdefault(lm.member.name, []).append(lm)
        self.leaders = {n: ls[0] for n, ls in leaders.items() if len(ls) == 1}
        names: dict[str, list] = {}
        for o in Organization.objects.filter(path__startswith=committee.path):
            names.setdefault(_squash(o.name), []).append(o)
        self.orgs = {n: os_[0] for n, os_ in names.items() if len(os_) == 1}
        self.sources = {s.name: s for s in ProblemSource.objects.all()}
        # The problem lists written to: ``org``'s, or those named in a 所属组织 column.
        org_ids = sorted({(prow.org or org).pk for prow in result.problems} | {org.pk})
        self.problems: dict[tuple[int, str], Problem] = {}  # (org id, squashed description)
        self.numbers: dict[int, set[int]] = {pk: set() for pk in org_ids}
        for pk in org_ids:
            next_problem_number(pk)  # locks each list for the import's transaction
        for p in Problem.objects.filter(org_id__in=org_ids).select_related("source"):
            self.problems.setdefault((p.org_id, _squash(p.description)), p)
            self.numbers[p.org_id].add(p.number)
        self.measures = {}
        self.positions: dict[int, int] = {}  # problem id → highest measure position
        # What changed, per model: (a written row, org ids, days) for one announcement each.
        self.changed: dict[type, tuple[object, set, set]] = {}
        for m in Rectification.objects.filter(org_id__in=org_ids):
            self.measures.setdefault((m.problem_id, _squash(m.measure)), m)
            self.positions[m.problem_id] = max(self.positions.get(m.problem_id, 0), m.position)

    def source(self, name: str) -> ProblemSource:
        name = " ".join(name.split())[:40] or OTHER_SOURCE
        if name not in self.sources:
            self.sources[name] = ProblemSource.objects.create(name=name, order=900)
            self.result.sources_created.append(name)
            self.result.warnings.append(LedgerIssue(None, "问题来源", f"新增问题来源“{name}”"))
        return self.sources[name]

    def number_for(self, org_id: int, written: str) -> int:
        """The 序号 of a new problem of organization ``org_id``: the file's when it is a whole
        number not yet used on that organization's list, else the next free one after the highest."""
        used = self.numbers[org_id]
        match = re.fullmatch(r"\s*(\d{1,9})(?:\.0*)?\s*", written or "")
        number = int(match.group(1)) if match and int(match.group(1)) > 0 else None
        if number is None or number in used:
            number = max(used, default=0) + 1
        used.add(number)
        return number

    def apply(self) -> None:
        for prow in self.result.problems:
            org = prow.org or self.org
            key = (org.pk, _squash(prow.description))
            problem = self.problems.get(key)
            source = self.source(prow.source)
            if problem is None:
                problem = Problem.objects.create(
                    org=org, number=self.number_for(org.pk, prow.number), source=source,
                    category=prow.category, description=prow.description, remarks=prow.remarks,
                    created_by=self.actor)
                self.problems[key] = problem
                self.result.problems_created += 1
                self.note(problem, org.pk, self.today)
            else:
                changed = []
                if problem.source_id != source.pk:
                    problem.source = source
                    changed.append("source")
                if prow.category and problem.category != prow.category:
                    problem.category = prow.category
                    changed.append("category")
                if changed:
                    problem.save()
                    self.result.problems_updated += 1
                else:
                    self.result.problems_unchanged += 1
            for mrow in prow.measures:
                self.apply_measure(problem, mrow)
        self.announce()

    def note(self, obj, org_id: int, *days) -> None:
        """Remember a written row of ``obj``'s model for :meth:`announce`."""
        _last, orgs, dates = self.changed.get(type(obj), (obj, set(), set()))
        self.changed[type(obj)] = (obj, orgs | {org_id}, dates | set(days))

    def announce(self) -> None:
        """Announce the import's changes (``core.sources``) once per model, with every
        organization and day concerned (not per row: a ledger of thousands of rows is one
        re-evaluation per model)."""
        for obj, org_ids, dates in self.changed.values():
            announce(obj, "update", org_ids, dates)

    def _links(self, mrow: MeasureRow) -> dict:
        leader = self.leaders.get(_squash(mrow.leader))
        dept_org = self.orgs.get(_squash(mrow.department))
        return {"leader": leader, "leader_name": leader.member.name if leader else mrow.leader[:50],
                "department_org": dept_org, "department": mrow.department[:100]}

    def apply_measure(self, problem: Problem, mrow: MeasureRow) -> None:
        key = (problem.pk, _squash(mrow.measure))
        rect = self.measures.get(key)
        if rect is None:
            status = (RectificationStatus.CLOSED if mrow.closed else
                      RectificationStatus.IN_PROGRESS if mrow.progress else RectificationStatus.OPEN)
            position = self.positions[problem.pk] = self.positions.get(problem.pk, 0) + 1
            rect = Rectification(
                problem=problem, org_id=problem.org_id, position=position, measure=mrow.measure,
                target=mrow.target, kind=mrow.kind, person=mrow.person[:50],
                deadline=mrow.deadline, status=status, progress=mrow.progress,
                progress_on=self.today if mrow.progress else None,
                completion_note=mrow.completion if mrow.completion not in _STATUS_WORDS else "",
                closed_on=self.today if mrow.closed else None, **self._links(mrow))
            rect.save()
            self.measures[key] = rect
            self.note(rect, rect.org_id, rect.effective_due, self.today)
            if mrow.progress:
                update = ProgressUpdate.objects.create(rectification=rect, reported_on=self.today,
                                                       done=mrow.progress, author=self.actor)
                self.note(update, rect.org_id, self.today)
            if status != RectificationStatus.OPEN:
                from taizhang.core.status import record_event

                record_event(rect, "import", actor=self.user, comment="导入台账时的状态", to_state=status)
            self.result.measures_created += 1
            return
        changed = False
        links = self._links(mrow)
        for name in ("leader_name", "department", "person", "target"):
            value = links.get(name, getattr(mrow, name, ""))
            if value and getattr(rect, name) != value:
                setattr(rect, name, value)
                changed = True
        if links["leader"] and rect.leader_id != links["leader"].pk:
            rect.leader = links["leader"]
            changed = True
        if mrow.deadline and rect.deadline and mrow.deadline != rect.deadline:
            self.result.warnings.append(LedgerIssue(
                mrow.row, "整改时限", f"与系统中的时限 {rect.deadline:%Y-%m-%d} 不同，未修改（调整时限请提交延期申请）"))
        elif mrow.deadline and rect.deadline is None:
            rect.deadline = mrow.deadline
            changed = True
        is_closed = rect.status == RectificationStatus.CLOSED
        if mrow.closed != is_closed:
            self.result.warnings.append(LedgerIssue(
                mrow.row, "是否销号", f"系统中为“{rect.get_status_display()}”，未修改（销号须经核验）"))
        if mrow.progress and _squash(mrow.progress) != _squash(rect.progress):
            update = ProgressUpdate.objects.create(rectification=rect, reported_on=self.today,
                                                   done=mrow.progress, author=self.actor)
            self.note(update, rect.org_id, self.today)
            rect.progress, rect.progress_on = mrow.progress, self.today
            changed = True
        if changed:
            rect.save()
            self.note(rect, rect.org_id, rect.effective_due, self.today)
            self.result.measures_updated += 1
        else:
            self.result.measures_unchanged += 1


_STATUS_WORDS = {label for _v, label in RectificationStatus.choices} | {"是", "否"}

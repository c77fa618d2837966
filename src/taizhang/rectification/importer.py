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

Writing (issue 13 §1): reading, checking and planning every change happen outside any
transaction, so SQLite's write lock is not held while the workbook is read. Then one short
transaction checks that the problem lists did not change meanwhile (else plans again under
the lock) and writes everything in bulk — new rows with ``bulk_create``, changed rows with
``bulk_update``, their audit entries and domain events in bulk too
(:mod:`taizhang.core.bulkwrite`): a 10,000-row ledger holds the lock about a second.
A dry run only plans: nothing is written and no lock is taken.
"""

from __future__ import annotations

import copy
import datetime as dt
import re
import tempfile
from collections.abc import Callable
from pathlib import Path

from django.db import connection, models, transaction
from django.db.models import signals
from django.db.models.base import ModelState
from django.db.models.query_utils import DeferredAttribute
from django.utils import timezone

from taizhang.core.audit import audit_actor
from taizhang.core.bulkwrite import audit_updated, bulk_events, insert_rows, prepare_created
from taizhang.core.sources import announce
from taizhang.orgs.models import LeadershipMember, Organization, OrgKind

from .models import (
    OTHER_SOURCE,
    Problem,
    ProblemSource,
    ProgressUpdate,
    Rectification,
    RectificationStatus,
)

from .ledger_parse import LedgerIssue, LedgerResult, MeasureRow, _squash, parse_ledger


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


class _Builder:
    """Unsaved instances of ``model`` equal to what ``model(**values)`` builds, without
    ``Model.__init__``'s walk over every field for each row (most of the plan's time for
    10,000 rows): the defaults are taken once from a blank instance, the values of plain
    fields are put in the instance's dict, the others (foreign keys by object or id, the
    status field) go through their descriptors as ``__init__`` sends them. Falls back to
    ``model(**values)`` when the model has ``pre_init``/``post_init`` receivers or a default
    that is not an immutable value (shared between rows it would be wrong)."""

    _IMMUTABLE = (str, int, float, bool, dt.date, type(None))

    def __init__(self, model: type[models.Model]):
        self.model = model
        blank = model()
        self.defaults = {k: v for k, v in blank.__dict__.items() if k != "_state"}
        self.plain = {f.attname for f in model._meta.concrete_fields
                      if type(getattr(model, f.attname, None)) is DeferredAttribute}
        self.fast = (not signals.pre_init.has_listeners(model) and not signals.post_init.has_listeners(model)
                     and all(isinstance(v, self._IMMUTABLE) for v in self.defaults.values())
                     and set(self.defaults) == {f.attname for f in model._meta.concrete_fields})

    def __call__(self, **values):
        """A new unsaved instance with ``values`` (field names, as for the constructor)."""
        if not self.fast:
            return self.model(**values)
        obj = self.model.__new__(self.model)
        state = obj.__dict__
        state.update(self.defaults)
        state["_state"] = ModelState()
        plain = self.plain
        for name, value in values.items():
            if name in plain:
                state[name] = value
            else:
                setattr(obj, name, value)
        return obj


Progress = Callable[[int, str], None]
"""A progress callback: ``progress(percent 0..100, stage)`` (the background job's display)."""

_MEASURE_FIELDS = ["leader_name", "department", "person", "target", "leader", "deadline",
                   "due_workday", "effective_due", "progress", "progress_on", "version", "updated_at"]


def import_ledger(file, org: Organization, dry_run: bool = False, user=None,
                  name: str | None = None, today: dt.date | None = None,
                  progress: Progress | None = None) -> LedgerResult:
    """Import a ledger into ``org``'s problem list, all or nothing.

    ``file``: a path, bytes or a file object; ``name`` the user's file name for messages.
    ``user``: recorded as the creator and the audit actor (None: the CLI). ``progress``:
    called with (percent, stage) as the import advances. Returns a :class:`LedgerResult`;
    raises only ``OSError`` for an unreadable path. The write is one short transaction of
    bulk statements (see the module docstring); call it outside a transaction so that the
    workbook is not read while the write lock is held.
    """
    today = today or timezone.localdate()
    report = progress or (lambda percent, stage: None)
    report(0, "read")
    path, name, tmp = _as_path(file, name)
    try:
        result = parse_ledger(path, name, today=today)
    finally:
        if tmp is not None:
            tmp.cleanup()
    result.dry_run = dry_run
    report(60, "check")
    if not result.errors:
        resolve_orgs(result, org)
    if result.errors:
        return result
    writer = _Writer(org, user, today, result)
    writer.plan()
    if dry_run:
        report(100, "done")
        return result
    report(80, "write")
    writer.prepare_audit()
    with transaction.atomic():
        writer.lock_lists()
        if writer.stale():  # someone wrote to these lists since they were read: plan again
            writer = _Writer(org, user, today, _reset(result))
            writer.plan()
            writer.prepare_audit()
        writer.write()
    report(100, "done")
    return result


def _reset(result: LedgerResult) -> LedgerResult:
    """``result`` with the counts and warnings of a plan cleared (to plan again)."""
    result.problems_created = result.problems_updated = result.problems_unchanged = 0
    result.measures_created = result.measures_updated = result.measures_unchanged = 0
    result.sources_created = []
    result.warnings = []
    return result


class _Writer:
    """Plans the changes of parsed problems against the database (reads only), then writes
    them in bulk (:meth:`write`, inside the caller's transaction)."""

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
        self.org_ids = sorted({(prow.org or org).pk for prow in result.problems} | {org.pk})
        self.fingerprint = self.read_fingerprint()
        # Problems by (org id, squashed description); measures by (that key, squashed text).
        self.problems: dict[tuple[int, str], Problem] = {}
        self.numbers: dict[int, set[int]] = {pk: set() for pk in self.org_ids}
        key_of: dict[int, tuple[int, str]] = {}
        for p in Problem.objects.filter(org_id__in=self.org_ids).select_related("source"):
            key = (p.org_id, _squash(p.description))
            self.problems.setdefault(key, p)
            key_of[p.pk] = key
            self.numbers[p.org_id].add(p.number)
        self.measures: dict[tuple, Rectification] = {}
        self.positions: dict[tuple[int, str], int] = {}  # problem key → highest measure position
        for m in Rectification.objects.filter(org_id__in=self.org_ids):
            pkey = key_of[m.problem_id]
            self.measures.setdefault((pkey, _squash(m.measure)), m)
            self.positions[pkey] = max(self.positions.get(pkey, 0), m.position)
        # What the plan writes.
        self.new_sources: list[ProblemSource] = []
        self.new_problems: list[Problem] = []
        self.changed_problems: dict[int, tuple[Problem, Problem]] = {}  # pk → (before, after)
        self.new_measures: list[Rectification] = []
        self.changed_measures: dict[int, tuple[Rectification, Rectification]] = {}
        self.new_updates: list[ProgressUpdate] = []
        self.events: list[tuple] = []
        # What changed, per model: (org ids, days) for one announcement each.
        self.changed: dict[type, tuple[set, set]] = {}
        self.build = {model: _Builder(model) for model in (Problem, Rectification, ProgressUpdate)}

    # ---- reading and planning (no lock) --------------------------------------------------

    def read_fingerprint(self) -> tuple:
        """What identifies the state of the problem lists written to: count, highest id and
        latest change of their problems and measures, and the problem sources."""
        def summary(queryset):
            return tuple(queryset.aggregate(n=models.Count("pk"), top=models.Max("pk"),
                                            at=models.Max("updated_at")).values())
        return (summary(Problem.objects.filter(org_id__in=self.org_ids)),
                summary(Rectification.objects.filter(org_id__in=self.org_ids)),
                tuple(ProblemSource.objects.aggregate(n=models.Count("pk"), top=models.Max("pk")).values()))

    def stale(self) -> bool:
        """True when the problem lists changed since this plan read them."""
        return self.read_fingerprint() != self.fingerprint

    def lock_lists(self) -> None:
        """Lock the organizations written to until the transaction ends (PostgreSQL: row
        locks, so two imports or a new problem do not take the same 序号; SQLite's writer
        lock already serialises them)."""
        if connection.features.has_select_for_update:
            list(Organization.objects.select_for_update().filter(pk__in=self.org_ids).values_list("pk"))

    def source(self, name: str) -> ProblemSource:
        name = " ".join(name.split())[:40] or OTHER_SOURCE
        if name not in self.sources:
            self.sources[name] = ProblemSource(name=name, order=900)
            self.new_sources.append(self.sources[name])
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

    def plan(self) -> None:
        """Work out every row to create or change and count it in the result (no writes)."""
        for prow in self.result.problems:
            org = prow.org or self.org
            key = (org.pk, _squash(prow.description))
            problem = self.problems.get(key)
            source = self.source(prow.source)
            if problem is None:
                problem = self.build[Problem](
                    org=org, number=self.number_for(org.pk, prow.number), source=source,
                    category=prow.category, description=prow.description, remarks=prow.remarks,
                    created_by=self.actor)
                self.problems[key] = problem
                self.new_problems.append(problem)
                self.result.problems_created += 1
                self.note(Problem, org.pk, self.today)
            else:
                changes = {}
                if problem.source_id != source.pk:
                    changes["source"] = source
                if prow.category and problem.category != prow.category:
                    changes["category"] = prow.category
                if changes:
                    self.changed_problems[problem.pk] = (self.before(self.changed_problems, problem), problem)
                    for name, value in changes.items():
                        setattr(problem, name, value)
                    self.result.problems_updated += 1
                else:
                    self.result.problems_unchanged += 1
            for mrow in prow.measures:
                self.plan_measure(key, problem, mrow)

    @staticmethod
    def before(changed: dict, obj):
        """``obj`` as it was read: the copy taken at its first change (``changed``: pk →
        (before, after)), else a copy taken now, before it is changed (unchanged rows are
        not copied)."""
        return changed[obj.pk][0] if obj.pk in changed else copy.copy(obj)

    def note(self, model: type, org_id: int, *days) -> None:
        """Remember a change of ``model`` for :meth:`announce`."""
        orgs, dates = self.changed.setdefault(model, (set(), set()))
        orgs.add(org_id)
        dates.update(days)

    def _links(self, mrow: MeasureRow) -> dict:
        leader = self.leaders.get(_squash(mrow.leader))
        dept_org = self.orgs.get(_squash(mrow.department))
        return {"leader": leader, "leader_name": leader.member.name if leader else mrow.leader[:50],
                "department_org": dept_org, "department": mrow.department[:100]}

    def plan_measure(self, pkey: tuple[int, str], problem: Problem, mrow: MeasureRow) -> None:
        key = (pkey, _squash(mrow.measure))
        rect = self.measures.get(key)
        if rect is None:
            self.plan_new_measure(key, pkey, problem, mrow)
            return
        changes = {}  # field → new value, set on ``rect`` once it is copied as it was
        links = self._links(mrow)
        for name in ("leader_name", "department", "person", "target"):
            value = links.get(name, getattr(mrow, name, ""))
            if value and getattr(rect, name) != value:
                changes[name] = value
        if links["leader"] and rect.leader_id != links["leader"].pk:
            changes["leader"] = links["leader"]
        if mrow.deadline and rect.deadline and mrow.deadline != rect.deadline:
            self.result.warnings.append(LedgerIssue(
                mrow.row, "整改时限", f"与系统中的时限 {rect.deadline:%Y-%m-%d} 不同，未修改（调整时限请提交延期申请）"))
        elif mrow.deadline and rect.deadline is None:
            changes["deadline"] = mrow.deadline
        is_closed = rect.status == RectificationStatus.CLOSED
        if mrow.closed != is_closed:
            self.result.warnings.append(LedgerIssue(
                mrow.row, "是否销号", f"系统中为“{rect.get_status_display()}”，未修改（销号须经核验）"))
        if mrow.progress and _squash(mrow.progress) != _squash(rect.progress):
            self.new_updates.append(self.build[ProgressUpdate](rectification=rect, reported_on=self.today,
                                                   done=mrow.progress, author=self.actor))
            self.note(ProgressUpdate, rect.org_id, self.today)
            changes["progress"], changes["progress_on"] = mrow.progress, self.today
        if changes:
            self.changed_measures[rect.pk] = (self.before(self.changed_measures, rect), rect)
            for name, value in changes.items():
                setattr(rect, name, value)
            rect.derive_dates()
            self.note(Rectification, rect.org_id, rect.effective_due, self.today)
            self.result.measures_updated += 1
        else:
            self.result.measures_unchanged += 1

    def plan_new_measure(self, key, pkey, problem: Problem, mrow: MeasureRow) -> None:
        status = (RectificationStatus.CLOSED if mrow.closed else
                  RectificationStatus.IN_PROGRESS if mrow.progress else RectificationStatus.OPEN)
        position = self.positions[pkey] = self.positions.get(pkey, 0) + 1
        rect = self.build[Rectification](
            problem=problem, org_id=problem.org_id, position=position, measure=mrow.measure,
            target=mrow.target, kind=mrow.kind, person=mrow.person[:50],
            deadline=mrow.deadline, status=status, progress=mrow.progress,
            progress_on=self.today if mrow.progress else None,
            completion_note=mrow.completion if mrow.completion not in _STATUS_WORDS else "",
            closed_on=self.today if mrow.closed else None, **self._links(mrow))
        rect.derive_dates()
        self.measures[key] = rect
        self.new_measures.append(rect)
        self.note(Rectification, rect.org_id, rect.effective_due, self.today)
        if mrow.progress:
            self.new_updates.append(self.build[ProgressUpdate](rectification=rect, reported_on=self.today,
                                                   done=mrow.progress, author=self.actor))
            self.note(ProgressUpdate, rect.org_id, self.today)
        if status != RectificationStatus.OPEN:
            self.events.append((rect, "import", "导入台账时的状态", "", status))
        self.result.measures_created += 1

    # ---- writing (inside the caller's transaction) ---------------------------------------

    def prepare_audit(self) -> None:
        """Build the "create" audit entries of the new rows before the write lock is taken
        (their ids and the links to rows created alongside are filled in by :meth:`write`)."""
        with audit_actor(self.actor):
            self.audits = [prepare_created(self.new_problems, refresh=("source",)),
                           prepare_created(self.new_measures, refresh=("problem",)),
                           prepare_created(self.new_updates, refresh=("rectification",))]

    def write(self) -> None:
        """Write the plan in bulk, with its audit entries and events, and announce it."""
        now = timezone.now()
        with audit_actor(self.actor):
            for source in self.new_sources:  # a handful; audited by auditlog's receiver
                source.save()
            for problem in self.new_problems:
                problem.source_id = problem.source.pk
            insert_rows(Problem, self.new_problems)
            problem_pairs = list(self.changed_problems.values())
            for _before, problem in problem_pairs:
                problem.source_id = problem.source.pk
                problem.updated_at = now
            Problem.objects.bulk_update([p for _b, p in problem_pairs], ["source", "category", "updated_at"],
                                        batch_size=500)
            for rect in self.new_measures:
                rect.problem_id = rect.problem.pk
            insert_rows(Rectification, self.new_measures)
            measure_pairs = list(self.changed_measures.values())
            for _before, rect in measure_pairs:
                rect.version = (rect.version or 0) + 1
                rect.updated_at = now
            Rectification.objects.bulk_update([r for _b, r in measure_pairs], _MEASURE_FIELDS, batch_size=500)
            for update in self.new_updates:
                update.rectification_id = update.rectification.pk
            insert_rows(ProgressUpdate, self.new_updates)
            for audit in self.audits:
                audit.write()
            audit_updated(problem_pairs)
            audit_updated(measure_pairs)
            bulk_events(self.events, actor=self.user)
        self.announce()

    def announce(self) -> None:
        """Announce the import's changes (``core.sources``) once per model, with every
        organization and day concerned (not per row: a ledger of thousands of rows is one
        re-evaluation per model)."""
        written = {Problem: self.new_problems + [p for _b, p in self.changed_problems.values()],
                   Rectification: self.new_measures + [r for _b, r in self.changed_measures.values()],
                   ProgressUpdate: self.new_updates}
        for model, (org_ids, dates) in self.changed.items():
            if written[model]:
                announce(written[model][-1], "update", org_ids, dates)


_STATUS_WORDS = {label for _v, label in RectificationStatus.choices} | {"是", "否"}

"""Publishing a plan: assignments and occurrences for every responsible organization.

The bulk synchronisation behind :func:`taizhang.plans.services.publish_plan` (DESIGN.md "The
main job" step 3): one ``Assignment`` per (task, responsible org) and, for a recurring task,
one ``Occurrence`` per period of the campaign. A city publishes one plan to hundreds of
branches (issue 3 §5: 500 branches, ≈ 4,000 assignments and 5,000 occurrences from the seed),
so the work is done on rows held in memory, with a number of queries that does not depend
on the number of branches:

- the plan's items and rules, the branches, the existing assignments and occurrences: one
  query each;
- new rows: ``bulk_create`` in batches (one INSERT per batch of :data:`BATCH_SIZE` rows —
  Django makes it ~100 on SQLite for its 999 parameters);
- changed deadlines: one UPDATE per distinct new value (per :data:`UPDATE_CHUNK` rows), not a
  CASE per row;
- evidence: the records that already exist are counted once for all new and existing rows
  (``evidence.count``: one query per record rule) *before* the rows are written, so new rows
  are inserted with their counts; only the rows whose status must move (or whose counts
  changed) go through ``evidence.apply``, which moves them with ``bulk_transition`` and writes
  their domain events in bulk. The result equals :func:`evidence.evaluate_campaign` run after
  the publish (the tests check that such a run changes nothing);
- removed rows: Django's deletion collector on the rows in memory, with django-auditlog's
  deletion entries (the same entries its ``post_delete`` receiver writes row by row) written
  with one INSERT per batch.

Only these batches grow with the rows (``benchmarks/bench_publish.py`` counts them apart); every
other statement is the same at 2 and at 500 branches.

Audit and events, as before this module: created rows are written in bulk without per-row
django-auditlog entries, deadline updates without entries either (as ``bulk_update`` did);
every removed row has its auditlog deletion entry; the campaign's status change is audited;
every status move by records has its ``core.models.Event``.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from auditlog import get_logentry_model
from auditlog.cid import get_cid
from auditlog.context import auditlog_disabled, disable_auditlog
from auditlog.diff import model_instance_diff
from auditlog.registry import auditlog
from auditlog.signals import post_log, pre_log
from django.conf import settings
from django.contrib.contenttypes.models import ContentType
from django.db import router, transaction
from django.db.models.deletion import Collector
from django.db.models.signals import pre_save
from django.utils import timezone
from django.utils.encoding import smart_str

from taizhang.core.workdays import last_workday_on_or_before
from taizhang.orgs.models import Organization, OrgKind

from . import evidence
from .models import (
    Assignment,
    AssignmentStatus,
    Campaign,
    CampaignStatus,
    ItemKind,
    Occurrence,
    Plan,
    PlanItem,
    Responsible,
)
from .periods import periods_for

BATCH_SIZE = 1000  # rows per INSERT (Django lowers it on SQLite to fit 999 parameters)
UPDATE_CHUNK = 500  # primary keys per "UPDATE … WHERE id IN (…)"


def assignable_items(plan: Plan, items: list[PlanItem] | None = None) -> list[PlanItem]:
    """The plan's tasks that are assigned: tasks without task children (leaves of the work).

    ``items`` may pass the plan's items already loaded (a list of ``PlanItem``); otherwise
    they are read (one query). Returns them in the plan's order.
    """
    items = list(plan.items.all()) if items is None else items
    parents_of_tasks = {i.parent_id for i in items if i.kind == ItemKind.TASK and i.parent_id}
    return [i for i in items if i.kind == ItemKind.TASK and i.pk not in parents_of_tasks]


def responsible_orgs(item: PlanItem, committees: list[Organization] | Organization,
                     branches: list[Organization]):
    """Which organizations answer for ``item``: every committee of the tree, or every branch.

    ``committees`` is the campaign's committee followed by the committees below it (a city
    committee's plan gives its 二.x tasks to each unit committee, issue 12 §1; seed 四.1–四.2),
    or one ``Organization``. Member-level obligations (e.g. "普通党员全员讲好微党课", seed
    三.2（2）) are tracked per branch, which counts its members. An item with no responsible
    level is the committees'. Returns ``branches`` itself or the list of committees.
    """
    if item.responsible in (Responsible.BRANCH, Responsible.MEMBER):
        return branches
    return list(committees) if isinstance(committees, list | tuple) else [committees]


def tree_orgs(committee: Organization) -> tuple[list[Organization], list[Organization]]:
    """The committees (``committee`` first, then the committees below it in tree order) and
    the branches of ``committee``'s subtree: who gets a plan's tasks (one query)."""
    below = list(Organization.objects.filter(
        path__startswith=committee.path, kind__in=[OrgKind.COMMITTEE, OrgKind.BRANCH],
    ).exclude(pk=committee.pk))
    committees = [committee] + [o for o in below if o.kind == OrgKind.COMMITTEE]
    return committees, [o for o in below if o.kind == OrgKind.BRANCH]


def assignment_due(item: PlanItem, campaign_due: dt.date | None) -> dt.date | None:
    """When an assignment of ``item`` is due: the item's deadline (its last working day when
    the date is a holiday), else the campaign's end ("2024年1月基本结束", seed 二), none for a
    long-term item (长期坚持)."""
    if item.ongoing:
        return None
    return item.effective_due or campaign_due


@dataclass
class PublishResult:
    """Counts of what :func:`publish_plan` changed (rows created, updated and removed, and
    targets completed by records that existed already)."""

    assignments_created: int = 0
    assignments_updated: int = 0
    assignments_removed: int = 0
    occurrences_created: int = 0
    occurrences_updated: int = 0
    occurrences_removed: int = 0
    completed_by_records: int = 0

    def summary(self) -> str:
        """One line for the command line and logs, in the user's language (the same words
        as the publish page's message)."""
        from django.utils.translation import gettext

        return gettext(
            "已发布：新增任务分解 %(ac)d 项、更新 %(au)d 项、移除 %(ar)d 项；"
            "新增周期任务 %(oc)d 项、更新 %(ou)d 项、移除 %(or)d 项。"
        ) % {"ac": self.assignments_created, "au": self.assignments_updated,
             "ar": self.assignments_removed, "oc": self.occurrences_created,
             "ou": self.occurrences_updated, "or": self.occurrences_removed}


@transaction.atomic
def publish_plan(campaign: Campaign, user=None) -> PublishResult:
    """Publish (or re-publish) ``campaign``'s plan to its organization tree.

    One ``Assignment`` per (task, responsible org: :func:`responsible_orgs`; committee tasks
    go to the campaign's committee and every committee below it) due on
    :func:`assignment_due`, and for a recurring task one ``Occurrence`` per period of
    ``periods.periods_for`` inside the campaign period (DESIGN.md "The main job" step 3).
    Re-publishing after an edit updates deadlines and periods and adds rows without
    duplicating: publishing twice creates nothing new. Rows no longer in the plan are
    removed only while nothing was done on them (status pending); an assignment removed takes
    its occurrences with it. Records entered before publishing count at once (evidence rules,
    ``plans.evidence``): targets they satisfy are completed, with their domain events.

    Atomic (all or nothing); the campaign row is locked first, so two publishes of one
    campaign run one after the other. ``user`` is accepted for the callers' symmetry; the
    evidence moves are recorded without an actor (made by the records). The number of
    queries does not depend on the number of branches, apart from the batches of rows written
    (INSERT per :data:`BATCH_SIZE` new rows; on a re-publish after an edit, UPDATE and DELETE
    batches and the audit entries of removed rows). Raises ``Plan.DoesNotExist`` when the campaign has no plan,
    ``ValueError`` for a recurrence ``periods_for`` cannot read. Returns a
    :class:`PublishResult`.
    """
    list(Campaign.objects.select_for_update().filter(pk=campaign.pk).values_list("pk", flat=True))
    plan = campaign.plan
    committee = campaign.org
    committees, branches = tree_orgs(committee)
    all_items = list(plan.items.prefetch_related("rules"))
    items = assignable_items(plan, all_items)
    result = PublishResult()

    rows = _Rows.load(plan, all_items, [*committees, *branches])
    new_assignments = _sync_assignments(rows, campaign, items, committees, branches, result)
    new_occurrences = _sync_occurrences(rows, campaign, items, result)

    targets = _targets(campaign, rows)
    evidence.count(targets)  # records entered before publishing: one query per record rule
    for target in targets:
        if target.obj.pk is None and target.results:
            target.obj.evidence_count, target.obj.evidence_needed = target.count, target.needed

    Assignment.objects.bulk_create(new_assignments, batch_size=BATCH_SIZE)
    _ensure_pks(plan, new_assignments)
    # bulk_create takes each occurrence's assignment id from its (now saved) assignment and
    # keeps the assignment attached (setting assignment_id by hand would drop it).
    Occurrence.objects.bulk_create(new_occurrences, batch_size=BATCH_SIZE)
    result.assignments_created = len(new_assignments)
    result.occurrences_created = len(new_occurrences)

    unsettled = sorted(
        (t for t in targets if _unsettled(t)),
        key=lambda t: (isinstance(t.obj, Assignment), getattr(t.obj, "assignment_id", 0),
                       getattr(t.obj, "period_start", dt.date.min), t.obj.pk),
    )
    result.completed_by_records = evidence.apply(unsettled).completed if unsettled else 0

    campaign.status = CampaignStatus.PUBLISHED
    campaign.published_at = timezone.now()
    campaign.save(update_fields=["status", "published_at", "updated_at"])
    return result


@dataclass
class _Rows:
    """The plan's assignments and occurrences as they will stand after the publish, in
    memory, with their item, organization and assignment attached (no query to reach them)."""

    assignments: list[Assignment]
    occurrences: list[Occurrence]

    @classmethod
    def load(cls, plan: Plan, items: list[PlanItem], orgs: list[Organization]) -> _Rows:
        assignments = list(Assignment.objects.filter(item__plan=plan).order_by("pk"))
        occurrences = list(Occurrence.objects.filter(assignment__item__plan=plan)
                           .order_by("assignment_id", "period_start"))
        by_org = {o.pk: o for o in orgs}
        missing = {a.org_id for a in assignments} - by_org.keys()
        if missing:  # an organization that left the tree still has its done work here
            by_org.update(Organization.objects.in_bulk(missing))
        by_item = {i.pk: i for i in items}
        for a in assignments:
            a.item, a.org = by_item[a.item_id], by_org[a.org_id]
        by_assignment = {a.pk: a for a in assignments}
        for occ in occurrences:
            occ.assignment = by_assignment[occ.assignment_id]
        return cls(assignments, occurrences)


def _sync_assignments(rows: _Rows, campaign: Campaign, items: list[PlanItem],
                      committees: list[Organization], branches: list[Organization],
                      result: PublishResult) -> list[Assignment]:
    """Update deadlines and remove stale pending assignments (with their occurrences) in
    the database; return the new assignments, not yet saved (``rows`` includes them)."""
    wanted: dict[tuple[int, int], tuple[PlanItem, Organization]] = {}
    for item in items:
        for org in responsible_orgs(item, committees, branches):
            wanted[(item.pk, org.pk)] = (item, org)
    existing = {(a.item_id, a.org_id): a for a in rows.assignments}
    default_due = last_workday_on_or_before(campaign.end) if campaign.end else None
    to_create, to_update = [], []
    for key, (item, org) in wanted.items():
        due = assignment_due(item, default_due)
        assignment = existing.get(key)
        if assignment is None:
            to_create.append(Assignment(item=item, org=org, due=due))
        elif assignment.due != due:
            assignment.due = due
            to_update.append(assignment)
    _update_by_value(Assignment, to_update, ["due"])
    result.assignments_updated = len(to_update)

    stale = {a.pk for key, a in existing.items()
             if key not in wanted and a.status == AssignmentStatus.PENDING}
    if stale:
        _delete([o for o in rows.occurrences if o.assignment_id in stale])
        removed = _delete([a for a in rows.assignments if a.pk in stale])
        result.assignments_removed = removed.get(Assignment._meta.label, 0)
        rows.occurrences = [o for o in rows.occurrences if o.assignment_id not in stale]
        rows.assignments = [a for a in rows.assignments if a.pk not in stale]
    rows.assignments += to_create
    return to_create


def _sync_occurrences(rows: _Rows, campaign: Campaign, items: list[PlanItem],
                      result: PublishResult) -> list[Occurrence]:
    """Periods of every current assignment of a recurring assignable item: update changed
    periods, remove stale pending ones in the database; return the new occurrences, not yet
    saved (``rows`` includes them)."""
    periods_by_item = {
        item.pk: periods_for(item.recurrence, campaign.start, campaign.end)
        for item in items
        if item.recurrence
    }
    existing = {(o.assignment_id, o.period_start): o for o in rows.occurrences}
    kept: set[int] = set()
    to_create, to_update = [], []
    for assignment in rows.assignments:  # existing ones by pk, then the new ones
        for period in periods_by_item.get(assignment.item_id, ()):
            occ = existing.get((assignment.pk, period.start)) if assignment.pk else None
            if occ is None:
                to_create.append(Occurrence(
                    assignment=assignment, period_start=period.start,
                    period_end=period.end, due=period.due,
                ))
                continue
            kept.add(occ.pk)
            if (occ.period_end, occ.due) != (period.end, period.due):
                occ.period_end, occ.due = period.end, period.due
                to_update.append(occ)
    _update_by_value(Occurrence, to_update, ["period_end", "due"])
    stale = [o for o in rows.occurrences
             if o.pk not in kept and o.status == AssignmentStatus.PENDING]
    removed = _delete(stale).get(Occurrence._meta.label, 0)
    stale_pks = {o.pk for o in stale}
    rows.occurrences = [o for o in rows.occurrences if o.pk not in stale_pks] + to_create
    result.occurrences_updated = len(to_update)
    result.occurrences_removed = removed
    return to_create


def _targets(campaign: Campaign, rows: _Rows) -> list[evidence.Target]:
    """The evidence targets of ``evidence.evaluate_campaign``: every occurrence, and every
    assignment of a non-recurring item, built from the rows in memory."""
    # Same window as evidence.targets_for: the campaign period, open where it has no date.
    window = (campaign.start or dt.date.min, campaign.end or dt.date.max)
    targets = [
        evidence.Target(occ, occ.assignment.item, occ.assignment.org,
                        (occ.period_start, occ.period_end), window)
        for occ in rows.occurrences if not occ.assignment.delegated_to_id  # plans.delegation
    ]
    targets += [evidence.Target(a, a.item, a.org, None, window)
                for a in rows.assignments if not a.item.recurrence and not a.delegated_to_id]
    return targets


def _unsettled(target: evidence.Target) -> bool:
    """Whether ``evidence.apply`` has anything to write for ``target`` (counted already):
    counts that differ from the stored ones, or a status the counts move."""
    obj = target.obj
    if not target.results:
        return False
    return ((obj.evidence_count, obj.evidence_needed) != (target.count, target.needed)
            or (target.met and obj.status == AssignmentStatus.PENDING)
            or (not target.met and obj.status == AssignmentStatus.DONE))


def _update_by_value(model, objs: list, fields: list[str]) -> None:
    """Write ``fields`` of ``objs``: one UPDATE per distinct combination of new values (in
    chunks of :data:`UPDATE_CHUNK` keys), instead of ``bulk_update``'s CASE per row — a
    changed deadline is the same for every branch."""
    groups: dict[tuple, list[int]] = defaultdict(list)
    for obj in objs:
        groups[tuple(getattr(obj, f) for f in fields)].append(obj.pk)
    now = timezone.now()
    for values, pks in groups.items():
        # updated_at too: the board's cache stamp (plans.boardcache) must see the change
        changes = {**dict(zip(fields, values, strict=True)), "updated_at": now}
        for start in range(0, len(pks), UPDATE_CHUNK):
            model.objects.filter(pk__in=pks[start:start + UPDATE_CHUNK]).update(**changes)


def _delete(objs: list) -> dict[str, int]:
    """Delete ``objs`` (instances of one model, loaded with their related rows attached) and
    what cascades from them, through Django's deletion collector; returns the rows deleted
    per model label.

    django-auditlog records every deleted row of a registered model, as it does for
    ``QuerySet.delete()`` (DESIGN.md "Audit"), but its entries are written with one INSERT per
    batch (:func:`deletion_log_entries`) instead of one per row.
    """
    if not objs:
        return {}
    using = router.db_for_write(type(objs[0]))
    collector = Collector(using=using)
    collector.collect(objs)
    entries = [
        entry
        for model, instances in collector.data.items() if auditlog.contains(model)
        for entry in deletion_log_entries(sorted(instances, key=lambda o: o.pk), using)
    ]
    with disable_auditlog():
        deleted = collector.delete()[1]
    log_entry = get_logentry_model()
    log_entry.objects.using(using).bulk_create([e for e, _ in entries], batch_size=BATCH_SIZE)
    _post_log(entries)
    return deleted


def deletion_log_entries(objs: list, using: str = "default") -> list[tuple]:
    """django-auditlog's deletion entries of ``objs`` (instances of one registered model,
    before they are deleted), unsaved, each as ``(entry, (instance, pre_log results,
    changes))``: what its ``post_delete`` receiver would write for each row
    (``auditlog.receivers.log_delete`` → ``LogEntry.objects.log_create``): the same
    ``pre_log`` veto, changes, representation, serialized data, correlation id, and the
    actor and request data set by the ``pre_save`` receivers of the audit context (auditlog's
    middleware, ``records.services.audit_actor``). Nothing is returned while auditlog is
    disabled. ``plans.tests.test_publish_bulk`` compares them with auditlog's own entries.
    """
    if not objs or auditlog_disabled.get():
        return []
    log_entry = get_logentry_model()
    action = log_entry.Action.DELETE
    model = type(objs[0])
    content_type = ContentType.objects.db_manager(using).get_for_model(model)
    cid = get_cid()
    entries = []
    for obj in objs:
        pre_log_results = pre_log.send(model, instance=obj, action=action)
        if any(result is False for _, result in pre_log_results):
            continue
        changes = model_instance_diff(
            obj, None, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES)
        if not changes:
            continue
        pk = log_entry.objects._get_pk_value(obj)
        entry = log_entry(
            content_type=content_type, object_pk=pk, object_repr=smart_str(obj),
            serialized_data=log_entry.objects._get_serialized_data_or_none(obj),
            object_id=pk if isinstance(pk, int) else None, action=action, changes=changes,
            cid=cid,
        )
        get_additional_data = getattr(obj, "get_additional_data", None)
        if callable(get_additional_data):
            entry.additional_data = get_additional_data()
        pre_save.send(sender=log_entry, instance=entry, raw=False, using=using,
                      update_fields=None)
        entries.append((entry, (obj, pre_log_results, changes)))
    return entries


def _post_log(entries: list[tuple]) -> None:
    """auditlog's ``post_log`` signal for entries written by :func:`_delete`."""
    for entry, (obj, pre_log_results, changes) in entries:
        post_log.send(type(obj), instance=obj, instance_old=obj, action=entry.action, error=None,
                      pre_log_results=pre_log_results, changes=changes, log_entry=entry,
                      log_created=True, use_json_for_changes=settings.AUDITLOG_STORE_JSON_CHANGES)


def _ensure_pks(plan: Plan, assignments: list[Assignment]) -> None:
    """Give bulk-created ``assignments`` their primary keys on a database that does not
    return them from a bulk INSERT (SQLite and PostgreSQL do)."""
    if not assignments or assignments[0].pk is not None:
        return
    pks = {(item_id, org_id): pk for pk, item_id, org_id in
           Assignment.objects.filter(item__plan=plan).values_list("pk", "item_id", "org_id")}
    for a in assignments:
        a.pk = pks[(a.item_id, a.org_id)]


@dataclass
class OrgChange:
    """What publishing gives one organization: ``tasks`` in all, of which ``new`` it does
    not hold yet, ``changed`` whose deadline moves and ``removed`` pending ones withdrawn."""

    org: Organization
    tasks: int = 0
    new: int = 0
    changed: int = 0
    removed: int = 0

    @property
    def touched(self) -> bool:
        """Whether the organization is told (something new, moved or withdrawn)."""
        return bool(self.new or self.changed or self.removed)


def preview(campaign: Campaign) -> list[OrgChange]:
    """What :func:`publish_plan` would give each organization now, without writing: per
    organization of the tree (committees first, then branches, in tree order) its tasks and
    how many are new, have a new deadline, or are withdrawn. Deadlines of recurring tasks'
    periods are not compared (their assignment's deadline is). Four queries."""
    committees, branches = tree_orgs(campaign.org)
    items = assignable_items(campaign.plan, list(campaign.plan.items.all()))
    default_due = last_workday_on_or_before(campaign.end) if campaign.end else None
    existing = {(i, o): (due, status) for i, o, due, status in Assignment.objects.filter(
        item__plan=campaign.plan).values_list("item_id", "org_id", "due", "status")}
    changes = {o.pk: OrgChange(o) for o in [*committees, *branches]}
    wanted = set()
    for item in items:
        due = assignment_due(item, default_due)
        for org in responsible_orgs(item, committees, branches):
            wanted.add((item.pk, org.pk))
            change = changes[org.pk]
            change.tasks += 1
            held = existing.get((item.pk, org.pk))
            if held is None:
                change.new += 1
            elif held[0] != due:
                change.changed += 1
    for (item_id, org_id), (_due, status) in existing.items():
        if (item_id, org_id) not in wanted and status == AssignmentStatus.PENDING and org_id in changes:
            changes[org_id].removed += 1
    return [c for c in changes.values() if c.tasks or c.removed]


def notice_text(campaign: Campaign, change: OrgChange) -> tuple[str, str]:
    """The (subject, body) told to ``change.org`` when ``campaign`` is published: the
    confirmation page shows it and the notify app sends it (issue 12 §3)."""
    from django.utils.translation import gettext as _

    subject = _("任务下达：%(title)s") % {"title": campaign.title}
    parts = [_("%(org)s 发布了《%(title)s》，贵组织共有任务 %(n)d 项") % {
        "org": campaign.org.name, "title": campaign.title, "n": change.tasks}]
    if change.new:
        parts.append(_("新增 %(n)d 项") % {"n": change.new})
    if change.changed:
        parts.append(_("调整完成时限 %(n)d 项") % {"n": change.changed})
    if change.removed:
        parts.append(_("撤回 %(n)d 项") % {"n": change.removed})
    return subject, "，".join(parts) + "。"

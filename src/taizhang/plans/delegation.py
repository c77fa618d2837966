"""A superior's task answered by a unit's derived plan: delegation (issue 12 §1; seed 四.1).

A city committee's plan gives 二.x to every unit committee and 三.x to every branch below it;
a unit committee that derives its own plan from it (``levels.derive_plan``) and publishes it
gives the same tasks again to itself and its branches. So that a branch answers each task
once, publishing a derived plan (``services.publish_plan``) links every assignment of the
superior's campaign below the unit (its branches) whose item has a derived counterpart
(``PlanItem.source_item``) to the unit's assignment of that item and organization
(``Assignment.delegated_to``, :func:`link`). A delegated assignment:

- is left out of the organization's own lists (home page, reminders, urging, the review
  queue, the iCal feed) and of the evidence evaluation (``plans.evidence``): the unit's copy is
  the one the branch works on and the unit reviews;
- mirrors the unit's assignment: status, reviewed flag and evidence counts, and for a
  recurring task each period (matched by its start day). Every status change of a derived
  assignment or period (records, submit, approve, return, lost evidence) calls
  :func:`follow` in the same transaction, so the superior's board and roll-up show the
  unit's progress without reading anything else; each mirrored move is a ``follow`` event
  in the superior's assignment's history, and the link itself a ``delegate`` event naming
  the unit.

The unit committee's own tasks on the superior's plan are not delegated: the superior reviews
them (seed 四.2 审核把关), so the unit answers its own 二.x on the superior's list, where the
superior's office decides, and its own plan's copy is evaluated by the records like any other.

Publishing the derived plan again re-links: an assignment whose derived task was withdrawn
(no longer assigned to that organization) is undelegated (an ``undelegate`` event), put back
to pending and evaluated by the records again.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.contrib.contenttypes.models import ContentType
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from taizhang.core.models import Event

from . import publishing
from .models import Assignment, AssignmentStatus, Campaign, Occurrence

MIRRORED = ("status", "evidence_count", "evidence_needed", "reviewed")
BATCH = 1000


def delegated_ids(campaign: Campaign) -> set[int]:
    """Ids of the superior's assignments now delegated into ``campaign``'s plan (a derived
    campaign): taken before a publish, so that :func:`link` knows which ones lose their
    counterpart even when the publish deleted it. One query (none for a plan not derived)."""
    if not campaign.derived_from_id:
        return set()
    return set(Assignment.objects.filter(delegated_to__item__plan__campaign=campaign)
               .values_list("pk", flat=True))


def link(campaign: Campaign, previously: Iterable[int] = ()) -> dict[str, int]:
    """(Re-)link the superior's assignments in ``campaign``'s subtree to ``campaign``'s (a
    derived campaign just published) and mirror them; ``previously`` the ids
    :func:`delegated_ids` gave before the publish. Returns {"linked": newly delegated,
    "unlinked": undelegated, "mirrored": rows whose status or counts changed}. A fixed
    number of queries whatever the number of organizations (bulk writes in batches; one
    more per record rule when rows are undelegated). Call inside the publish's transaction.
    """
    result = {"linked": 0, "unlinked": 0, "mirrored": 0}
    if not campaign.derived_from_id:
        return result
    org = campaign.org
    committees, branches = publishing.tree_orgs(org)
    wanted = {(item.pk, o.pk) for item in publishing.assignable_items(campaign.plan)
              for o in publishing.responsible_orgs(item, committees, branches)}
    leaders = {a.pk: a for a in Assignment.objects.filter(
        item__plan=campaign.plan, item__source_item__isnull=False).select_related("item")
        if (a.item_id, a.org_id) in wanted}
    counterpart = {(a.item.source_item_id, a.org_id): a.pk for a in leaders.values()}
    previously = set(previously)
    followers = list(Assignment.objects.filter(
        item__plan__campaign_id=campaign.derived_from_id, org__path__startswith=org.path,
    ).exclude(org=org).select_related("org").order_by("pk"))
    relinked, unlinked, linked = [], [], []
    for row in followers:
        if row.delegated_to_id and row.delegated_to_id not in leaders and row.pk not in previously:
            continue  # answered by another derived plan (a committee deeper down derived too)
        target = counterpart.get((row.item_id, row.org_id))
        if target is not None and row.delegated_to_id != target:
            row.delegated_to_id = target
            relinked.append(row)
            linked.append(row)
        elif target is None and (row.delegated_to_id or row.pk in previously):
            row.delegated_to_id = None
            relinked.append(row)
            unlinked.append(row)
    Assignment.objects.bulk_update(relinked, ["delegated_to"], batch_size=BATCH)
    text = _("由%(org)s的任务清单“%(title)s”承接，状态随其同步") % {
        "org": org.name, "title": campaign.title}
    _events(linked, "delegate", text)
    if unlinked:
        _release(unlinked, org.name)
    result["linked"], result["unlinked"] = len(linked), len(unlinked)
    delegated = [row for row in followers if row.delegated_to_id in leaders]
    # subqueries, not thousands of ids as parameters
    leader_periods = {(o.assignment_id, o.period_start): o for o in Occurrence.objects.filter(
        assignment__item__plan=campaign.plan)}
    follower_periods = list(Occurrence.objects.filter(
        assignment__item__plan__campaign_id=campaign.derived_from_id,
        assignment__org__path__startswith=org.path, assignment__delegated_to__isnull=False,
    ).exclude(assignment__org=org).select_related("assignment__org"))
    changed = _mirror([(row, leaders[row.delegated_to_id]) for row in delegated], [
        (occ, leader_periods.get((occ.assignment.delegated_to_id, occ.period_start)))
        for occ in follower_periods])
    result["mirrored"] = len(changed)
    follow(changed)  # a superior that is itself a derived plan passes it on
    return result


def follow(objs: Iterable[Assignment | Occurrence]) -> list:
    """Mirror ``objs`` (assignments and periods whose status or counts just changed, saved)
    onto the superior's assignments delegated to them, and onward up the chain of derived
    plans. Two queries per level when something is delegated to them (one when only
    assignments or only periods changed); returns the rows changed."""
    objs = list(objs)
    changed_all = []
    while objs:
        assignments = {o.pk: o for o in objs if isinstance(o, Assignment)}
        periods = {(o.assignment_id, o.period_start): o for o in objs if isinstance(o, Occurrence)}
        pairs, period_pairs = [], []
        if assignments:
            pairs = [(row, assignments[row.delegated_to_id]) for row in Assignment.objects.filter(
                delegated_to__in=list(assignments)).select_related("org")]
        if periods:
            found = Occurrence.objects.filter(
                assignment__delegated_to__in={key[0] for key in periods},
                period_start__in={key[1] for key in periods},
            ).annotate(leader=F("assignment__delegated_to")).select_related("assignment__org")
            period_pairs = [(occ, periods.get((occ.leader, occ.period_start))) for occ in found]
        objs = _mirror(pairs, period_pairs)
        changed_all += objs
    return changed_all


def _mirror(pairs: list[tuple], period_pairs: list[tuple]) -> list:
    """Copy :data:`MIRRORED` from each leader onto its follower (pairs of (follower, leader);
    a period without a leader is left as it is); status moves through the ``follow``
    transition with a ``follow`` event. Returns the followers changed."""
    changed = []
    for model, rows in ((Assignment, pairs), (Occurrence, period_pairs)):
        moved, updated = [], []
        for follower, leader in rows:
            if leader is None or all(getattr(follower, f) == getattr(leader, f) for f in MIRRORED):
                continue
            before = follower.status
            if before != leader.status:
                follower.follow(leader.status)
                moved.append((follower, before))
            follower.evidence_count, follower.evidence_needed = leader.evidence_count, leader.evidence_needed
            follower.reviewed = leader.reviewed
            updated.append(follower)
        if not updated:
            continue
        now = timezone.now()
        for row in updated:
            row.updated_at = now
        model.objects.bulk_update(updated, [*MIRRORED, "updated_at"], batch_size=BATCH)
        _events([row for row, _before in moved], "follow", _("随下级党委清单中的同一任务同步"),
                befores=[before for _row, before in moved])
        changed += updated
    return changed


def _release(rows: list[Assignment], unit: str) -> None:
    """Undelegated ``rows``: back to pending (periods too) with an ``undelegate`` event,
    then evaluated by the records like any assignment (``evidence.apply``)."""
    from . import evidence

    befores = [row.status for row in rows]
    for row in rows:
        row.follow(AssignmentStatus.PENDING)
        row.reviewed, row.evidence_count, row.evidence_needed = False, 0, 0
    Assignment.objects.bulk_update(rows, [*MIRRORED, "updated_at"], batch_size=BATCH)
    _events(rows, "undelegate", _("%(org)s的清单已不再承接此任务，恢复按工作记录核算") % {"org": unit},
            befores=befores)
    ids = [row.pk for row in rows]
    Occurrence.objects.filter(assignment__in=ids).update(
        status=AssignmentStatus.PENDING, reviewed=False, evidence_count=0, evidence_needed=0,
        updated_at=timezone.now())
    evidence.apply(evidence.targets_for(evidence._occurrences().filter(assignment__in=ids),
                                        evidence._single_assignments().filter(pk__in=ids)))


def _events(rows: list, verb: str, comment: str, befores: list[str] | None = None) -> None:
    """One domain event per row (bulk): ``verb`` with ``comment``; a status move from
    ``befores`` to the row's status when given. Rows carry their organization loaded."""
    if not rows:
        return
    content_type = ContentType.objects.get_for_model(type(rows[0]))
    befores = befores or [""] * len(rows)
    Event.objects.bulk_create([
        Event(org=row.org if isinstance(row, Assignment) else row.assignment.org,
              content_type=content_type, object_id=row.pk, verb=verb, from_state=before,
              to_state=row.status if before else "", comment=comment)
        for row, before in zip(rows, befores, strict=True)], batch_size=BATCH)


def delegation_of(assignment: Assignment) -> Assignment | None:
    """The unit's assignment ``assignment`` is delegated to (with its organization and
    campaign loaded), or None. One query when delegated, none otherwise."""
    if not assignment.delegated_to_id:
        return None
    return Assignment.objects.select_related("org", "item__plan__campaign").get(
        pk=assignment.delegated_to_id)
